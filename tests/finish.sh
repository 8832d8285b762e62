#!/bin/bash
# SPDX-License-Identifier: ISC
# A job with --duration finishes by itself and keeps its report: a send job
# against an echo job runs its 2 s of full load, closes its connections
# with 1000 and stays listed, "finished", with no connection; its counters
# do not move after the finish; its run section shows the full load and
# the rates of its seconds; /metrics never shows one of its counters lower
# than a scrape before, across the finish, and keeps its series until
# `stop` removes the job, then drops them.  `stop` still stops a running
# job as before.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
# shellcheck disable=SC2016 # conditions run by wait_until
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v curl >/dev/null || fail "curl is missing (Debian package curl)"

# scrape N: the job s's lines of /metrics, into $WORK/scrape.N.
scrape() {
	metrics a | grep 'name="s"' >"$WORK/scrape.$1" ||
		fail "scrape $1: no series of s on /metrics"
}

# The counters that must stay as they were once the job has finished.
FINAL=(messages_received messages_sent bytes_received bytes_sent
	connections_opened connection_errors reconnects)
final_of() {
	local k
	for k in "${FINAL[@]}"; do
		printf '%s=%s ' "$k" "$(stat_of a s "$k")"
	done
}

start_daemon a
out=$(ctl a start echo --name e --port 0 2>&1) || fail "start echo: $out"
[[ $out =~ 127\.0\.0\.1:([0-9]+)$ ]] || fail "start echo reply: '$out'"
start_send a s "ws://127.0.0.1:${BASH_REMATCH[1]}/" --connections 4 \
	--rate 50 --duration 2

# Scrapes while the job runs, finishes, and after.
n=0
deadline=$(($(_now_ms) + 20000))
while [ "$(stat_of a s state)" != finished ]; do
	n=$((n + 1))
	[ "$(_now_ms)" -lt "$deadline" ] ||
		fail "s is not finished 20 s after its start: $(ctl a stats s)"
	scrape "$n"
	sleep 0.3
done
note "s finished after $n scrapes"
[ "$n" -ge 3 ] || defect "s finished after $n scrapes: before its 2 s were over?"
for k in 1 2 3; do
	scrape "$((n + k))"
done
n=$((n + 3))

# Finished: listed, with no connection, and nothing moves any more.
ctl a list | grep -Eq '^s +send +finished +0 ' ||
	defect "list does not show s finished with 0 connections: $(ctl a list)"
[ "$(ctl a -j list | json_get '[x["state"] for x in j if x["name"] == "s"]')" = '["finished"]' ] ||
	defect "list -j: $(ctl a -j list)"
expect_stat a s connections == 0
expect_stat a s messages_received '>' 0
expect_stat a s connection_errors == 0
before=$(final_of)
sleep 1.5
after=$(final_of)
[ "$before" = "$after" ] || defect "s moved after its finish: $before, then $after"
note "final: $after"

# Closed with 1000 each way: the echo job counts the client's close frames,
# the send job the echo's replies.
expect_stat a e closes_1000 == 4
expect_stat a s closes_1000 == 4

# The run: about 2 s of full load (wide margins: a loaded machine), after a
# ramp; rates over its whole seconds; the peak of its connections.
ctl a -j stats s >"$WORK/s.json" || fail "stats -j s"
"$PYTHON3" - "$WORK/s.json" <<'EOF' || defect "stats -j s: run section: $(cat "$WORK/s.json")"
import json, sys
run = json.load(open(sys.argv[1]))[0]["run"]
problems = []
if not 2000 <= run["full_load_ms"] <= 5000:
    problems.append(f"full_load_ms {run['full_load_ms']}")
# Each is cut to whole milliseconds.
if run["ramp_ms"] is None or not 0 <= run["duration_ms"] - \
        run["ramp_ms"] - run["full_load_ms"] <= 1:
    problems.append(f"duration_ms {run['duration_ms']}, ramp_ms "
                    f"{run['ramp_ms']}")
if run["peak_connections"] != 4:
    problems.append(f"peak_connections {run['peak_connections']}")
for d in ("messages_received_per_second", "messages_sent_per_second"):
    r = run[d]
    # 4 connections at 50 a second: 200 a second, give or take.
    if r is None or not 0 < r["min"] <= r["mean"] <= r["max"] or \
            not 100 <= r["mean"] <= 300:
        problems.append(f"{d} {r}")
for p in problems:
    print(p, file=sys.stderr)
sys.exit(1 if problems else 0)
EOF
d1=$(stat_of a s duration)
sleep 1.1
[ "$(stat_of a s duration)" = "$d1" ] || defect "s's duration grows after its finish: $d1"

# /metrics: no counter of s ever lower than a scrape before; its
# connections 0 at the end.
"$PYTHON3" - "$WORK" "$n" <<'EOF' || defect "/metrics went back across the finish"
import re, sys
work, n = sys.argv[1], int(sys.argv[2])
last, bad = {}, 0
for i in range(1, n + 1):
    for line in open(f"{work}/scrape.{i}"):
        series, value = line.rsplit(" ", 1)
        if not re.match(r"wsbench_\w+_total\{", series):
            continue
        v = float(value)
        if v < last.get(series, 0):
            print(f"scrape {i}: {series} {v} < {last[series]}",
                  file=sys.stderr)
            bad += 1
        last[series] = v
sys.exit(1 if bad else 0)
EOF
grep -Eq '^wsbench_connections\{[^}]*name="s"[^}]*\} 0$' "$WORK/scrape.$n" ||
	defect "/metrics: s's connections after its finish: $(grep '^wsbench_connections' "$WORK/scrape.$n")"

# stop removes it, and its series go.
stop_job a s
metrics a >"$WORK/after_stop" || fail "metrics after stop"
! grep -q 'name="s"' "$WORK/after_stop" ||
	defect "/metrics still shows s after stop: $(grep 'name="s"' "$WORK/after_stop" | head -n 3)"

# A running job stops as before.
expect_stat a e connections == 0
stop_job a e
[ -z "$(job_names a)" ] || defect "jobs left: $(job_names a)"

stop_daemon a
finish
