#!/bin/bash
# SPDX-License-Identifier: ISC
# --duration: a recv job of 5 connections opened at 5 a second (a ramp of
# 0.8 s) with --duration 3 against a Python server that times each
# connection.  Full load begins when the last connection opens; 3 s later
# (+-100 ms, as the server saw it) every connection is closed with 1000.
# The job then stays listed, finished, with its numbers, until stop
# removes it; its report says the same.  And what --duration and --hold
# refuse.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=5

state_of() {
	ctl "$1" -j list |
		json_get "next((x['state'] for x in j if x['name'] == '$2'), 'gone')"
}

start_daemon a

note "refusals"
for bad in "--duration 0" "--duration 0.5ms" "--duration 8d" \
	"--duration 169h" "--duration 3x" "--duration -1" "--hold 1us" \
	"--hold ''" "--connect-rate 0" "--connect-rate 1000001"; do
	# shellcheck disable=SC2086 # the words of $bad
	out=$(eval ctl a start recv ws://127.0.0.1:1/ $bad 2>&1) &&
		defect "start recv $bad was accepted: $out"
	printf '%s\n' "$out" | grep -q -- "${bad%% *}" ||
		defect "start recv $bad: the error does not name ${bad%% *}: $out"
done

spawn "$PYTHON3" "$HELPERS/close_timer.py" >"$WORK/peer" 2>"$WORK/peer.err"
peer=$LAST_PID
wait_until 10 '[ -s "$WORK/peer" ]' || fail "close_timer.py: no port"
port=$(head -n 1 "$WORK/peer")

start_recv a r "ws://127.0.0.1:$port/" --connections "$N" \
	--connect-rate 5 --duration 3
wait_until 15 '[ "$(grep -c "^close" "$WORK/peer")" -ge $N ]' ||
	fail "the peer saw $(grep -c "^close" "$WORK/peer") closes of $N"
wait_until 10 '[ "$(state_of a r)" = finished ]' ||
	fail "r is $(state_of a r), not finished"
kill_pid "$peer"
cat "$WORK/peer"

# shellcheck disable=SC2016 # awk's own $1..$5
read -r opens closes ones first last < <(awk '
	$1 == "open" { o++; if ($3 > full) full = $3 }
	$1 == "close" { c++; ones += $4 == 1000
		d = $3 - full; if (c == 1 || d < lo) lo = d; if (d > hi) hi = d }
	END { printf "%d %d %d %.3f %.3f\n", o, c, ones, lo, hi }' \
	"$WORK/peer")
note "$opens opened, $closes closed ($ones with 1000), $first to $last s after the last open"
[ "$opens" -eq "$N" ] || defect "the peer saw $opens connections, not $N"
[ "$ones" -eq "$N" ] || defect "$ones of $N closes were 1000"
awk -v a="$first" -v b="$last" 'BEGIN { exit !(a >= 2.9 && b <= 3.1) }' ||
	defect "closed $first to $last s after full load, expected 3 s +-100 ms"

# The job's own report agrees: a ramp of 0.8 s, then 3 s at full load.
run=$(ctl a stats -j r | json_get 'j[0]["run"]') || fail "stats -j r"
note "r's run: $run"
json_get '(700 <= j["ramp_ms"] <= 1500 and
	abs(j["full_load_ms"] - 3000) <= 100)' <<<"$run" | grep -qx True ||
	defect "r's report: ramp or full load out of line: $run"
expect_stat a r connections_opened == "$N"
expect_stat a r connections == 0
expect_stat a r reconnects == 0
stop_job a r
finish
