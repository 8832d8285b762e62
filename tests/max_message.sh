#!/bin/bash
# SPDX-License-Identifier: ISC
# --max-message, against the Python reference server (peer_server.py): a
# larger message fails the connection with close code 1009 and counts as a
# connection error, never as a message, on every connection of a job.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

"$PYTHON3" -c 'import websockets' 2>"$WORK/import.err" ||
	fail "$PYTHON3 cannot import websockets (Debian package python3-websockets): $(cat "$WORK/import.err")"

start_daemon a -t 8

# A message at the limit passes.
start_peer_server fit --messages 3 --message "$(printf 'y%.0s' $(seq 10))"
start_recv a rfit "ws://127.0.0.1:$SERVER_PORT/" --max-message 10 --connections 2
wait_until 10 '[ "$(num_of a rfit messages_received)" -eq 6 ]' ||
	fail "messages of exactly --max-message bytes: rfit received $(num_of a rfit messages_received), expected 6"
expect_stat a rfit connection_errors == 0
stop_job a rfit
kill_pid "$SERVER_PID"

# A message over --max-message: our client fails the connection with 1009,
# and counts no message.  Every connection must apply the limit, also the
# first ones of a job, which start on the workers while `start` is still
# running: rounds of 20 jobs of 4 connections (on 8 workers) make a race
# there show, even on a busy machine.
start_peer_server big --messages 1 --message "$(printf 'x%.0s' $(seq 100))"
over=()
for round in 1 2 3; do
	jobs=()
	for i in $(seq 20); do
		start_recv a "rbig$round-$i" "ws://127.0.0.1:$SERVER_PORT/" --max-message 10 --connections 4
		jobs+=("rbig$round-$i")
	done
	# Each job has failed a connection, or taken a message (it must not).
	settled='ctl a -j stats | json_get "all(x[\"connection_errors\"] >= 1 or x[\"messages_received\"] >= 1 for x in j if x[\"name\"].startswith(\"rbig\"))" | grep -qx True'
	wait_until 15 "$settled" ||
		fail "a message over --max-message is not a connection error: $(ctl a stats "rbig$round-1"; tail -n 5 "$WORK/server.big.err")"
	grep -q "closed with code 1009" "$WORK/server.big.err" ||
		fail "the server did not see close code 1009: $(cat "$WORK/server.big.err")"
	for j in "${jobs[@]}"; do
		[ "$(num_of a "$j" messages_received)" -eq 0 ] || over+=("$j")
	done
	for j in "${jobs[@]}"; do
		stop_job a "$j"
	done
	[ "${#over[@]}" -eq 0 ] || break
done
[ "${#over[@]}" -eq 0 ] ||
	fail "a message of 100 bytes passed --max-message 10 on ${#over[@]} of 20 jobs of round $round (${over[*]}): the first connections of a job can run without the limit"
kill_pid "$SERVER_PID"
note "ok: a message over --max-message closes with 1009"

stop_daemon a
note "pass"
