#!/usr/bin/env python3
"""Prints the timing of an `accord run --json` summary for scripts/bench.sh."""
import json
import sys

d = json.load(open(sys.argv[1]))
print("%s ms: aging %s ms + casework %s ms" % (d["duration_ms"], d.get("aging_ms", "?"), d.get("casework_ms", "?")))
