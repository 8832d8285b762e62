#!/bin/bash
# SPDX-License-Identifier: ISC
# `wsbenchctl wait`: what it refuses before waiting (exit 2: an unknown
# job, one without --duration, a bad or unknown requirement), what ends it
# unjudged (exit 3: --timeout, the job removed meanwhile), two jobs waited
# for with requirements whose values are the numbers `stats -j` shows, and
# the read group, which may wait but not run.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v setpriv >/dev/null || fail "setpriv is missing (util-linux)"
rgroup=users
rgid=$(getent group "$rgroup" | cut -d: -f3) || fail "no group $rgroup"

chmod 0711 "$WORK"
echo "set control-read-group $rgroup" >"$WORK/a.conf"
start_daemon a -f "$WORK/a.conf"
port=$(free_port) || fail "free_port"
ctl_ok a start echo --name e --port "$port"
url=ws://127.0.0.1:$port/

# expect_wait STATUS TEXT WAIT-ARG...: wait exits STATUS, TEXT on stderr.
expect_wait() {
	local want=$1 text=$2 rc
	shift 2
	ctl a wait "$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	[ "$rc" -eq "$want" ] || defect "wait $*: exit $rc, not $want: $(cat "$WORK/err")"
	grep -qF -- "$text" "$WORK/err" ||
		defect "wait $*: the error does not say '$text': $(cat "$WORK/err")"
}

note "refused before waiting: exit 2"
expect_wait 2 "no job named 'nosuch'" nosuch
expect_wait 2 "job 'e' has no --duration" e
expect_wait 2 "no job has --duration"
ctl_ok a start send "$url" --name long --duration 60 --rate 5
ctl_ok a start recv "$url" --name untimed --duration 60
expect_wait 2 "two operators" long --require 'p99<<5ms'
expect_wait 2 "give a unit" long --require 'p99<5'
expect_wait 2 "errors is a count" long --require 'errors<5ms'
expect_wait 2 "unknown field 'latency_type'" long --require 'latency_type==1'
expect_wait 2 "job 'untimed' has no field 'p99'" untimed --require 'p99<1s'
expect_wait 2 "job 'untimed' has no field 'nosuch'" untimed --require 'nosuch>1'
expect_wait 2 "job 'e' is not one of the jobs waited for" long --require 'e:errors==0'
expect_wait 2 "usage: wait" long --bogus

note "not judged: exit 3"
expect_wait 3 "timed out after 1 s" long --timeout 1s
# The timeout is kept to the millisecond, not to the next second's tick:
# three waits of 1.5 s each answer within 0.35 s of it (at a tick, each
# would be late by a uniform 0 to 1 s).
for i in 1 2 3; do
	t0=$(_now_ms)
	expect_wait 3 "timed out after 1.5 s" long --timeout 1.5s
	late=$(( $(_now_ms) - t0 - 1500 ))
	note "wait --timeout 1.5s $i: answered ${late} ms after it"
	if [ "$late" -lt 0 ] || [ "$late" -ge 350 ]; then
		defect "wait --timeout 1.5s answered ${late} ms after the timeout"
	fi
done
spawn "$WSBENCHCTL" -s "${DAEMON_SOCK[a]}" wait long >"$WORK/rm.out" 2>"$WORK/rm.err"
pid=$LAST_PID
sleep 1
ctl_ok a stop long
wait_pid "$pid" 15 || fail "wait did not end within 15 s of the job's removal"
[ "$WAIT_RC" -eq 3 ] || defect "a removed job: exit $WAIT_RC, not 3"
grep -qx "wsbenchctl: job 'long' was removed while waited for" "$WORK/rm.err" ||
	defect "a removed job: $(cat "$WORK/rm.err")"
ctl_ok a stop untimed

note "two jobs; the requirements' values are the report's"
ctl_ok a start send "$url" --name s1 --connections 2 --duration 2 --rate 20
ctl_ok a start send "$url" --name s2 --connections 3 --duration 3 --rate 20
t0=$(_now_ms)
ctl a -j wait s1 s2 --require 'messages_sent>=1' --require 'p99<10s' \
	--require 'connect_p50<10s' --require 'rate>=1' \
	--require 'peak_connections>=1' --require 's2:errors==0' \
	>"$WORK/two.json" 2>"$WORK/two.err" ||
	fail "wait s1 s2: exit $?: $(cat "$WORK/two.err"): $(json_get "j[\"requirements\"]" <"$WORK/two.json")"
took=$(($(_now_ms) - t0))
note "waited $took ms"
[ "$took" -ge 2900 ] || defect "wait s1 s2 returned after $took ms, before s2's 3 s"
"$PYTHON3" - "$WORK/two.json" >"$WORK/two.check" <<'PY' || defect "$(cat "$WORK/two.check")"
import json, sys
r = json.load(open(sys.argv[1]))
jobs = {j["name"]: j for j in r["jobs"]}
bad = []
if sorted(jobs) != ["s1", "s2"] or r["verdict"] != "pass":
    bad.append("jobs %s, verdict %s" % (sorted(jobs), r["verdict"]))
for name, j in jobs.items():
    if j["state"] != "finished":
        bad.append("%s is %s" % (name, j["state"]))
want = {
    "messages_sent>=1": lambda j: j["messages_sent"],
    "p99<10s": lambda j: j["latency"]["life"]["p99_us"],
    "connect_p50<10s": lambda j: j["handshake"]["p50_us"],
    "rate>=1": lambda j: j["run"]["messages_sent_per_second"]["mean"],
    "peak_connections>=1": lambda j: j["run"]["peak_connections"],
    "s2:errors==0": lambda j: j["connection_errors"],
}
seen = 0
for q in r["requirements"]:
    seen += 1
    v = want[q["expr"]](jobs[q["job"]])
    if abs(float(q["value"]) - float(v)) > 1e-6 * max(1.0, abs(float(v))) or not q["held"]:
        bad.append("%s of %s: %s, stats says %s" % (q["expr"], q["job"], q["value"], v))
if seen != 11:
    bad.append("%d requirements judged, not 11" % seen)
print("\n".join(bad) if bad else "ok")
sys.exit(1 if bad else 0)
PY
ctl_ok a stop s1
ctl_ok a stop s2

note "the read group may wait, not run"
ctl_ok a start send "$url" --name r1 --duration 1 --rate 5
printf 'start send %s --name r2 --duration 1\n' "$url" >"$WORK/r.run"
as_reader() {
	run_bounded 20 setpriv --reuid=65534 --regid="$rgid" --clear-groups \
		"$PYTHON3" - "${DAEMON_SOCK[a]}" line "$1" <"$HELPERS/ctl_raw.py"
}
out=$(as_reader 'wait r1 --require errors==0') || fail "reader's wait: exit $?"
[[ $out == *$'>verdict pass\n.' ]] || defect "the reader's wait got '$out'"
out=$(as_reader 'run x.run') || fail "reader's run: exit $?"
[[ $out == *'permission denied'* ]] || defect "the reader's run got '$out'"

stop_daemon a
finish
