#!/bin/bash
# SPDX-License-Identifier: ISC
# Out of descriptors, a listener pauses instead of spinning on accept():
# one log line, not one per poll; once descriptors are free again it
# accepts again and the daemon serves as before.  Past FD_SETSIZE (1024)
# descriptors, /metrics and the control socket still answer.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a
start_push a p
prlimit --pid "${DAEMON_PID[a]}" --nofile=64: ||
	fail "cannot lower the daemon's descriptor limit"
note "holding 100 connections to a daemon limited to 64 descriptors"
cat >"$WORK/hold.py" <<'PY'
import socket, sys, time
socks = [socket.create_connection(("127.0.0.1", int(sys.argv[1])))
         for _ in range(100)]
open(sys.argv[2], "w").close()
time.sleep(3)
PY
spawn "$PYTHON3" "$WORK/hold.py" "$PUSH_PORT" "$WORK/held"
holder=$LAST_PID
wait_until 10 '[ -e "$WORK/held" ]' || fail "the holder did not connect"
wait_until 10 'grep -q "accept: Too many open files; pausing" "$WORK/a.log"' ||
	fail "no pause logged"
sleep 1
n=$(grep -c 'accept' "$WORK/a.log")
[ "$n" -le 3 ] || fail "$n accept lines in the log: the listener spun"
wait_pid "$holder" 15
wait_until 10 'grep -q "job p: accepting again" "$WORK/a.log"' ||
	fail "p did not accept again"
prlimit --pid "${DAEMON_PID[a]}" --nofile=4096: ||
	fail "cannot raise the daemon's descriptor limit"
start_recv a r "ws://127.0.0.1:$PUSH_PORT/" --connections 600
wait_until 30 '[ "$(num_of a r connections)" -eq 600 ]' ||
	fail "r: $(num_of a r connections) connections, expected 600"
wait_until 15 '[ "$(num_of a r messages_received)" -gt 1000 ]' ||
	fail "r received $(num_of a r messages_received) messages"
n=$(find "/proc/${DAEMON_PID[a]}/fd" -mindepth 1 | wc -l)
note "daemon holds $n descriptors"
[ "$n" -gt 1200 ] || fail "only $n descriptors open"
metrics a | grep -q '^wsbench_connections{name="r",kind="recv"} 600$' ||
	fail "/metrics does not answer past FD_SETSIZE"
expect_stat a p connections == 600
finish
