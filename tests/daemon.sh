#!/bin/bash
# SPDX-License-Identifier: ISC
# The daemon's life, as wsbenchd(8) describes it: signals (SIGINT, a
# second SIGTERM during a slow shutdown, SIGHUP and SIGPIPE ignored), the
# "stopping" state, the control socket file (mode, directory, what is at
# its path), command-line errors and exit statuses.
#
# The checks are independent: each failure is reported and the test goes
# on, failing at the end.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# run_daemon TAG ARG...: wsbenchd in the foreground (20 s at most), output
# in $WORK/TAG.log; sets RC.
RC=
run_daemon() {
	local tag=$1
	shift
	run_bounded 20 "$WSBENCHD" "$@" >"$WORK/$tag.log" 2>&1
	RC=$?
	check_log "$WORK/$tag.log" "wsbenchd $*"
}

# stalled_client ID JOB: a Python client of push job JOB that reads 10
# messages, then nothing: the job's close frames never get read.
stalled_client() {
	local id=$1 job=$2 port
	port=$(ctl "$id" -j list | json_get "[x['target'] for x in j if x['name'] == '$job'][0].rsplit(':', 1)[1]") ||
		fail "no port for $job"
	spawn "$PYTHON3" "$HELPERS/peer_client.py" "ws://127.0.0.1:$port/" \
		--count 10 --stall --timeout 60 >"$WORK/stall.out" 2>"$WORK/stall.err"
	STALL_PID=$LAST_PID
	wait_until 15 '[ -s "$WORK/stall.out" ]' ||
		fail "the stalled client did not start: $(cat "$WORK/stall.err")"
	wait_until 10 '[ "$(num_of "$id" "$job" connections)" -eq 1 ]' ||
		fail "$job does not see the stalled client"
}
STALL_PID=

# --- the socket file -------------------------------------------------------------

start_daemon a
mode=$(stat -c '%a' "${DAEMON_SOCK[a]}")
[ "$mode" = 660 ] || defect "control socket mode $mode, expected 660"

# SIGPIPE is ignored.
kill -PIPE "${DAEMON_PID[a]}"
sleep 0.5
if ! { alive "${DAEMON_PID[a]}" && ctl a version >/dev/null 2>&1; }; then
	fail "wsbenchd dies of SIGPIPE"
fi

# --- "stopping": a job whose peer does not finish the close --------------------

start_push a p
stalled_client a p
ctl a stop p >/dev/null || defect "stop p failed"
state=$(ctl a -j list | json_get "' '.join(x['state'] for x in j if x['name'] == 'p')")
[ "$state" = stopping ] ||
	defect "a job waiting for its peer's close is listed as '$state', expected 'stopping'"
grep -Eq '^p +push +stopping ' <(ctl a list) ||
	defect "list shows no 'stopping' row for p: $(ctl a list)"
out=$(ctl a stop p 2>&1) && defect "stop of a stopping job succeeds: $out"
[ "$out" = "wsbenchctl: stop: job 'p' is already stopping" ] ||
	defect "stop of a stopping job: '$out', expected \"wsbenchctl: stop: job 'p' is already stopping\""
# The close handshake is given 2 seconds.
wait_until 6 '! job_names a | grep -x p >/dev/null' ||
	defect "p still listed 6 s after stop, with its peer not answering the close"
kill_pid "$STALL_PID"

# --- SIGINT --------------------------------------------------------------------------

stop_daemon a INT

# --- a second SIGTERM during a slow shutdown is only logged ------------------

start_daemon b
start_push b p
stalled_client b p
t0=$(_now_ms)
kill -TERM "${DAEMON_PID[b]}"
sleep 0.5
alive "${DAEMON_PID[b]}" || defect "the shutdown did not wait for the peer's close"
kill -TERM "${DAEMON_PID[b]}" 2>/dev/null
if wait_pid "${DAEMON_PID[b]}" 15; then
	ms=$(($(_now_ms) - t0))
	check_log "${DAEMON_LOG[b]}" "wsbenchd b"
	[ "$WAIT_RC" -eq 0 ] ||
		defect "after a second SIGTERM during the shutdown wsbenchd exited $WAIT_RC, expected 0"
	((ms <= 8000)) || defect "the shutdown took $ms ms, more than the 2 s close timeout allows"
	[ ! -e "${DAEMON_SOCK[b]}" ] || defect "wsbenchd b left its socket behind"
	note "ok: shutdown with a stalled peer and a second SIGTERM: exit $WAIT_RC after $ms ms"
else
	defect "wsbenchd does not exit within 15 s of SIGTERM with a stalled peer"
fi
kill_pid "$STALL_PID"

# --- the socket's directory is made; another file at its path is kept ------------

sock=$WORK/newdir/c.sock
port=$(free_port) || fail "free_port"
spawn "$WSBENCHD" -s "$sock" -m "127.0.0.1:$port" -f "$WORK/empty.conf" \
	>"$WORK/newdir.log" 2>&1
pid=$LAST_PID
if wait_until 10 '"$WSBENCHCTL" -s "$sock" version >/dev/null 2>&1 || ! alive $pid'; then
	"$WSBENCHCTL" -s "$sock" version >/dev/null 2>&1 ||
		defect "wsbenchd does not create the missing directory of its socket: $(cat "$WORK/newdir.log")"
fi
kill_pid "$pid"

echo precious >"$WORK/regular"
spawn "$WSBENCHD" -s "$WORK/regular" -m "127.0.0.1:$(free_port)" -f "$WORK/empty.conf" \
	>"$WORK/regular.log" 2>&1
pid=$LAST_PID
wait_until 5 '! alive $pid'
if alive "$pid"; then
	kill_pid "$pid"
	defect "wsbenchd -s FILE starts when FILE is a regular file: it must refuse"
else
	wait_pid "$pid" 1
	[ "$WAIT_RC" -eq 1 ] || defect "wsbenchd -s FILE (a regular file): exit $WAIT_RC, expected 1"
fi
[ "$(cat "$WORK/regular" 2>/dev/null)" = precious ] ||
	defect "wsbenchd -s FILE replaced the regular file FILE: $(ls -l "$WORK/regular" 2>&1)"
check_log "$WORK/regular.log" "wsbenchd -s FILE"
mkdir "$WORK/adir"
run_daemon adir -s "$WORK/adir" -m "127.0.0.1:$(free_port)" -f "$WORK/empty.conf"
[ "$RC" -eq 1 ] || defect "wsbenchd -s DIRECTORY: exit $RC, expected 1"
[ -d "$WORK/adir" ] || defect "wsbenchd -s DIRECTORY removed the directory"

# --- SIGHUP is ignored ---------------------------------------------------------------

start_daemon d
start_push d p
kill -HUP "${DAEMON_PID[d]}"
sleep 0.5
if alive "${DAEMON_PID[d]}" && [ "$(ctl d version 2>&1)" = "wsbench 0.1.0" ]; then
	stop_daemon d
else
	wait_pid "${DAEMON_PID[d]}" 5
	defect "SIGHUP is not ignored: wsbenchd exited with status $WAIT_RC (128+$((WAIT_RC - 128)): killed by the signal), leaving its socket: $([ -e "${DAEMON_SOCK[d]}" ] && echo yes || echo no)"
fi

# --- command-line errors -------------------------------------------------------------

port=$(free_port) || fail "free_port"
for args in "-Z" "-t 0" "-t 257" "-t x" "extra" "-s u.sock"; do
	# shellcheck disable=SC2086 # the words of args are options
	run_daemon usage -s "$WORK/u.sock" -m "127.0.0.1:$port" -f "$WORK/empty.conf" $args
	[ "$RC" -eq 2 ] || defect "wsbenchd $args: exit $RC, expected 2"
	grep -q . "$WORK/usage.log" || defect "wsbenchd $args: says nothing"
done
# -m and -s are checked as the set lines they stand for, before anything.
for m in "localhost:$port" "127.0.0.1" "127.0.0.1:99999" "bogus"; do
	run_daemon metrics -s "$WORK/m.sock" -m "$m" -f "$WORK/empty.conf"
	[ "$RC" -eq 2 ] || defect "wsbenchd -m $m: exit $RC, expected 2"
	[ ! -e "$WORK/m.sock" ] || defect "wsbenchd -m $m left its socket behind"
	rm -f "$WORK/m.sock"
done
# The metrics port in use.
start_daemon e
run_daemon busy -s "$WORK/busy.sock" -m "127.0.0.1:${DAEMON_MPORT[e]}" -f "$WORK/empty.conf"
[ "$RC" -eq 1 ] || defect "wsbenchd on a metrics port in use: exit $RC, expected 1"
[ ! -e "$WORK/busy.sock" ] || defect "wsbenchd on a metrics port in use left its socket behind"
stop_daemon e
# -V, -h
out=$("$WSBENCHD" -V 2>&1)
rc=$?
[[ $rc -eq 0 && $out == "wsbench 0.1.0" ]] || defect "wsbenchd -V: exit $rc, '$out'"
out=$("$WSBENCHD" -h 2>/dev/null)
rc=$?
[[ $rc -eq 0 && $out == usage:* ]] || defect "wsbenchd -h: exit $rc, '$out'"

finish
