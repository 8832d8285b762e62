#!/bin/bash
# SPDX-License-Identifier: ISC
# The benchmark drivers (bench/run.py, bench/latency.py) in their quick
# mode, on the systems that need nothing from the network: every one must
# come up, be measured and report a positive rate (and a timed one a p50,
# p99 and max in order), and the JSON must hold the targets.  Rates are
# not judged here: these machines are shared.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

: "${BENCH_SRCDIR:=$TESTS_SRCDIR/..}"
build=$(cd "$(dirname "$WSBENCHD")/.." && pwd)

# drive NAME SECONDS CASES SYSTEMS: runs bench/NAME.py quick on them and
# checks its JSON.
drive() {
	local name=$1 secs=$2 cases=$3 systems=$4
	run_bounded "$secs" "$PYTHON3" "$BENCH_SRCDIR/bench/$name.py" --quick \
		--build "$build" --srcdir "$BENCH_SRCDIR" --cases "$cases" \
		--systems "$systems" --out "$WORK/$name.json" \
		>"$WORK/$name.out" 2>"$WORK/$name.err" ||
		fail "$name.py exited $?: $(tail -n 20 "$WORK/$name.err")"
	cat "$WORK/$name.out"
	"$PYTHON3" - "$WORK/$name.json" "$cases" "$systems" <<'PY' ||
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
for case in sys.argv[2].split(","):
    for system in sys.argv[3].split(","):
        r = d["results"][case][system]
        if r.get("status") != "ok" or not r.get("messages_per_s", 0) > 0:
            bad.append(f"{case} {system}: {r.get('status')} {r.get('error', '')}")
        elif "p50_us" in r and not 0 < r["p50_us"] <= r["p99_us"] <= r["max_us"]:
            bad.append(f"{case} {system}: p50, p99, max {r['p50_us']} "
                       f"{r['p99_us']} {r['max_us']}")
if not d["targets"]:
    bad.append("no targets")
for line in bad:
    print("bench_smoke:", line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
		fail "$name.json"
}

drive run 150 yo1,kib1 ceiling,wsbench,wsbench-2d,push-alone,recv-alone,python
# The latency driver: the floor, send -> echo and the echo job alone, at a
# fixed rate and flat out.
drive latency 120 rtt1k,max1 floor,wsbench,echo-alone
finish
