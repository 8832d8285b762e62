#!/bin/bash
# SPDX-License-Identifier: ISC
# The server (an echo job) of a recv job with 1,000 connections is killed (SIGKILL) and
# started again on the same port.  Every connection comes back, and not
# all at once: the retries are jittered, so the 10%-90% rise of the
# connections gauge takes a good part of a second, where retries on one
# fixed schedule all land within a few tens of milliseconds.  Each loss,
# retry and open is counted once, and the recv daemon's descriptors go
# back to their count.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=1000
# The 10%-90% rise must take at least this long (ms).
MIN_SPREAD_MS=${MIN_SPREAD_MS:-400}

fds() { find "/proc/${DAEMON_PID[$1]}/fd" -mindepth 1 -maxdepth 1 | wc -l; }

port=$(free_port) || fail "free_port"
# An echo server: no traffic, so that the rise measures the retries,
# not how fast the machine moves data.
start_echo() {
	local out
	out=$(ctl "$1" start echo --name e --port "$port" 2>&1) ||
		fail "start echo on $1: $out"
}
start_daemon srv
start_echo srv
start_daemon cli
fd_idle=$(fds cli)
start_recv cli r "ws://127.0.0.1:$port/" --connections "$N"
wait_until 30 '[ "$(num_of cli r connections)" -eq $N ]' ||
	fail "r has $(num_of cli r connections) of $N connections"
fd_up=$(fds cli)
note "$N connections up: recv daemon fds $fd_idle idle, $fd_up with the job"

note "SIGKILL to the server, 2 s down"
kill -KILL "${DAEMON_PID[srv]}"
wait_pid "${DAEMON_PID[srv]}" 10 || fail "the server survived SIGKILL"
wait_until 10 '[ "$(num_of cli r connections)" -eq 0 ]' ||
	fail "r still has $(num_of cli r connections) connections"
sleep 2

start_daemon srv2
start_echo srv2
rise=$(run_bounded 30 "$PYTHON3" "$HELPERS/conn_rise.py" \
	"$(metrics_url cli)" r "$N" 20) || fail "not all connections came back"
note "rise after the restart: $rise"
read -r _ _ _ _ _ _ _ t100 _ spread _ <<<"$rise"
spread_ms=$(awk -v s="$spread" 'BEGIN { printf "%d", s * 1000 }')
[ "$spread_ms" -ge "$MIN_SPREAD_MS" ] ||
	defect "the connections came back within ${spread_ms} ms (10%-90%), expected >= $MIN_SPREAD_MS ms: no jitter?"
awk -v t="$t100" 'BEGIN { exit !(t <= 8) }' ||
	defect "the last connection came back after $t100 s, past the 5 s cap"

# Counted once each.
lost=$(stat_of cli r errors_lost) || fail "stats r"
errs=$(stat_of cli r connection_errors) || fail "stats r"
retries=$(stat_of cli r reconnects) || fail "stats r"
opened=$(stat_of cli r connections_opened) || fail "stats r"
note "recv: errors_lost $lost, connection_errors $errs, reconnects $retries, connections_opened $opened"
# Each connection was lost once; an attempt that a loaded server resets
# in the handshake is lost too, but never opened.
[ "$lost" -ge "$N" ] || defect "errors_lost $lost, expected at least $N"
[ "$opened" -eq $((2 * N)) ] || defect "connections_opened $opened, expected $((2 * N))"
[ "$retries" -eq "$errs" ] ||
	defect "reconnects $retries, expected one a failure: $errs"
expect_stat srv2 e connections_opened == "$N"
expect_stat srv2 e connections == "$N"

fd_back=$(fds cli)
note "recv daemon fds after the reconnects: $fd_back (were $fd_up)"
[ "$fd_back" -eq "$fd_up" ] || defect "recv daemon fds $fd_back, were $fd_up"
stop_job cli r
wait_until 10 '[ "$(fds cli)" -eq "$fd_idle" ]' ||
	defect "recv daemon fds $(fds cli) after the job, were $fd_idle"
stop_daemon cli
stop_daemon srv2
finish
