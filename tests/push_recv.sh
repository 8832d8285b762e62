#!/bin/bash
# SPDX-License-Identifier: ISC
# A push job and a recv job talking to each other: in one daemon, across
# two daemons (with the push side restarting under the recv side), and
# with --size and --binary messages.
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

# --- one daemon: push p, recv r with 4 connections ---------------------------

start_daemon a
[ "$(ctl a -j list)" = "[]" ] || fail "a new daemon lists jobs: $(ctl a -j list)"
[ -z "$(ctl a stats)" ] || fail "a new daemon shows stats: $(ctl a stats)"

start_push a p
port=$PUSH_PORT
url=ws://127.0.0.1:$port/
note "push p on port $port"
start_recv a r "$url" --connections 4

wait_until 15 '[ "$(num_of a r connections)" -eq 4 ] && [ "$(num_of a p connections)" -eq 4 ]' ||
	fail "connections: r $(num_of a r connections), p $(num_of a p connections); expected 4 and 4"
m1=$(stat_of a r messages_received) || fail "stats r"
wait_until 10 '[ "$(num_of a r messages_received)" -gt "$m1" ]' ||
	fail "r messages_received stays at $m1"
note "r receives: $m1 -> $(num_of a r messages_received)"

sleep 2
expect_stat a r messages_received_per_second '>' 0
expect_stat a r bytes_received_per_second '>' 0
expect_stat a p messages_sent_per_second '>' 0
expect_stat a p bytes_sent_per_second '>' 0
expect_stat a p messages_sent '>' 0
# The negatives: nothing flows the other way, and nothing failed.
expect_stat a p messages_received == 0
expect_stat a p messages_received_per_second == 0
expect_stat a r messages_sent == 0
expect_stat a r messages_sent_per_second == 0
for j in p r; do
	expect_stat a "$j" connection_errors == 0
	expect_stat a "$j" reconnects == 0
	expect_stat a "$j" connections == 4
done

# stats: the header lines of one job.
ctl a stats r >"$WORK/stats_r" || fail "stats r"
for kv in "name r" "kind recv" "state running" "target $url"; do
	awk -v k="${kv%% *}" -v v="${kv#* }" '$1 == k && $2 == v { f = 1 } END { exit !f }' \
		"$WORK/stats_r" || fail "stats r has no '$kv' line: $(cat "$WORK/stats_r")"
done
# A line for each counter and rate of -j stats, and 4 header lines, 2 of
# compression ratios, 5 of handshake times, one for each close code
# received, 2 of notes, and one for each key of the run section there is
# (mean, min and max for each rate).
want=$(ctl a -j stats r | json_get 'sum(isinstance(v, int) for v in j[0].values()) + len(j[0]["per_second"]) + 4 + 2 + 5 + len(j[0]["closes"]) + 2 + sum(0 if v is None else 3 if isinstance(v, dict) else 1 for v in j[0]["run"].values())') ||
	fail "-j stats r"
n=$(grep -c . "$WORK/stats_r")
{ [ "$n" -eq "$want" ] && [ "$want" -ge 32 ]; } ||
	fail "stats r has $n lines, expected $want (32 or more): $(cat "$WORK/stats_r")"
grep -Eq '^handshake_count +4$' "$WORK/stats_r" ||
	fail "stats r: $(grep handshake_count "$WORK/stats_r")"
ctl a stats >"$WORK/stats_all" || fail "stats"
[ "$(awk '$1 == "name" { print $2 }' "$WORK/stats_all" | tr '\n' ' ')" = "p r " ] ||
	fail "stats shows jobs $(awk '$1 == "name"' "$WORK/stats_all"), expected p and r"
[ "$(grep -c '^$' "$WORK/stats_all")" -eq 1 ] ||
	fail "stats of 2 jobs should have 1 blank line between them"

# list: the table.
ctl a list >"$WORK/list" || fail "list"
grep -Eq '^NAME +KIND +STATE +CONNS +TARGET$' "$WORK/list" ||
	fail "list header: $(head -n 1 "$WORK/list")"
grep -Eq "^p +push +running +4 +127\.0\.0\.1:$port\$" "$WORK/list" ||
	fail "list has no row for p: $(cat "$WORK/list")"
grep -Eq "^r +recv +running +4 +ws://127\.0\.0\.1:$port/\$" "$WORK/list" ||
	fail "list has no row for r: $(cat "$WORK/list")"
[ "$(wc -l <"$WORK/list")" -eq 3 ] || fail "list: $(cat "$WORK/list")"

# watch: a line a second until killed.
for w in "r received" ":all received" "p sent"; do
	name=${w%% *} what=${w#* }
	args=()
	[ "$name" = :all ] || args=("$name")
	run_bounded 3.5 "$WSBENCHCTL" -s "${DAEMON_SOCK[a]}" watch "${args[@]}" \
		>"$WORK/watch" 2>"$WORK/watch.err"
	rc=$?
	[ "$rc" -eq 124 ] || fail "watch ${args[*]} ended by itself with $rc: $(cat "$WORK/watch.err")"
	[ ! -s "$WORK/watch.err" ] || fail "watch ${args[*]} wrote to stderr: $(cat "$WORK/watch.err")"
	lines=$(grep -c . "$WORK/watch")
	good=$(grep -Ec "^messages $what: [0-9]+ per second [0-9]+ total\$" "$WORK/watch")
	((lines >= 2 && good == lines)) ||
		fail "watch ${args[*]}: expected 2 or more 'messages $what: R per second T total' lines, got: $(cat "$WORK/watch")"
	awk '{ if ($3 + 0 <= 0 || $6 + 0 < prev) exit 1; prev = $6 + 0 }' "$WORK/watch" ||
		fail "watch ${args[*]}: rates must be > 0 and totals must grow: $(cat "$WORK/watch")"
done

# Stopping r: its 4 connections close cleanly (1001 from r, answered).
stop_job a r
wait_until 10 '[ "$(num_of a p connections)" -eq 0 ]' ||
	fail "p still has $(num_of a p connections) connections after r stopped"
expect_stat a p connection_errors == 0
stop_job a p
[ "$(ctl a -j list)" = "[]" ] || fail "-j list after stopping all: $(ctl a -j list)"
[ "$(ctl a list | wc -l)" -eq 1 ] || fail "list after stopping all: $(ctl a list)"
out=$(ctl a stats r 2>&1) && fail "stats of a stopped job succeeds: $out"
stop_daemon a

# --- two daemons: push in b, recv in c; b restarts under c ---------------------

start_daemon b
start_daemon c
start_push b pb
port=$PUSH_PORT
start_recv c rc "ws://127.0.0.1:$port/" --connections 2
wait_until 15 '[ "$(num_of c rc connections)" -eq 2 ] && [ "$(num_of b pb connections)" -eq 2 ]' ||
	fail "across daemons: rc $(num_of c rc connections), pb $(num_of b pb connections) connections; expected 2 and 2"
m1=$(stat_of c rc messages_received) || fail "stats rc"
s1=$(stat_of b pb messages_sent) || fail "stats pb"
wait_until 10 '[ "$(num_of c rc messages_received)" -gt "$m1" ] && [ "$(num_of b pb messages_sent)" -gt "$s1" ]' ||
	fail "across daemons, counts do not grow (rc received $m1, pb sent $s1)"

# SIGTERM with clients connected: b closes them (1001) and exits 0.
stop_daemon b
wait_until 10 '[ "$(num_of c rc connections)" -eq 0 ]' ||
	fail "rc still has $(num_of c rc connections) connections after b exited"
wait_until 10 '[ "$(num_of c rc reconnects)" -ge 1 ]' ||
	fail "rc does not try to reconnect after its server went away"
m2=$(stat_of c rc messages_received) || fail "stats rc"
note "b gone: rc at $m2 messages, $(num_of c rc reconnects) reconnects"

# The push comes back on the same port: rc reconnects by itself.
start_daemon b2
start_push b2 pb --port "$port"
[ "$PUSH_PORT" = "$port" ] || fail "push on --port $port shows port $PUSH_PORT"
wait_until 20 '[ "$(num_of c rc connections)" -eq 2 ] && [ "$(num_of c rc messages_received)" -gt "$m2" ]' ||
	fail "rc did not reconnect to the restarted push (connections $(num_of c rc connections))"
# c exits 0 with connections open, and closes them cleanly.
stop_daemon c
wait_until 10 '[ "$(num_of b2 pb connections)" -eq 0 ]' ||
	fail "pb still has $(num_of b2 pb connections) connections after c exited"
expect_stat b2 pb connection_errors == 0
stop_daemon b2

# --- --size 1024 and --binary -------------------------------------------------

start_daemon d
start_push d big --size 1024
big_port=$PUSH_PORT
start_push d bin --binary
bin_port=$PUSH_PORT
start_recv d rbig "ws://127.0.0.1:$big_port/"
start_recv d rbin "ws://127.0.0.1:$bin_port/"
wait_until 15 '[ "$(num_of d rbig messages_received)" -gt 1000 ] && [ "$(num_of d rbin messages_received)" -gt 1000 ]' ||
	fail "--size/--binary: rbig $(num_of d rbig messages_received), rbin $(num_of d rbin messages_received) messages"
# Stopping the pushes freezes what the receivers counted: then each
# message must have taken its frame's bytes (2 or 4 header bytes) and no
# more than a handshake and a close frame besides.
stop_job d big
stop_job d bin
wait_until 10 '[ "$(num_of d rbig connections)" -eq 0 ] && [ "$(num_of d rbin connections)" -eq 0 ]' ||
	fail "receivers still connected after their pushes stopped"
for jf in rbig:1028 rbin:4; do
	job=${jf%:*} frame=${jf#*:}
	msgs=$(stat_of d "$job" messages_received) || fail "stats $job"
	bytes=$(stat_of d "$job" bytes_received) || fail "stats $job"
	extra=$((bytes - msgs * frame))
	note "$job: $msgs messages, $bytes bytes, $extra bytes besides ${frame}-byte frames"
	((extra >= 0 && extra <= 1024)) ||
		fail "$job: $bytes bytes for $msgs messages of $frame bytes a frame"
	wait_until 5 '[ "$(num_of d "$job" messages_received_per_second)" -eq 0 ]' ||
		fail "$job: messages_received_per_second stays at $(num_of d "$job" messages_received_per_second) once nothing arrives"
done
stop_daemon d
note "pass"
