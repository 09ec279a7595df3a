#!/usr/bin/env bash
# Installs the front-end packages pinned in package-lock.json and copies the
# files the console serves into internal/web/static/vendor, where go:embed
# picks them up. Nothing is loaded from a CDN at run time and no third-party
# file is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=internal/web/static/vendor
if [ ! -d node_modules/htmx.org ] || [ ! -d node_modules/echarts ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	if ! command -v npm >/dev/null; then
		apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
	fi
	npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p "$out"
cp node_modules/htmx.org/dist/htmx.min.js "$out/htmx.min.js"
cp node_modules/echarts/dist/echarts.min.js "$out/echarts.min.js"
