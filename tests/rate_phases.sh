#!/bin/bash
# SPDX-License-Identifier: ISC
# send --rate with phases: 10 connections at --rate 100:1000:10s against an
# echo job send 10 x (100 + 90 t) messages a second at t seconds from the
# job's start.  messages_sent, sampled from /metrics every 0.1 s, makes
# per-second counts that rise second after second, each within 5% of the
# line (the first and the last second spared: the start's uncertainty).
# After the ramp the last rate holds.  And what --rate refuses, naming
# the bad phase.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

C=10

start_daemon a

note "refusals"
for bad in "100:1000" "100:1000:10s," "100:1000:0s" "5,100:200:1s" \
	"100:1000:10x" "a:1:1s" "1:10000001:1s" "1:2:3:4s"; do
	out=$(ctl a start send ws://127.0.0.1:1/ --rate "$bad" 2>&1) &&
		defect "--rate $bad was accepted: $out"
	printf '%s\n' "$out" | grep -q -- "bad phase" ||
		defect "--rate $bad: the error names no bad phase: $out"
done

start_echo a e
url=ws://127.0.0.1:$ECHO_PORT/

trace_start a 12 'wsbench_messages_sent_total{name="s",kind="send"}'
sleep 0.5
t0=$EPOCHREALTIME
start_send a s "$url" --connections "$C" --rate 100:1000:10s
t1=$EPOCHREALTIME
trace_wait 25

# Per second i from the job's start: the count sent, read between the
# samples on either side of each whole second, and the line's.
# shellcheck disable=SC2016 # awk's own $1, $2
awk -v t0="$t0" -v t1="$t1" -v c="$C" '
	function at(x,   k) {
		for (k = 1; k < n && t[k + 1] < x; k++)
			continue
		return v[k] + (v[k + 1] - v[k]) * (x - t[k]) / (t[k + 1] - t[k])
	}
	BEGIN { start = (t0 + t1) / 2 }
	{ n++; t[n] = $1 - start; v[n] = $2 }
	END {
		for (i = 0; i < 11; i++)
			printf "%d %.0f %.0f\n", i, at(i + 1) - at(i),
			    i < 10 ? c * (100 + 90 * (i + 0.5)) : c * 1000
	}' "$WORK/trace" >"$WORK/seconds"
prev=0
while read -r i got want; do
	note "second $i: $got sent, the line $want"
	[ "$got" -gt "$prev" ] || defect "second $i: $got sent, not more than $prev"
	prev=$got
	((i >= 1 && i <= 8)) || continue
	((got * 100 >= want * 95 && got * 100 <= want * 105)) ||
		defect "second $i: $got sent, the line says $want +-5%"
done <"$WORK/seconds"
expect_stat a s connection_errors == 0
finish
