#!/bin/bash
# SPDX-License-Identifier: ISC
# `wsbenchctl run FILE`, the CI step: an echo server and a send job of
# 200 connections against it, opened at 100 a second, with --duration.
# Requirements that hold exit 0 with the report (text, and -j as JSON that
# parses, with -o writing the series as CSV); one that cannot hold exits
# 1 naming it; a bad expression exits 2 before any job starts; Ctrl-C
# (SIGINT to wsbenchctl) mid-run prints the report and exits 3, as does a
# job that fails to start; a client killed mid-run still has its jobs
# removed.  Every run leaves no job behind.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a

# run_file NAME DURATION REQUIREMENT...: writes $WORK/NAME.run.
run_file() {
	local name=$1 duration=$2 port
	shift 2
	port=$(free_port) || fail "free_port"
	{
		echo "# a run: $name"
		echo "start echo --name srv --port $port"
		echo
		echo "start send ws://127.0.0.1:$port/ --name load" \
			"--connections 200 --connect-rate 100 --duration $duration --rate 10"
		printf 'wait load'
		printf " --require '%s'" "$@"
		echo
	} >"$WORK/$name.run"
}

# run_started NAME: runs $WORK/NAME.run in the background (pid, its
# output in $WORK/NAME.out and .err) until its jobs are listed.
run_started() {
	spawn "$WSBENCHCTL" -s "${DAEMON_SOCK[a]}" run "$WORK/$1.run" \
		>"$WORK/$1.out" 2>"$WORK/$1.err"
	pid=$LAST_PID
	wait_until 15 '[ "$(job_names a | xargs)" = "load srv" ]' ||
		fail "the run's jobs did not start: $(job_names a | xargs)"
}

# no_jobs WHAT: the list is empty.
no_jobs() {
	local left
	left=$(job_names a | xargs)
	[ -z "$left" ] || defect "$1: jobs left behind: $left"
}

# run_it NAME [WSBENCHCTL ARG...]: runs $WORK/NAME.run, bounded; RC, and
# the output in $WORK/NAME.out and .err.
RC=
run_it() {
	local name=$1
	shift
	run_bounded 40 "$WSBENCHCTL" -s "${DAEMON_SOCK[a]}" "$@" run \
		"$WORK/$name.run" >"$WORK/$name.out" 2>"$WORK/$name.err"
	RC=$?
	note "run $name: exit $RC: $(tail -n 1 "$WORK/$name.err")"
}

note "requirements that hold: exit 0, the report, the series"
run_file pass 5 errors==0 'p99<2s' 'connect_p99<1s' 'rate>=1' 'peak_connections==200'
run_it pass -o "$WORK/series.csv"
[ "$RC" -eq 0 ] || defect "a run that holds exited $RC: $(cat "$WORK/pass.err")"
for key in 'name +load' 'state +finished' 'closes_1000 +200' 'full_load +[0-9]' \
	'name +srv' 'verdict pass' 'requirement load rate>=1: [0-9.]+, held' \
	'requirement load errors==0: 0, held'; do
	grep -Eq "^$key" "$WORK/pass.out" || defect "the report has no line '$key'"
done
[ "$(head -n 1 "$WORK/series.csv")" = \
	name,t,connections,connections_opened,messages_received,messages_sent,bytes_received,bytes_sent,connection_errors,latency_p50_us,latency_p99_us ] ||
	defect "series header: $(head -n 1 "$WORK/series.csv")"
rows=$(grep -c '^load,' "$WORK/series.csv")
[ "$rows" -ge 5 ] || defect "$rows rows of load in the series, expected 5 or more"
no_jobs "pass"

note "the same as JSON"
run_file json 1 errors==0 'p99<2s'
run_it json -j
[ "$RC" -eq 0 ] || defect "the JSON run exited $RC: $(cat "$WORK/json.err")"
"$PYTHON3" -m json.tool "$WORK/json.out" >/dev/null ||
	defect "-j run: not JSON: $(head -c 300 "$WORK/json.out")"
v=$(json_get '(j["verdict"], len(j["jobs"]), [r["held"] for r in j["requirements"]], j["jobs"][1]["state"])' <"$WORK/json.out")
[ "$v" = "('pass', 2, [True, True], 'finished')" ] || defect "-j run: $v"
no_jobs "json"

note "a requirement that cannot hold: exit 1, named"
run_file fail 1 errors==0 'p99<1ns'
run_it fail
[ "$RC" -eq 1 ] || defect "a failing run exited $RC"
grep -q '^requirement load p99<1ns: .*, FAILED$' "$WORK/fail.out" ||
	defect "the failed requirement is not named: $(grep requirement "$WORK/fail.out")"
grep -q '^verdict fail$' "$WORK/fail.out" || defect "no 'verdict fail'"
grep -qx 'wsbenchctl: 1 of 2 requirements failed' "$WORK/fail.err" ||
	defect "last line: $(cat "$WORK/fail.err")"
no_jobs "fail"

note "a bad expression: exit 2, nothing started"
run_file bad 1 errors==0 'p99<5'
run_it bad
[ "$RC" -eq 2 ] || defect "a bad expression exited $RC"
grep -q 'bad.run:5: .*p99 is a time' "$WORK/bad.err" ||
	defect "the error does not name the line and the fault: $(cat "$WORK/bad.err")"
no_jobs "bad"

note "Ctrl-C mid-run: the report, exit 3, no job left"
run_file int 60 errors==0
run_started int
sleep 2
kill -INT "$pid"
wait_pid "$pid" 20 || fail "wsbenchctl run did not end within 20 s of SIGINT"
[ "$WAIT_RC" -eq 3 ] || defect "an interrupted run exited $WAIT_RC"
grep -qx 'wsbenchctl: interrupted' "$WORK/int.err" ||
	defect "interrupted run: $(cat "$WORK/int.err")"
grep -Eq '^state +finished' "$WORK/int.out" ||
	defect "interrupted run: no finished job in the report"
grep -q '^verdict not judged$' "$WORK/int.out" || defect "no 'verdict not judged'"
wait_until 10 '[ -z "$(job_names a | xargs)" ]' || true
no_jobs "interrupted"

note "a job that fails to start: exit 3, those started removed"
port=$(free_port) || fail "free_port"
cat >"$WORK/busy.run" <<EOF2
start echo --name one --port $port
start echo --name two --port $port
start send ws://127.0.0.1:$port/ --name load --duration 1
EOF2
run_it busy
[ "$RC" -eq 3 ] || defect "a run whose job cannot start exited $RC"
grep -q 'busy.run:2: start: ' "$WORK/busy.err" ||
	defect "the error does not name the line: $(cat "$WORK/busy.err")"
no_jobs "busy"

note "a client that vanishes: its run's jobs are removed all the same"
run_file gone 60 errors==0
run_started gone
kill_pid "$pid"
wait_until 15 '[ -z "$(job_names a | xargs)" ]' ||
	defect "jobs of a vanished client left: $(job_names a | xargs)"

stop_daemon a
finish
