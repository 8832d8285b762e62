#!/bin/bash
# SPDX-License-Identifier: ISC
# GET /api/series?name=NAME, a job's per-second series as JSON, with a
# send job timing round trips through an echo job:
#   its fields are the CSV header of wsbenchctl(8) (tests/unit/check_series
#     holds the CSV to the same names), its rows one a second: read twice
#     3 s apart, the second read has the first's rows unchanged and 2 to 5
#     more, t rising by about a second a row, with three decimals;
#   each row has every field; the connections are the job's; a timed job
#     has latency in most seconds, one that times nothing (echo) none;
#   a finished job (send --duration 2) keeps its series, which no longer
#     grows: two reads 2.5 s apart are the same;
#   the API's headers; 400 without a name, 404 for an unknown job and for
#     one stopped, each with its error object.
#
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
TEST_TIMEOUT=${TEST_TIMEOUT:-90}
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a
out=$(ctl a start echo --name echo --port 0) || fail "start echo: $out"
start_send a send "ws://127.0.0.1:${out##*:}/" --rate 50 --connections 2

# series QUERY NAME: GET /api/series?QUERY into $WORK/NAME (headers in
# NAME.h), its status code in $STATUS.
series() {
	STATUS=$(curl -sS --max-time 10 -D "$WORK/$2.h" -o "$WORK/$2" \
		-w '%{http_code}' "$(metrics_url a "/api/series$1")") ||
		fail "GET /api/series$1 failed"
}

# rows NAME: how many rows $WORK/NAME has.
rows() {
	json_get 'len(j["rows"])' <"$WORK/$1"
}

wait_until 15 'series "?name=send" s0 && [ "$(rows s0)" -ge 2 ]' ||
	fail "/api/series?name=send has fewer than 2 rows after 15 s"
series '?name=send' s1
sleep 3
series '?name=send' s2
series '?name=echo' echo
for h in "Content-Type: application/json" "Cache-Control: no-store"; do
	grep -qix "$h"$'\r' "$WORK/s1.h" || defect "/api/series: no '$h'"
done

check=$("$PYTHON3" - "$WORK/s1" "$WORK/s2" "$WORK/echo" <<'EOF'
import json, sys
s1, s2, echo = (json.load(open(p)) for p in sys.argv[1:4])
header = ("t,connections,connections_opened,messages_received,messages_sent,"
          "bytes_received,bytes_sent,connection_errors,latency_p50_us,"
          "latency_p99_us").split(",")
bad = []
def need(ok, what):
    if not ok:
        bad.append(what)
for s, name in ((s1, "send"), (s2, "send"), (echo, "echo")):
    need(s.get("name") == name, f"name {s.get('name')!r}, expected {name}")
    need(s.get("fields") == header, f"{name}: fields {s.get('fields')}")
    for r in s["rows"]:
        if len(r) != len(header):
            bad.append(f"{name}: row {r}")
            break
if not bad:
    n1, n2 = len(s1["rows"]), len(s2["rows"])
    need(s2["rows"][:n1] == s1["rows"], "the rows changed between reads")
    need(2 <= n2 - n1 <= 5, f"{n2 - n1} rows in 3 s ({n1}, then {n2})")
    ts = [r[0] for r in s2["rows"]]
    steps = [b - a for a, b in zip(ts, ts[1:])]
    need(ts[0] > 0 and all(0.5 < d < 2.5 for d in steps), f"t: {ts}")
    f = {k: i for i, k in enumerate(header)}
    for s, name in ((s2, "send"), (echo, "echo")):
        # The first second may find a connection still opening.
        conns = [r[f["connections"]] for r in s["rows"][1:]]
        need(set(conns) == {2}, f"{name}: connections {conns}")
        need(sum(r[f["connections_opened"]] for r in s["rows"]) >= 1,
             f"{name}: nothing opened")
    lat = [(r[f["latency_p50_us"]], r[f["latency_p99_us"]])
           for r in s2["rows"]]
    timed = [x for x in lat if x[0] is not None]
    need(len(timed) >= len(lat) - 1 and
         all(0 < p50 <= p99 for p50, p99 in timed), f"send: latency {lat}")
    need(all(r[f["latency_p50_us"]] is None and r[f["latency_p99_us"]] is None
             for r in echo["rows"]), "echo times nothing, has latency")
    sent = [r[f["messages_sent"]] for r in s2["rows"][1:]]
    need(all(50 <= x <= 150 for x in sent), f"send: messages_sent {sent}")
print("; ".join(bad))
EOF
) || fail "checking /api/series failed: $(head -c 300 "$WORK/s2")"
if [ -z "$check" ]; then
	note "/api/series: $(rows s1), then $(rows s2) rows 3 s later"
else
	defect "/api/series: $check"
fi
# Three decimals in every t and latency, as the text has them, not as a
# float would print.
odd=$("$PYTHON3" -c '
import re, sys
text = open(sys.argv[1]).read()
rows = re.findall(r"\[([^][]*)\]", text.split("\"rows\":", 1)[1])
print(" ".join(v for r in rows for i, v in enumerate(r.split(","))
               if i in (0, 8, 9) and v != "null" and
               not re.fullmatch(r"[0-9]+\.[0-9]{3}", v)))' "$WORK/s2")
[ -z "$odd" ] || defect "/api/series: not 3 decimals: $odd"

# A finished job's series stands still.
start_send a short "ws://127.0.0.1:${out##*:}/" --rate 50 --duration 2
wait_until 20 '[ "$(ctl a -j stats short | json_get "j[0][\"state\"]")" = finished ]' ||
	fail "short is not finished 20 s after its start"
series '?name=short' f1
sleep 2.5
series '?name=short' f2
if [ "$STATUS" != 200 ] || ! cmp -s "$WORK/f1" "$WORK/f2" || [ "$(rows f2)" -lt 1 ]; then
	defect "a finished job's series: $STATUS, $(head -c 300 "$WORK/f1") then $(head -c 300 "$WORK/f2")"
else
	note "a finished job's series: $(rows f2) rows, still"
fi

stop_job a echo
for q in ':400:no name=NAME in the query' '?name=:400:no name=NAME in the query' \
	'?name=nosuch:404:no such job' '?name=echo:404:no such job'; do
	IFS=: read -r query code error <<<"$q"
	series "$query" err
	got=$(json_get 'j["error"]' <"$WORK/err" 2>/dev/null)
	[ "$STATUS $got" = "$code $error" ] ||
		defect "GET /api/series$query: $STATUS $(cat "$WORK/err")"
done

stop_daemon a
finish
