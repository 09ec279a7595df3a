#!/usr/bin/env bash
# The pure engines' figures (offers, visit routes, scoring, content
# screening, the chatbot): run by `make bench` after the portfolio figures,
# or alone with `bash scripts/bench_engines.sh`. Replaces the engines section
# of docs/BENCHMARKS.md (between its markers) and leaves the rest alone.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bin/accord
[ -x "$bin" ] || CGO_ENABLED=0 go build -o "$bin" ./cmd/accord
work=$(mktemp -d /tmp/accord-bench-engines.XXXXXX)
trap 'rm -rf "$work"' EXIT
out=$work/rows.tsv
: >"$out"
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$out"; echo "  $1: $2 (target $3) $4"; }
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "met" : "NOT met" }'; }
# gobench PKG NAME BENCHTIME → ns/op of the first result line named NAME
gobench() {
	go test -run '^$' -bench "^$2\$" -benchtime "$3" -benchmem "./$1/" >"$work/b.txt"
	awk -v n="$2" '$1 ~ "^"n"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($(i+1) == "ns/op") { print $i; exit } }' "$work/b.txt"
}
ms() { awk -v ns="$1" 'BEGIN { printf "%.3f", ns/1e6 }'; }

echo "== offers for one case"
ns=$(gobench internal/offer BenchmarkOptions 2s)
record "negotiation: offers for one case (BenchmarkOptions)" "$(ms "$ns") ms" "≤ 5 ms" "$(met "$(ms "$ns")" 5)"
ns=$(gobench internal/offer BenchmarkOptions_Freeze 2s)
record "negotiation: offers when nothing fits at the contract rate (BenchmarkOptions_Freeze)" "$(ms "$ns") ms" "≤ 5 ms" "$(met "$(ms "$ns")" 5)"

echo "== visit routes"
ns=$(gobench internal/route BenchmarkPlan200 10x)
record "visits: plan one pair's day from 200 visits (BenchmarkPlan200)" "$(ms "$ns") ms" "< 1000 ms" "$(met "$(ms "$ns")" 1000)"
ns=$(gobench internal/route BenchmarkPlan200DenseWindows 5x)
record "visits: 200 visits with windows, most of them fit (BenchmarkPlan200DenseWindows)" "$(ms "$ns") ms" "< 1000 ms" "$(met "$(ms "$ns")" 1000)"
ns=$(gobench internal/route BenchmarkPlanPairs 5x)
record "visits: days of 50 pairs over 2,000 approved visits (BenchmarkPlanPairs)" "$(ms "$ns") ms" "—" "—"

echo "== scoring: train and score 1,000,000 rows with the CLI"
python3 scripts/gen_model_csv.py 1000000 "$work/model.csv"
for kind in logistic scorecard; do
	/usr/bin/time -f '%e %M' -o "$work/time" "$bin" model train --csv "$work/model.csv" --target paid --positive 1 \
		--split-column split --kind $kind --out "$work/$kind.json" --json >"$work/train.out"
	read -r secs kb <"$work/time"
	auc=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d.get("metrics",d); print(m.get("test",{}).get("auc","?"))' "$work/train.out" 2>/dev/null || echo "?")
	record "scoring: accord model train --kind $kind, 1,000,000 rows" "$secs s, peak RSS $((kb / 1024)) MiB, test AUC $auc" "≤ 60 s" "$(met "$secs" 60)"
done
/usr/bin/time -f '%e %M' -o "$work/time" "$bin" model score --model "$work/logistic.json" --csv "$work/model.csv" --out "$work/scores.csv" --reasons 3 >/dev/null
read -r secs kb <"$work/time"
record "scoring: accord model score --reasons 3, 1,000,000 rows" "$secs s, peak RSS $((kb / 1024)) MiB" "≤ 10 s" "$(met "$secs" 10)"
if grep -q 'func BenchmarkScoreBorrower' internal/features/*_test.go 2>/dev/null; then
	# The nightly step's CPU work per borrower (features from the ledger
	# replay, score, 3 reasons), times 1,000,000; loading the facts from the
	# database is not included.
	ns=$(gobench internal/features BenchmarkScoreBorrower 2s)
	secs=$(awk -v ns="$ns" 'BEGIN { printf "%.1f", ns * 1e6 / 1e9 }')
	record "scoring: features and score of 1,000,000 borrowers from their history (BenchmarkScoreBorrower × 1M, one core, no database)" \
		"$secs s ($(ms "$ns") ms a borrower)" "≤ 10 s" "$(met "$secs" 10)"
fi

echo "== content screening"
ns=$(gobench internal/compliance BenchmarkScreen 2s)
record "governor: content screening of one message (BenchmarkScreen)" "$ns ns" "—" "—"
ns=$(gobench internal/compliance BenchmarkScreen_Violation 2s)
record "governor: content screening of a violating message (BenchmarkScreen_Violation)" "$ns ns" "—" "—"

if [ -d internal/bot ] && grep -q 'func BenchmarkParse' internal/bot/*_test.go 2>/dev/null; then
	echo "== chatbot"
	ns=$(gobench internal/bot BenchmarkParse 2s)
	record "chatbot: understand one message (BenchmarkParse, mean)" "$(ms "$ns") ms" "—" "the engine alone; the endpoint rows below carry the target"
fi
if grep -q 'func BenchmarkBotMessages' internal/web/*_test.go 2>/dev/null; then
	echo "== chatbot over its endpoint"
	# 2,000 messages from 40 borrowers in turn over HTTP on loopback (SQLite,
	# demo book of 200 borrowers): p99, worst, and the resident memory added.
	go test -run '^$' -bench '^BenchmarkBotMessages$' -benchtime 2000x ./internal/web/ >"$work/bot.txt"
	metric() { awk -v m="$1" '$1 ~ /^BenchmarkBotMessages/ { for (i = 2; i <= NF; i++) if ($(i+1) == m) { print $i; exit } }' "$work/bot.txt"; }
	p99=$(metric p99-ms) worst=$(metric max-ms) rss=$(metric rss-added-MB) mean=$(metric ns/op)
	record "chatbot: answer one message, POST /api/v1/bot/messages (BenchmarkBotMessages, 2,000 messages)" \
		"p99 $p99 ms (mean $(ms "$mean") ms, worst $worst ms)" "p99 ≤ 50 ms" "$(met "$p99" 50)"
	record "chatbot: resident memory added by those 2,000 messages (peak VmRSS over the run − VmRSS before)" "$rss MB" "≤ 50 MB" "$(met "$rss" 50)"
fi

doc=docs/BENCHMARKS.md
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
{
	echo "<!-- engines:start -->"
	echo "## Engines"
	echo
	echo "Written by \`scripts/bench_engines.sh\` (part of \`make bench\`) on $(date -u +%F): $cpu, $(nproc) cores,"
	echo "$(go version | cut -d' ' -f3), load average at the end $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine slows the"
	echo "worst cases). Go benchmarks report the mean time per call; the scoring rows time the real command."
	echo
	echo "| measurement | result | target | |"
	echo "|---|---|---|---|"
	while IFS=$'\t' read -r a b c d; do echo "| $a | $b | $c | $d |"; done <"$out"
	echo "<!-- engines:end -->"
} >"$work/section.md"
touch "$doc"
python3 - "$doc" "$work/section.md" <<'PY'
import re, sys
doc, sec = sys.argv[1], open(sys.argv[2]).read()
s = open(doc).read()
pat = re.compile(r"<!-- engines:start -->.*?<!-- engines:end -->\n?", re.S)
s = pat.sub(lambda m: sec, s) if pat.search(s) else s.rstrip("\n") + "\n\n" + sec
open(doc, "w").write(s)
PY
echo "updated the engines section of $doc"
