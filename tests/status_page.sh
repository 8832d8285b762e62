#!/bin/bash
# SPDX-License-Identifier: ISC
# The live status page on the metrics server, with a push job and two recv
# jobs reading it:
#   GET / is src/status.html as built in, with its headers (HTML, no-store,
#     a Content-Security-Policy of self and inline only), and loads nothing
#     from another host;
#   GET /api/stats is JSON with the daemon's version, uptime and time, and
#     every job with its totals and per-second rates;
#   in headless Chromium, driven over the DevTools protocol
#     (tests/helpers/chromium/status_cdp.py), the page logs no error or exception,
#     shows every job, its figures move between two reads 2.5 s apart, and
#     its chart has points; a screenshot goes to tests/status_page.png in
#     the build directory;
#   with a send job timing round trips through an echo job: GET
#     /api/latency?name=NAME is its distribution (percentiles rising to 1,
#     counts to the total), and an error for a job that times nothing, an
#     unknown job or no name; on the page, the send job's p50 and p99 show
#     (none for the others), its percentile chart is drawn, and they agree
#     with /api/stats read right after (within the histograms' resolution);
#   with a recv job of --duration 3 s, finished before the page opens: the
#     page shows it finished, its run figures (started, duration, ramp,
#     full load, peak connections, the rates each way, connect p50/p90/p99)
#     are those of `stats -j` (the durations to the millisecond, the counts
#     exactly, the mean to its decimal, the times to their 3 digits), and
#     its series charts have as many points as /api/series has rows (two
#     lines of messages a second) and are drawn.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (Debian package chromium)"
JOBS="push recv1 recv2"

start_daemon a
start_push a push
start_recv a recv1 "ws://127.0.0.1:$PUSH_PORT/" --connections 2
start_recv a recv2 "ws://127.0.0.1:$PUSH_PORT/"
# Rates are a second's difference: two ticks after the first message.
wait_until 10 '[ "$(num_of a recv2 messages_received)" -gt 0 ]' ||
	fail "recv2 received nothing in 10 s"
sleep 2

# get PATH NAME: the body of PATH in $WORK/NAME, its headers in NAME.h.
get() {
	curl -sS --max-time 10 -D "$WORK/$2.h" -o "$WORK/$2" "$(metrics_url a "$1")" ||
		fail "GET $1 failed"
}

# header NAME FIELD: the value of a response header, without its CR.
header() {
	sed -n "s/^$2: *//Ip" "$WORK/$1.h" | tr -d '\r'
}

expect_header() {
	local v
	v=$(header "$1" "$2")
	[ "$v" = "$3" ] || defect "$1: $2 is '$v', expected '$3'"
}

csp="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:"

get / page
expect_header page Content-Type "text/html; charset=utf-8"
expect_header page Cache-Control no-store
expect_header page Content-Security-Policy "$csp"
cmp -s "$WORK/page" "$TESTS_SRCDIR/../src/status.html" ||
	defect "GET / is not src/status.html as it is in the source"
urls=$(grep -oiE '(https?:)?//[a-z0-9.-]+' "$WORK/page" | sort -u)
[ -z "$urls" ] || defect "the page refers to other hosts: $urls"
# Every src and href is inline data.
refs=$(grep -oiE '(src|href) *= *"[^"]*"' "$WORK/page" | grep -viE '"data:')
[ -z "$refs" ] || defect "the page loads: $refs"
note "GET /: $(wc -c <"$WORK/page") bytes, the source page, nothing from elsewhere"

get /api/stats stats
expect_header stats Content-Type application/json
expect_header stats Cache-Control no-store
expect_header stats Content-Security-Policy "$csp"
if ! "$PYTHON3" -m json.tool "$WORK/stats" >/dev/null 2>"$WORK/json.err"; then
	defect "/api/stats is not JSON: $(cat "$WORK/json.err"): $(head -c 300 "$WORK/stats")"
else
	version=$(ctl a version) || fail "version"
	check=$("$PYTHON3" - "$WORK/stats" "$version" "$PUSH_PORT" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
want_version = sys.argv[2].split()[-1]
port = sys.argv[3]
bad = []
def need(ok, what):
    if not ok:
        bad.append(what)
need(j.get("version") == want_version, f"version {j.get('version')!r}, expected {want_version!r}")
need(isinstance(j.get("uptime"), (int, float)) and 0 < j["uptime"] < 600, f"uptime {j.get('uptime')!r}")
need(isinstance(j.get("time"), (int, float)) and abs(j["time"] - __import__("time").time()) < 30, f"time {j.get('time')!r}")
jobs = {x.get("name"): x for x in j.get("jobs", [])}
need(sorted(jobs) == ["push", "recv1", "recv2"], f"jobs {sorted(jobs)}")
keys = ["messages_received", "messages_sent", "bytes_received", "bytes_sent", "connection_errors"]
for name, x in jobs.items():
    for k in ["kind", "target", "state", "connections"] + keys + ["per_second"]:
        need(k in x, f"{name}: no {k}")
    for k in keys:
        need(isinstance(x.get("per_second", {}).get(k), int), f"{name}: no per_second.{k}")
    need(x.get("state") == "running", f"{name}: state {x.get('state')!r}")
if not bad:
    p, r1, r2 = jobs["push"], jobs["recv1"], jobs["recv2"]
    need(p["kind"] == "push" and p["target"] == f"127.0.0.1:{port}", f"push: {p['kind']} {p['target']}")
    need(r1["kind"] == "recv" and r1["target"] == f"ws://127.0.0.1:{port}/", f"recv1: {r1['kind']} {r1['target']}")
    need(r1["connections"] == 2 and r2["connections"] == 1 and p["connections"] == 3,
         f"connections {p['connections']} {r1['connections']} {r2['connections']}")
    need(p["per_second"]["messages_sent"] > 0 and p["messages_sent"] > 0, "push sends nothing")
    for r in (r1, r2):
        need(r["per_second"]["messages_received"] > 0 and r["per_second"]["bytes_received"] > 0,
             f"{r['name']}: per_second {r['per_second']}")
print("; ".join(bad))
EOF
) || fail "checking /api/stats failed"
	if [ -z "$check" ]; then
		note "GET /api/stats: the three jobs with totals and rates"
	else
		defect "/api/stats: $check"
	fi
fi

# A job that times messages: a send job through an echo job.
out=$(ctl a start echo --name echo --port 0) || fail "start echo: $out"
ctl_ok a start send "ws://127.0.0.1:${out##*:}/" --name send --rate 200 \
	--connections 2 >/dev/null
JOBS="$JOBS echo send"
wait_until 10 '[ "$(num_of a send messages_received)" -gt 0 ]' ||
	fail "send received nothing in 10 s"
# A run that finishes: 3 s at full load.
start_recv a short "ws://127.0.0.1:$PUSH_PORT/" --connections 2 --duration 3

# latency_get QUERY NAME: GET /api/latency?QUERY into $WORK/NAME, with its
# status code in $STATUS.
latency_get() {
	STATUS=$(curl -sS --max-time 10 -o "$WORK/$2" -w '%{http_code}' \
		"$(metrics_url a "/api/latency$1")") || fail "GET /api/latency$1 failed"
}
latency_get '?name=send' latency
check=$("$PYTHON3" - "$WORK/latency" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
pts = j.get("points", [])
bad = []
if j.get("name") != "send" or j.get("type") != "rtt":
    bad.append(f"name {j.get('name')!r} type {j.get('type')!r}")
if not isinstance(j.get("count"), int) or j["count"] <= 0 or len(pts) < 3:
    bad.append(f"count {j.get('count')!r}, {len(pts)} points")
else:
    if pts[0][1] != 0 or pts[-1][1] != 1 or pts[-1][2] != j["count"]:
        bad.append(f"first {pts[0]}, last {pts[-1]}")
    for a, b in zip(pts, pts[1:]):
        if not (a[0] <= b[0] and a[1] <= b[1] and a[2] <= b[2]):
            bad.append(f"not rising: {a} then {b}")
            break
print("; ".join(bad))
EOF
) || fail "checking /api/latency failed: $(head -c 300 "$WORK/latency")"
[ -z "$check" ] || defect "/api/latency?name=send: $check"
for q in '?name=push:404:the job times nothing' '?name=nosuch:404:no such job' \
	':400:no name=NAME in the query'; do
	IFS=: read -r query code error <<<"$q"
	latency_get "$query" latency.err
	got=$(json_get 'j["error"]' <"$WORK/latency.err" 2>/dev/null)
	[ "$STATUS $got" = "$code $error" ] ||
		defect "GET /api/latency$query: $STATUS $(cat "$WORK/latency.err")"
done

out=$(curl -sS --max-time 10 "$(metrics_url a /nosuch)")
[ "$out" = "not found: try /metrics, / or /api/stats" ] ||
	defect "GET /nosuch says '$out'"

# Chromium on a blank tab; the driver opens the page once it listens.
spawn bash "$HELPERS/chromium/run_chromium.sh" "$WORK/chrome" about:blank \
	--remote-debugging-port=0 >"$WORK/chromium.out" 2>"$WORK/chromium.err"
chromium_pid=$LAST_PID
mkdir -p tests
shot=$PWD/tests/status_page.png
rm -f "$shot"
wait_until 20 '[ "$(ctl a -j stats short | json_get "j[0][\"state\"]")" = finished ]' ||
	fail "short is not finished 20 s after its start"
run_bounded 90 "$PYTHON3" "$HELPERS/chromium/status_cdp.py" \
	--profile "$WORK/chrome/profile" --url "$(metrics_url a /)" \
	--screenshot "$shot" --wait-jobs 6 --gap 2.5 --timeout 60 --timed 1 \
	--finished short \
	>"$WORK/report.json" 2>"$WORK/cdp.err"
rc=$?
sed 's/^/    /' "$WORK/cdp.err"
kill_pid "$chromium_pid"
if [ "$rc" -ne 0 ]; then
	grep -v 'dbus\|^$' "$WORK/chromium.err" | tail -n 20 | sed 's/^/    [chromium] /'
	fail "status_cdp.py exited $rc"
fi

# report EXPR: a Python expression on the report, j.
report() {
	json_get "$1" <"$WORK/report.json"
}

errors=$(report '"\n".join(j["errors"])')
[ -z "$errors" ] || defect "the page logged errors: $errors"
for job in $JOBS; do
	[ "$(report "[r['job'] for r in j['reads'][0]].count('$job')")" = 1 ] ||
		defect "the table does not show $job: $(report 'j["reads"][0]')"
	report "j['legend']" | grep -q "\"$job " ||
		defect "the legend does not show $job: $(report 'j["legend"]')"
done

# column TITLE: its index in the table.
column() {
	report "j['headers'].index('$1')"
}
# moved JOB TITLE: JOB's figure in that column differs between the reads.
moved() {
	local c a b
	c=$(column "$2") || { defect "no column '$2': $(report 'j["headers"]')"; return; }
	a=$(report "[r['cells'][$c] for r in j['reads'][0] if r['job'] == '$1']")
	b=$(report "[r['cells'][$c] for r in j['reads'][1] if r['job'] == '$1']")
	if [ "$a" = "[]" ] || [ "$a" = "$b" ] || [ "$a" = '["0"]' ]; then
		defect "$1's $2 did not move: $a, then $b"
	else
		note "$1's $2 moved: $a, then $b"
	fi
}
moved push "msg/s out"
moved recv1 "msg/s in"
moved recv2 "msg/s in"

points=$(report 'j["points"]')
pixels=$(report 'j["colored_pixels"]')
if ! is_uint "$points" || [ "$points" -lt 3 ] || ! is_uint "$pixels" || [ "$pixels" -lt 50 ]; then
	defect "the chart has $points points and $pixels coloured pixels"
else
	note "the chart: $points points, $pixels coloured pixels"
fi
# The send job's latency: its p50 and p99 in the table, its chart, against
# /api/stats; none for the jobs that time nothing.
check=$(report '"; ".join(j["latency_problems"])')
if [ -n "$check" ]; then
	defect "latency on the page: $check"
else
	note "latency on the page: $(report 'j["latency"][-1]["shown"]["send"]')"
fi

# The finished job's run on the page against stats -j and /api/series,
# read now: a finished job stands still.
ctl a -j stats short >"$WORK/short.json" || fail "stats -j short"
curl -sS --max-time 10 -o "$WORK/short.series" \
	"$(metrics_url a '/api/series?name=short')" || fail "GET /api/series?name=short"
check=$("$PYTHON3" - "$WORK/report.json" "$WORK/short.json" \
	"$WORK/short.series" "$HELPERS/chromium" <<'EOF'
import json, re, sys
sys.path.insert(0, sys.argv[4])
from status_cdp import micros
run = json.load(open(sys.argv[1]))["run"]
stats = json.load(open(sys.argv[2]))[0]
rows = len(json.load(open(sys.argv[3]))["rows"])
bad = []
def need(ok, what):
    if not ok:
        bad.append(what)
def at(o, path):
    for k in path.split("."):
        o = o.get(k) if isinstance(o, dict) else None
    return o
def ms(text):
    """12.345 s, or [Nd ]hh:mm:ss.mmm, in ms."""
    m = re.fullmatch(r"([0-9]+)\.([0-9]{3}) s", text)
    if m:
        return int(m[1]) * 1000 + int(m[2])
    m = re.fullmatch(r"(?:([0-9]+)d )?([0-9]+):([0-9]+):([0-9]+)\.([0-9]{3})",
                     text)
    return None if m is None else ((int(m[1] or 0) * 86400 + int(m[2]) * 3600
        + int(m[3]) * 60 + int(m[4])) * 1000 + int(m[5]))
def same(path, text, want):
    if want is None:
        return text == "-"
    if path == "run.started":
        return text == want
    if path.endswith("_ms"):
        return ms(text) == want
    if path.endswith("_us"):
        got = micros(text)
        return got is not None and abs(got - want) <= 0.005 * want + 0.001
    if path.endswith(".mean"):
        return text.replace(",", "") == f"{want:.1f}"
    return text.replace(",", "") == str(want)
if run is None:
    bad.append("no run block for short")
else:
    need(run["state"] == "finished" and run["title"] == "short finished",
         f"state {run['state']!r}, title {run['title']!r}")
    need(run["series"] == "finished",
         f"series read in state {run['series']!r}")
    want = ["run.started", "run.duration_ms", "run.ramp_ms",
            "run.full_load_ms", "run.peak_connections"] + [
            f"run.messages_{d}_per_second.{k}" for d in ("received", "sent")
            for k in ("mean", "min", "max")] + [
            f"handshake.{q}_us" for q in ("p50", "p90", "p99")]
    for path in want:
        text = run["figures"].get(path)
        if text is None or not same(path, text, at(stats, path)):
            bad.append(f"{path}: page {text!r}, stats -j {at(stats, path)!r}")
    need(at(stats, "run.messages_received_per_second") is not None,
         "stats -j: no rate received over full load")
    c = run["charts"]
    need(rows >= 2 and run["rows"] == rows,
         f"{run['rows']} rows drawn, /api/series {rows}")
    need(c["connections"]["points"] == rows and
         c["messages"]["points"] == 2 * rows,
         f"points {c}, /api/series {rows} rows")
    need(c["latency"]["hidden"], "a latency chart for a job that times nothing")
    for k in ("connections", "messages"):
        need(c[k]["colored_pixels"] >= 30,
             f"{k}: {c[k]['colored_pixels']} coloured pixels")
print("; ".join(bad))
EOF
) || fail "checking the finished run failed"
if [ -n "$check" ]; then
	defect "the finished run on the page: $check"
else
	note "the finished run on the page: $(report 'j["run"]["figures"]'), $(report 'j["run"]["rows"]') rows"
fi

live=$(report 'j["live"]')
[ "$live" = "live, every second" ] || defect "the page says '$live'"

[ "$(head -c 8 "$shot" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
	defect "no PNG screenshot in $shot"
note "screenshot: $shot"

stop_daemon a
finish
