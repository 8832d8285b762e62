#!/bin/bash
# SPDX-License-Identifier: ISC
# --connect-rate: a recv job opens 1,000 connections at 200 a second to an
# echo job of the same daemon.  The echo job's connections gauge, sampled
# from /metrics every 0.1 s (the server's count, not the client's report
# of itself), reaches 1,000 after 5 s (+-10%) and rises in a line on the
# way: about 250, 500 and 750 at 1.25, 2.5 and 3.75 s (+-15%).  Then a job
# stopped during its ramp leaves the list: no slot is left behind holding
# it.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=1000
RATE=200

start_daemon a
start_echo a e
url=ws://127.0.0.1:$ECHO_PORT/

trace_start a 9 'wsbench_connections{name="e",kind="echo"}'
sleep 0.5
t0=$EPOCHREALTIME
start_recv a r "$url" --connections "$N" --connect-rate "$RATE"
t1=$EPOCHREALTIME
trace_wait 20

# The job starts between t0 and t1; the samples are taken from the middle.
# shellcheck disable=SC2016 # awk's own $1, $2
read -r full at1 at2 at3 top < <(awk -v t0="$t0" -v t1="$t1" -v n="$N" '
	function near(s) { d = $1 - start - s; return d < 0 ? -d : d }
	BEGIN { start = (t0 + t1) / 2; full = -1; b1 = b2 = b3 = 99 }
	$1 > start {
		if (full < 0 && $2 >= n) full = $1 - start
		if (near(1.25) < b1) { b1 = near(1.25); v1 = $2 }
		if (near(2.5) < b2) { b2 = near(2.5); v2 = $2 }
		if (near(3.75) < b3) { b3 = near(3.75); v3 = $2 }
		if ($2 > top) top = $2
	}
	END { printf "%.3f %d %d %d %d\n", full, v1, v2, v3, top }' "$WORK/trace")
note "the server saw $N connections after $full s; $at1, $at2, $at3 at 1.25, 2.5, 3.75 s; at most $top"
awk -v f="$full" 'BEGIN { exit !(f >= 4.5 && f <= 5.5) }' ||
	defect "the ramp took $full s, expected 5 s +-10%"
((at1 >= 212 && at1 <= 288)) ||
	defect "$at1 connections at 1.25 s, expected 250 +-15%"
((at2 >= 425 && at2 <= 575)) ||
	defect "$at2 connections at 2.5 s, expected 500 +-15%"
((at3 >= 637 && at3 <= 863)) ||
	defect "$at3 connections at 3.75 s, expected 750 +-15%"
[ "$top" -eq "$N" ] || defect "the server saw at most $top connections, not $N"
expect_stat a r connections_opened == "$N"
expect_stat a r connection_errors == 0

note "a job stopped during its ramp"
start_recv a slow "$url" --connections "$N" --connect-rate 20
sleep 1
stop_job a slow
stop_job a r
wait_until 15 '[ "$(num_of a e connections)" -eq 0 ]' ||
	defect "e still has $(num_of a e connections) connections"
finish
