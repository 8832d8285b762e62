#!/bin/bash
# SPDX-License-Identifier: ISC
# Out of descriptors, a listener pauses instead of spinning on accept():
# one log line, not one per poll; once descriptors are free again it
# accepts again and the daemon serves as before.  The metrics server too:
# a scraper waiting while descriptors are short leaves a line or two, not
# libmicrohttpd's retries, and scrapes work once they are free.  Past
# FD_SETSIZE (1024) descriptors, /metrics and the control socket still
# answer.
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
wait_until 10 'grep -q "job p: accept: Too many open files; pausing" "$WORK/a.log"' ||
	fail "no pause logged"
note "connecting to /metrics while out of descriptors"
before=$(wc -l <"$WORK/a.log")
exec 3<>"/dev/tcp/127.0.0.1/${DAEMON_MPORT[a]}" ||
	fail "cannot connect to the metrics port"
sleep 1
n=$(grep -c 'job p: accept' "$WORK/a.log")
[ "$n" -le 1 ] || fail "$n accept lines of p in the log: the listener spun"
# Any other new line is the metrics server's (libmicrohttpd's own go to
# stderr, the same log).
n=$(tail -n "+$((before + 1))" "$WORK/a.log" | grep -vc 'job p: accept')
[ "$n" -le 3 ] || fail "$n more lines in the log: the metrics server spun"
grep -q "metrics: .*Too many open files; pausing" "$WORK/a.log" ||
	fail "no pause of the metrics server logged"
exec 3>&-
wait_pid "$holder" 15
wait_until 10 'grep -q "job p: accepting again" "$WORK/a.log"' ||
	fail "p did not accept again"
wait_until 10 'metrics a | grep -q "^wsbench_connections"' ||
	fail "/metrics does not answer once descriptors are free"
grep -q "metrics: accepting again" "$WORK/a.log" ||
	fail "the metrics server did not log that it accepts again"
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
