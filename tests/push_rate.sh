#!/bin/bash
# SPDX-License-Identifier: ISC
# push --rate: each connection sends stamped messages on a fixed timetable.
# Two clients of push --rate 1000 check every stamp (sequence numbers
# without a gap, due times 1/rate apart, nothing before it is due) and the
# rate they see; messages_sent must then equal what they received.  At a
# low rate nothing is sent late.  A plan ramping from 0 to 1000 a second
# over 2 s, then 0: its due times follow the ramp, and it stops at the
# ramp's end.  And what --rate refuses.
#
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a

# --- refusals ----------------------------------------------------------------

# refused WORD ARG...: start push ARG... fails with an error naming WORD.
refused() {
	local word=$1 out
	shift
	out=$(ctl a start push --port 0 "$@" 2>&1) &&
		fail "start push $* was accepted: $out"
	printf '%s\n' "$out" | grep -q -- "$word" ||
		fail "start push $*: the error does not name $word: $out"
}
refused --rate --rate 0
refused --rate --rate 10000001
refused "bad phase '5'" --rate 5,5
refused stamp --rate 1000 --size 38
refused --deflate --rate 1000 --deflate

# --- clients: stamped_clients JOB RATE SECONDS N -------------------------------
# Runs N stamp_client.py on push JOB for SECONDS each; waits for their
# verdicts (their JSON lines in $WORK/JOB.N.out) and for the job to have
# no connection left, so that messages_sent is final.

stamped_clients() {
	local job=$1 rate=$2 seconds=$3 n=$4 i pids=()
	start_push a "$job" --rate "$rate"
	for i in $(seq 1 "$n"); do
		spawn "$PYTHON3" "$HELPERS/stamp_client.py" \
			"ws://127.0.0.1:$PUSH_PORT/" --rate "$rate" \
			--seconds "$seconds" >"$WORK/$job.$i.out" 2>>"$WORK/$job.err"
		pids+=("$LAST_PID")
	done
	for i in "${!pids[@]}"; do
		wait_pid "${pids[$i]}" $((seconds + 40)) ||
			fail "stamp_client $((i + 1)) on $job does not finish"
		[ "$WAIT_RC" -eq 0 ] ||
			fail "stamp_client $((i + 1)) on $job exited $WAIT_RC: $(cat "$WORK/$job.err")"
	done
	# shellcheck disable=SC2016
	wait_until 15 '[ "$(num_of a '"$job"' connections)" -eq 0 ]' ||
		fail "$job still has $(num_of a "$job" connections) connections"
}

# --- 2 clients at 1000 a second --------------------------------------------------

stamped_clients p 1000 4 2
total=0
for i in 1 2; do
	read -r got span_count span <<<"$(json_get '" ".join(str(j[k]) for k in ("received", "span_count", "span_seconds"))' <"$WORK/p.$i.out")" ||
		fail "client $i: no verdict: $(cat "$WORK/p.$i.out")"
	note "client $i: $got messages, $span_count in $span s"
	# Arrivals over some 3 s: the timetable's pace within 25%, robust to a
	# stall at either end of the span on a loaded machine.
	awk -v c="$span_count" -v s="$span" 'BEGIN { r = c / s; exit !(r > 750 && r < 1250) }' ||
		fail "client $i: $span_count messages in $span s, expected 1000 a second"
	total=$((total + got))
done
expect_stat a p messages_sent == "$total"
expect_stat a p payload_bytes_sent == $((total * 41))
expect_stat a p connection_errors == 0
late=$(stat_of a p sends_late) || fail "no sends_late in stats p"
note "p: $total messages sent, $late late"

# --- a plan: 0 to 1000 a second over 2 s, then 0 -----------------------------------
# Message k is due when 250 t^2 reaches k: message 1000, the last, at 2 s
# and the 438 from 563 on in its last half second.  The connection joins
# a little after the start, so it misses the first few.  The client reads
# for 4 s, long past the end, and gets nothing more.

start_push a r --rate 0:1000:2s,0
spawn "$PYTHON3" "$HELPERS/stamp_client.py" "ws://127.0.0.1:$PUSH_PORT/" \
	--rate 0 --seconds 4 >"$WORK/r.out" 2>>"$WORK/r.err"
wait_pid "$LAST_PID" 45 || fail "stamp_client on r does not finish"
[ "$WAIT_RC" -eq 0 ] || fail "stamp_client on r exited $WAIT_RC: $(cat "$WORK/r.err")"
read -r got tail due_s <<<"$(json_get '" ".join(str(j[k]) for k in ("received", "tail_count", "due_seconds"))' <"$WORK/r.out")" ||
	fail "r: no verdict: $(cat "$WORK/r.out")"
note "r: $got messages due over $due_s s, $tail in the last half second"
[ "$tail" -eq 438 ] || fail "r: $tail messages due in the ramp's last half second, not 438"
{ [ "$got" -ge 438 ] && [ "$got" -le 1000 ]; } ||
	fail "r: $got messages, not 438 to 1000 (message 0 was due at the start, before the connection)"
# shellcheck disable=SC2016
wait_until 15 '[ "$(num_of a r connections)" -eq 0 ]' ||
	fail "r still has $(num_of a r connections) connections"
expect_stat a r messages_sent == "$got"

# --- a low rate is never late ----------------------------------------------------
# A send is late past one interval: 200 ms here, which even a worker of a
# loaded machine keeps to.

stamped_clients q 5 3 1
expect_stat a q sends_late == 0
expect_stat a q messages_sent '>=' 10

# --- a paced connection open when the daemon stops ----------------------------------
# Its timer goes with it (a leak would show in a sanitizer build's log).

spawn "$PYTHON3" "$HELPERS/stamp_client.py" "ws://127.0.0.1:$PUSH_PORT/" \
	--rate 5 --seconds 60 >/dev/null 2>>"$WORK/last.err"
last=$LAST_PID
# shellcheck disable=SC2016
wait_until 15 '[ "$(num_of a q connections)" -eq 1 ]' ||
	fail "the last client does not connect: $(cat "$WORK/last.err")"
stop_daemon a
wait_pid "$last" 15 || fail "the last client outlives the daemon"

finish
