#!/bin/bash
# SPDX-License-Identifier: ISC
# The benchmark drivers (bench/run.py, bench/latency.py) in their quick
# mode, on the systems that need nothing from the network: every one must
# come up, be measured and report a positive rate, and the JSON must hold
# the targets.  Rates are not judged here: these machines are shared.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

: "${BENCH_SRCDIR:=$TESTS_SRCDIR/..}"
build=$(cd "$(dirname "$WSBENCHD")/.." && pwd)
systems=ceiling,wsbench,wsbench-2d,push-alone,recv-alone,python
run_bounded 150 "$PYTHON3" "$BENCH_SRCDIR/bench/run.py" --quick \
	--build "$build" --srcdir "$BENCH_SRCDIR" --cases yo1,kib1 \
	--systems "$systems" --out "$WORK/results.json" \
	>"$WORK/bench.out" 2>"$WORK/bench.err" ||
	fail "run.py exited $?: $(tail -n 20 "$WORK/bench.err")"
cat "$WORK/bench.out"
"$PYTHON3" - "$WORK/results.json" "$systems" <<'PY' || fail "results.json"
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
for case in ("yo1", "kib1"):
    for system in sys.argv[2].split(","):
        r = d["results"][case][system]
        if r.get("status") != "ok" or not r.get("messages_per_s", 0) > 0:
            bad.append(f"{case} {system}: {r.get('status')} {r.get('error', '')}")
if not d["targets"]:
    bad.append("no targets")
for line in bad:
    print("bench_smoke:", line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY

# The latency driver (bench/latency.py), as briefly: the floor, send ->
# echo and the echo job alone, at a fixed rate and flat out; each must
# echo, and report a p50, p99 and max in order.
lsystems=floor,wsbench,echo-alone
run_bounded 120 "$PYTHON3" "$BENCH_SRCDIR/bench/latency.py" --quick \
	--build "$build" --srcdir "$BENCH_SRCDIR" --cases rtt1k,max1 \
	--systems "$lsystems" --out "$WORK/latency.json" \
	>"$WORK/latency.out" 2>"$WORK/latency.err" ||
	fail "latency.py exited $?: $(tail -n 20 "$WORK/latency.err")"
cat "$WORK/latency.out"
"$PYTHON3" - "$WORK/latency.json" "$lsystems" <<'PY' || fail "latency.json"
import json, sys
d = json.load(open(sys.argv[1]))
bad = []
for case in ("rtt1k", "max1"):
    for system in sys.argv[2].split(","):
        r = d["results"][case][system]
        if r.get("status") != "ok" or not r.get("messages_per_s", 0) > 0:
            bad.append(f"{case} {system}: {r.get('status')} {r.get('error', '')}")
        elif not 0 < r["p50_us"] <= r["p99_us"] <= r["max_us"]:
            bad.append(f"{case} {system}: p50, p99, max {r['p50_us']} "
                       f"{r['p99_us']} {r['max_us']}")
if not d["targets"]:
    bad.append("no targets")
for line in bad:
    print("bench_smoke:", line, file=sys.stderr)
sys.exit(1 if bad else 0)
PY
finish
