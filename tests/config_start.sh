#!/bin/bash
# SPDX-License-Identifier: ISC
# Starting on a config, as wsbenchd(8) and wsbenchd.conf(5) describe it:
# - a file with an error found by the check (-n) is reported and wsbenchd
#   exits 1 "before starting anything";
# - an error only running the file can show (a port in use, a name given
#   twice, stopping an unknown job): the remaining lines still run, then
#   "FILE: jobs failed to start, stopping", the started jobs stop, exit 1.
#
# The checks are independent: each failure is reported and the test goes
# on, failing at the end.
#
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# run_conf TAG: wsbenchd -f $WORK/TAG.conf in the foreground (bounded),
# log in $WORK/TAG.log; sets RC.
RC=
run_conf() {
	local tag=$1 port
	port=$(free_port) || fail "free_port"
	run_bounded 20 "$WSBENCHD" -f "$WORK/$tag.conf" -s "$WORK/$tag.sock" \
		-m "127.0.0.1:$port" >"$WORK/$tag.log" 2>&1
	RC=$?
	check_log "$WORK/$tag.log" "wsbenchd -f $tag.conf"
	[ ! -e "$WORK/$tag.sock" ] || defect "$tag: the socket is left behind"
}

# has TAG LINE: the log of TAG has exactly this line.
has() {
	grep -qxF -- "$2" "$WORK/$1.log"
}

# --- an error the check finds: nothing starts ------------------------------------

cat >"$WORK/early.conf" <<'EOF'
start push --name early --port 0
bogus
start push --name late --port 0
EOF
run_conf early
[ "$RC" -eq 1 ] || defect "early: exit $RC, expected 1"
has early "wsbenchd: $WORK/early.conf:2: unknown command 'bogus' (valid: start stop list stats watch version help reload set latency wait run)" ||
	defect "early: line 2 is not reported: $(cat "$WORK/early.log")"
if grep -q 'job .*started' "$WORK/early.log"; then
	defect "early: jobs start although the check of the file fails (wsbenchd(8): 'exits with status 1 before starting anything'): $(grep 'started' "$WORK/early.log" | tr '\n' ' ')"
fi
if grep -q 'ready' "$WORK/early.log"; then
	defect "early: the daemon got ready although the check of the file fails"
fi

# --- errors only running the file shows: the rest still runs ----------------------

# A port in use: hold one with a push of another daemon.
start_daemon holder
start_push holder hold
busy=$PUSH_PORT
cat >"$WORK/late.conf" <<EOF
start push --name busy --port $busy
start push --name after --port 0
start push --name after --port 0
stop nosuchjob
EOF
# The check cannot see these errors (wsbenchd.conf(5)).
run_bounded 20 "$WSBENCHD" -n -f "$WORK/late.conf" >"$WORK/late.n" 2>&1
rc=$?
[ "$rc" -eq 0 ] || defect "late: -n exits $rc: $(cat "$WORK/late.n")"
run_conf late
[ "$RC" -eq 1 ] || defect "late: exit $RC, expected 1"
has late "wsbenchd: $WORK/late.conf:1: start: cannot listen on 127.0.0.1:$busy: Address already in use" ||
	defect "late: line 1 (port in use) is not reported: $(cat "$WORK/late.log")"
has late "wsbenchd: $WORK/late.conf:3: start: job 'after' already exists" ||
	defect "late: line 3 (name given twice) is not reported: $(cat "$WORK/late.log")"
has late "wsbenchd: $WORK/late.conf:4: stop: no job named 'nosuchjob'" ||
	defect "late: line 4 (unknown job) is not reported: $(cat "$WORK/late.log")"
has late "wsbenchd: job after: started push 127.0.0.1:$(sed -n 's/^wsbenchd: job after: started push 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$WORK/late.log")" ||
	defect "late: line 2 did not run after the error of line 1: $(cat "$WORK/late.log")"
has late "wsbenchd: job after: stopped" ||
	defect "late: the job that started is not stopped: $(cat "$WORK/late.log")"
has late "wsbenchd: $WORK/late.conf: jobs failed to start, stopping" ||
	defect "late: no 'FILE: jobs failed to start, stopping' line (wsbenchd.conf(5)): $(cat "$WORK/late.log")"
# The holder is untouched.
[ "$(job_names holder)" = hold ] || defect "the daemon holding the port lost its job"
stop_daemon holder

finish
