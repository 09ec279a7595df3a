#!/usr/bin/env bash
# make bench: measures Accord's performance targets on this machine and
# writes docs/BENCHMARKS.md with the figures, the targets and the machine.
# Sizes can be lowered for a quick look: BENCH_BORROWERS=100000 make bench.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$root/bin/accord
load=$root/bin/accord-load
CGO_ENABLED=0 go build -o "$load" ./cmd/accord-load
work=$(mktemp -d /tmp/accord-bench.XXXXXX)
chmod 755 "$work" # the postgres user must reach $work/pg
big=${BENCH_BORROWERS:-750000} # ≈ 1,000,000 loans at 1.34 loans per borrower
asof=2026-11-20
next=2026-11-21
after=2026-11-22
out=$work/results.tsv
: >"$out"
cleanup() { pkill -f "accord-bench-serve" 2>/dev/null || true; bash scripts/pg.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"; }
finish() {
	status=$?
	write_doc "$status"
	cleanup
	exit "$status"
}
trap finish EXIT

write_doc() {
	[ -s "$out" ] || return 0
	local note=""
	[ "$1" = 0 ] || note="**Incomplete: the run stopped early (exit $1); the figures below are those measured before it stopped.**"
cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
# The engines section (scripts/bench_engines.sh) is kept as it is.
engines=$(sed -n '/<!-- engines:start -->/,/<!-- engines:end -->/p' docs/BENCHMARKS.md 2>/dev/null || true)
{
	echo "# Benchmarks"
	echo
	echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u +%F): $cpu, $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB,"
	echo "$(go version | cut -d' ' -f3), $(uname -sr). Other processes may share the machine; re-run before comparing."
	echo
	[ -z "$note" ] || { echo "$note"; echo; }
	echo "| measurement | result | target | |"
	echo "|---|---|---|---|"
	while IFS=$'\t' read -r a b c d; do echo "| $a | $b | $c | $d |"; done <"$out"
	echo
	echo "The big portfolio is \`accord demo --borrowers $big --seed 1 --as-of $asof\` (about 15% of open loans delinquent);"
	echo "the run ages it to $next. Issue #2's target is for aging the book (aging_ms in the run summary); issue #3's is for the whole"
	echo "nightly run, which adds the casework (classify, cases, strategies, assignment, tasks, messages). The first night opens"
	echo "every case and is the slowest; later nights touch only what changed. Summary of the SQLite first night:"
	echo
	echo '```json'
	cat "$work/run-sqlite.json" 2>/dev/null || true
	echo '```'
	[ -z "$engines" ] || { echo; echo "$engines"; }
} >docs/BENCHMARKS.md
echo "wrote docs/BENCHMARKS.md"
}

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$out"; echo "  $1: $2 (target $3) $4"; }
# calibrate WHEN records the host's speed: a pure-CPU benchmark (building
# the work queue of 150,000 cases) whose time per op moves with the host
# alone. This shared machine's speed drifts (up to 2.6× within a day), so
# compare figures of different runs only alongside these rows.
calibrate() {
	local ms
	ms=$(go test -run '^$' -bench '^BenchmarkQueue_150k$' -benchtime 20x ./internal/casework/ |
		awk '/ns\/op/ { printf "%.1f", $3 / 1e6 }')
	record "host speed index ($1): BenchmarkQueue_150k, pure CPU, lower is faster" "$ms ms/op" "—" "—"
}
calibrate "start of the run"
met() { awk -v a="$1" -v b="$2" 'BEGIN { print (a <= b) ? "met" : "NOT met" }'; }
timed() { # timed LOGFILE cmd… → sets SECS and RSS_MB
	local log=$1
	shift
	/usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$log.out" 2>"$log.err" || { cat "$log.err" >&2; return 1; }
	read -r SECS RSS_KB <"$work/time"
	RSS_MB=$((RSS_KB / 1024))
}
summary_ms() { python3 scripts/run_summary.py "$1"; }

echo "== demo: 100,000 borrowers on SQLite (target ≤ 60 s)"
timed "$work/demo100k" "$bin" --db "sqlite:$work/demo100k.db" --key-file "$work/k" demo --borrowers 100000 --seed 1 --as-of $asof
record "accord demo, 100,000 borrowers, SQLite" "${SECS} s" "≤ 60 s" "$(met "$SECS" 60)"

echo "== nightly run over the big portfolio ($big borrowers) on SQLite"
timed "$work/demobig" "$bin" --db "sqlite:$work/big.db" --key-file "$work/k" demo --borrowers "$big" --seed 1 --as-of $asof
loans=$(grep -o '[0-9]* loans' "$work/demobig.out" | head -1 | cut -d' ' -f1)
record "accord demo, $big borrowers ($loans loans), SQLite" "${SECS} s, peak RSS ${RSS_MB} MiB" "—" "—"
timed "$work/run1" "$bin" --db "sqlite:$work/big.db" --key-file "$work/k" run --as-of $next --json
record "accord run over $loans loans, first night (aging + opening every case), SQLite" "${SECS} s wall (run $(summary_ms "$work/run1.out") ms), peak RSS ${RSS_MB} MiB" "≤ 20 s aging (#2), ≤ 30 s full run (#3), ≤ 1024 MiB" "$(met "$SECS" 20) (20 s) / $(met "$SECS" 30) (30 s) / $(met "$RSS_MB" 1024)"
timed "$work/run2" "$bin" --db "sqlite:$work/big.db" --key-file "$work/k" run --as-of $next --json
record "accord run again, same date (idempotent: nothing new), SQLite" "${SECS} s, peak RSS ${RSS_MB} MiB" "—" "—"
timed "$work/run3" "$bin" --db "sqlite:$work/big.db" --key-file "$work/k" run --as-of $after --json
record "accord run, next night, SQLite" "${SECS} s wall (run $(summary_ms "$work/run3.out") ms), peak RSS ${RSS_MB} MiB" "≤ 20 s (#2) / ≤ 30 s (#3), ≤ 1024 MiB" "$(met "$SECS" 20) (20 s) / $(met "$SECS" 30) (30 s) / $(met "$RSS_MB" 1024)"
cp "$work/run1.out" "$work/run-sqlite.json"

echo "== GET /api/v1/loans/{id} with 200 concurrent clients on SQLite (target p99 ≤ 20 ms)"
"$bin" --db "sqlite:$work/big.db" --key-file "$work/k" --log-level error serve --addr 127.0.0.1:18099 >"$work/serve.log" 2>&1 &
sleep 2
tok=$("$bin" --db "sqlite:$work/big.db" --key-file "$work/k" user token --username admin --name bench)
"$load" --url "http://127.0.0.1:18099/api/v1/loans/%d" --list "http://127.0.0.1:18099/api/v1/loans?limit=1000" \
	--token "$tok" --clients 200 --requests 40000 >"$work/load.json"
p99=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["p99_ms"])' "$work/load.json")
record "GET /api/v1/loans/{id}, 200 clients, SQLite" "p99 ${p99} ms ($(cat "$work/load.json"))" "p99 ≤ 20 ms" "$(met "$p99" 20)"
pkill -f "serve --addr 127.0.0.1:18099" || true

echo "== the nightly run with repayment plans on the big SQLite portfolio (issue #7; scripts/bench_plans.sh)"
BENCH_DB="sqlite:$work/big.db" BENCH_KEY="$work/k" BENCH_ROWS="$out" BENCH_ASOF=$(date -u -d "$after +1 day" +%F) \
	BENCH_BORROWERS="$big" BENCH_BIN="$bin" BENCH_LOAD="$load" bash scripts/bench_plans.sh
BENCH_DB="sqlite:$work/big.db" BENCH_KEY="$work/k" BENCH_ROWS="$out" BENCH_ASOF=$(date -u -d "$after +3 day" +%F) \
	BENCH_BORROWERS="$big" BENCH_BIN="$bin" bash scripts/bench_scoring.sh # issue #9: the nightly scoring step alone
# issue #9 asks for 1,000,000 borrowers (the big book has 1,000,000 loans):
# the same on a book of its own with that many borrowers, aged two nights
echo "== the nightly scoring of ${BENCH_SCORING_BORROWERS:-1000000} borrowers (scripts/bench_scoring.sh on its own demo)"
BENCH_ROWS="$out" BENCH_BORROWERS="${BENCH_SCORING_BORROWERS:-1000000}" BENCH_BIN="$bin" bash scripts/bench_scoring.sh

echo "== PostgreSQL"
dsn=$(bash scripts/pg.sh start "$work/pg" 55499)
timed "$work/pgdemo" "$bin" --db "$dsn" --key-file "$work/k" demo --borrowers "$big" --seed 1 --as-of $asof
record "accord demo, $big borrowers, PostgreSQL" "${SECS} s" "—" "—"
timed "$work/pgrun" "$bin" --db "$dsn" --key-file "$work/k" run --as-of $next --json
record "accord run over $loans loans, first night, PostgreSQL" "${SECS} s wall (run $(summary_ms "$work/pgrun.out") ms), peak RSS ${RSS_MB} MiB" "≤ 40 s (#2) / ≤ 60 s (#3), ≤ 1024 MiB" "$(met "$SECS" 40) (40 s) / $(met "$SECS" 60) (60 s) / $(met "$RSS_MB" 1024)"
timed "$work/pgrun3" "$bin" --db "$dsn" --key-file "$work/k" run --as-of $after --json
record "accord run, next night, PostgreSQL" "${SECS} s wall (run $(summary_ms "$work/pgrun3.out") ms), peak RSS ${RSS_MB} MiB" "≤ 40 s (#2) / ≤ 60 s (#3), ≤ 1024 MiB" "$(met "$SECS" 40) (40 s) / $(met "$SECS" 60) (60 s) / $(met "$RSS_MB" 1024)"

echo "== Get next case, 200 collectors at once (Go benchmark over the service, 20,000-borrower demo)"
go test -run '^$' -bench 'BenchmarkNextCase' -benchtime 20x ./internal/collect/ >"$work/next.txt"
p99=$(grep -o '[0-9.]* p99_ms' "$work/next.txt" | head -1 | cut -d' ' -f1)
p50=$(grep -o '[0-9.]* p50_ms' "$work/next.txt" | head -1 | cut -d' ' -f1)
warm=$(grep -o '[0-9.]* p99_after_first_burst_ms' "$work/next.txt" | head -1 | cut -d' ' -f1)
record "Get next case, 200 concurrent collectors (service, no HTTP)" "p99 ${p99} ms, p50 ${p50} ms (p99 after the first burst ${warm} ms)" "p99 ≤ 50 ms" "$(met "$p99" 50)"

echo "== governor decisions per second (Go benchmark, one core)"
go test -run '^$' -bench 'BenchmarkCheck' -benchtime 2s -cpu 1 ./internal/compliance/ >"$work/gov.txt"
grep Benchmark "$work/gov.txt" | while read -r name n ns _; do
	rate=$(awk -v ns="$ns" 'BEGIN { printf "%d", 1e9/ns }')
	record "governor: $name" "$ns ns/decision = $rate decisions/s" "≥ 100,000/s per core" "$(met 100000 "$rate")"
done

calibrate "after the measurements"
echo "== engines: offers, visit routes, scoring, content screening, chatbot"
write_doc 0
bash scripts/bench_engines.sh
