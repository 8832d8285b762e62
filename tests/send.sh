#!/bin/bash
# SPDX-License-Identifier: ISC
# The send job: stamped messages to our echo job come back and are counted
# on both sides, compressed too; --rate holds its rate over a measured
# span; a push job's unstamped messages are counted as such; recv
# --latency tells stamped messages, whole or in fragments, from unstamped
# ones.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# sent_at ID NAME: "BEFORE COUNT AFTER": messages_sent of NAME, read
# between two clock readings in microseconds.
sent_at() {
	local before=${EPOCHREALTIME/./} n
	n=$(stat_of "$1" "$2" messages_sent) || return 1
	echo "$before $n ${EPOCHREALTIME/./}"
}

start_daemon a

note "bad arguments"
for bad in "--size 38" "--rate -1" "--rate 10000001" "--msg a --size 50"; do
	# shellcheck disable=SC2086 # the words of $bad
	out=$(ctl a start send ws://127.0.0.1:1/ $bad 2>&1) &&
		defect "start send $bad succeeded: $out"
done

start_echo a e
url=ws://127.0.0.1:$ECHO_PORT/

note "--rate 1000 on 10 connections"
start_send a s "$url" --rate 1000 --connections 10
wait_until 15 '[ "$(num_of a s connections)" -eq 10 ]' ||
	fail "s has $(num_of a s connections) connections, not 10"
sleep 1
read -r b1 n1 a1 < <(sent_at a s) || fail "messages_sent of s"
sleep 10
read -r b2 n2 a2 < <(sent_at a s) || fail "messages_sent of s"
# The counts were read somewhere between their two clock readings: at
# 10,000 a second, what was sent lies between these bounds, +-1%.
sent=$((n2 - n1))
lo=$(((b2 - a1) * 99 / 10000))
hi=$(((a2 - b1) * 101 / 10000))
note "sent $sent messages in $(((b2 - a1) / 1000))..$(((a2 - b1) / 1000)) ms, $(stat_of a s sends_late) late"
{ [ "$sent" -ge "$lo" ] && [ "$sent" -le "$hi" ]; } ||
	defect "--rate 1000 x 10 sent $sent messages, not within [$lo, $hi]"

# Read against the flow, each count is at most the one upstream of it.
s_recv=$(stat_of a s messages_received) || fail "s messages_received"
e_sent=$(stat_of a e messages_sent) || fail "e messages_sent"
e_recv=$(stat_of a e messages_received) || fail "e messages_received"
s_sent=$(stat_of a s messages_sent) || fail "s messages_sent"
note "s received $s_recv <= e sent $e_sent <= e received $e_recv <= s sent $s_sent"
{ [ "$s_recv" -le "$e_sent" ] && [ "$e_sent" -le "$e_recv" ] &&
	[ "$e_recv" -le "$s_sent" ]; } || defect "the counts do not follow the flow"
[ $((s_sent - s_recv)) -lt 10000 ] ||
	defect "$((s_sent - s_recv)) messages, a second's worth, not back"
[ "$s_recv" -gt 100000 ] || defect "s received only $s_recv messages"
expect_stat a s messages_unstamped == 0
expect_stat a s connection_errors == 0
stop_job a s
wait_until 10 '[ "$(num_of a e connections)" -eq 0 ]' || fail "e kept a connection"
e_recv=$(stat_of a e messages_received) || fail "e messages_received"
expect_stat a e messages_sent == "$e_recv"
expect_stat a e payload_bytes_received == $((e_recv * 41))
[ "$e_recv" -ge "$s_sent" ] || defect "e received $e_recv, s had sent $s_sent"

note "without a rate, and --no-timing: as fast as the socket takes them"
start_send a f "$url" --connections 2 --size 1000 --binary
start_send a n "$url" --no-timing
wait_until 15 '[ "$(num_of a f messages_received)" -gt 10000 ] &&
	[ "$(num_of a n messages_received)" -gt 10000 ]' ||
	fail "f received $(num_of a f messages_received), n $(num_of a n messages_received)"
for j in f n; do
	expect_stat a "$j" messages_unstamped == 0
	expect_stat a "$j" connection_errors == 0
	expect_stat a "$j" sends_late == 0
done
stop_job a f
stop_job a n
wait_until 10 '[ "$(num_of a e connections)" -eq 0 ]' || fail "e kept a connection"
e_recv=$(stat_of a e messages_received) || fail "e messages_received"
expect_stat a e messages_sent == "$e_recv"
expect_stat a e connection_errors == 0

note "--deflate: each stamped message compressed as it is queued"
start_echo a ez --deflate
zurl=ws://127.0.0.1:$ECHO_PORT/
start_send a z "$zurl" --deflate --size 1000 --rate 1000 --connections 2
start_send a zn "$zurl" --deflate-offer \
	'server_no_context_takeover; client_no_context_takeover' --rate 1000
wait_until 15 '[ "$(num_of a z messages_received)" -gt 2000 ] &&
	[ "$(num_of a zn messages_received)" -gt 1000 ]' ||
	fail "z received $(num_of a z messages_received), zn $(num_of a zn messages_received)"
for j in z zn; do
	expect_stat a "$j" messages_unstamped == 0
	expect_stat a "$j" connection_errors == 0
done
# Generated text shrinks: what went out is a fraction of the payload.
z_bytes=$(stat_of a z bytes_sent) || fail "z bytes_sent"
z_payload=$(stat_of a z payload_bytes_sent) || fail "z payload_bytes_sent"
[ $((z_bytes * 4)) -lt "$z_payload" ] ||
	defect "z sent $z_bytes bytes for $z_payload of payload: not compressed"
stop_job a z
stop_job a zn
wait_until 10 '[ "$(num_of a ez connections)" -eq 0 ]' || fail "ez kept a connection"
e_recv=$(stat_of a ez messages_received) || fail "ez messages_received"
expect_stat a ez messages_sent == "$e_recv"
expect_stat a ez connection_errors == 0
stop_job a ez

note "a push job's messages are not stamped"
start_push a p
start_send a sp "ws://127.0.0.1:$PUSH_PORT/"
wait_until 15 '[ "$(num_of a sp messages_received)" -gt 1000 ]' ||
	fail "sp received $(num_of a sp messages_received) from push"
# Finished, its counts stand still: while it reads, a read's messages are
# counted received at its end and unstamped one by one within it.  Those
# that come after its close frame are received, not read for a stamp.
ctl_ok a stop --keep sp
wait_until 15 '[ "$(stat_of a sp state)" = finished ]' || fail "sp did not finish"
unstamped=$(stat_of a sp messages_unstamped) || fail "sp messages_unstamped"
received=$(stat_of a sp messages_received) || fail "sp messages_received"
{ [ "$unstamped" -gt 1000 ] && [ "$unstamped" -le "$received" ]; } ||
	defect "sp: $unstamped unstamped of $received received"
stop_job a sp
stop_job a p

note "recv --latency against a server sending stamped messages"
spawn "$PYTHON3" "$HELPERS/stamp_server.py" >"$WORK/stamp.out" 2>"$WORK/stamp.err"
server=$LAST_PID
wait_until 15 '[ -s "$WORK/stamp.out" ] || ! alive $server'
sport=$(head -n 1 "$WORK/stamp.out")
is_uint "$sport" || fail "stamp_server.py: $(cat "$WORK/stamp.err")"
start_recv a rl "ws://127.0.0.1:$sport/" --latency
start_recv a r "ws://127.0.0.1:$sport/"
wait_until 15 '[ "$(num_of a rl messages_received)" -eq 8 ] &&
	[ "$(num_of a r messages_received)" -eq 8 ]' ||
	fail "rl received $(num_of a rl messages_received), r $(num_of a r messages_received); expected 8"
expect_stat a rl messages_unstamped == 3
expect_stat a r messages_unstamped == 0
stop_job a rl
stop_job a r
kill_pid "$server"
finish
