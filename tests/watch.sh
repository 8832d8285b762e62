#!/bin/bash
# SPDX-License-Identifier: ISC
# wsbenchctl watch: plain lines through a pipe, and on a terminal when
# asked for them; on a terminal, a live table (aligned columns, a row a
# job, rows coming and going with the jobs, Ctrl-C ending it with status 0
# and the cursor back).  And the JSON of stats -j and list -j, read by jq,
# for every kind of job and for text that needs escaping.  Last, the 99th
# percentile latency of a job that times messages (a send job through an
# echo job) in the records, the plain line and the table, and none for a
# job that times nothing.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
# shellcheck disable=SC2016,SC2317 # conditions and helpers run by wait_until
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

command -v jq >/dev/null || fail "jq is missing (Debian package jq)"

start_daemon a
sock=${DAEMON_SOCK[a]}
start_push a p1
start_recv a r1 "ws://127.0.0.1:$PUSH_PORT/" --connections 2
ctl_ok a start echo --name e1 --port 0 >/dev/null
wait_until 10 '[ "$(num_of a r1 connections)" -eq 2 ]' ||
	fail "r1 does not connect"

# --- plain lines through a pipe ---------------------------------------------

# watch_pipe OUT ARG...: the first 3 lines of `watch ARG...` through a
# pipe; wsbenchctl must then end, with status 0, on its own.
watch_pipe() {
	local out=$1 rcs
	shift
	run_bounded 20 "$WSBENCHCTL" -s "$sock" watch "$@" 2>"$WORK/pipe.err" |
		head -n 3 >"$WORK/$out"
	rcs=("${PIPESTATUS[@]}")
	[ "${rcs[0]}" -eq 0 ] ||
		defect "watch $* | head: wsbenchctl exited ${rcs[0]}: $(cat "$WORK/pipe.err")"
}

# plain_lines FILE WHAT: FILE holds 3 lines "messages WHAT: N per second
# N total", the last with a rate above 0.
plain_lines() {
	local file=$1 what=$2 re n=0 line
	re="^messages $what: ([0-9]+) per second ([0-9]+) total\$"
	while IFS= read -r line; do
		n=$((n + 1))
		[[ $line =~ $re ]] || {
			defect "$file: line '$line' is not 'messages $what: N per second N total'"
			return
		}
	done <"$WORK/$file"
	[ "$n" -eq 3 ] || defect "$file: $n lines, expected 3"
	[ "${BASH_REMATCH[1]:-0}" -gt 0 ] || defect "$file: a rate of 0: $line"
}

watch_pipe all.out
plain_lines all.out received
watch_pipe p1.out p1
plain_lines p1.out sent
watch_pipe all.out --plain
plain_lines all.out received

# --- on a terminal ----------------------------------------------------------

# on_tty TAG [ENV=VALUE...] -- ARG...: `wsbenchctl watch ARG...` on a
# terminal (watch_pty.py) in the background; its output goes to
# $WORK/TAG.raw, its last table to $WORK/TAG.frame; the terminal has
# TTY_ROWS lines of TTY_COLS columns (40 and 160).  `off_tty TAG` types
# Ctrl-C and sets TTY_STATUS (an exit status or "signal N").
declare -A TTY_PID=()
on_tty() {
	local tag=$1 env=(TERM=xterm)
	shift
	while [ "$1" != -- ]; do
		env+=("$1")
		shift
	done
	shift
	spawn "$PYTHON3" "$HELPERS/watch_pty.py" --raw "$WORK/$tag.raw" \
		--frame "$WORK/$tag.frame" --stop "$WORK/$tag.stop" \
		--rows "${TTY_ROWS:-40}" --cols "${TTY_COLS:-160}" \
		-- env "${env[@]}" "$WSBENCHCTL" -s "$sock" watch "$@" \
		>"$WORK/$tag.status" 2>"$WORK/$tag.err"
	TTY_PID[$tag]=$LAST_PID
}

TTY_STATUS=
off_tty() {
	local tag=$1
	: >"$WORK/$tag.stop"
	wait_pid "${TTY_PID[$tag]}" 20 || fail "watch on a terminal ($tag) does not end"
	[ "$WAIT_RC" -eq 0 ] ||
		fail "watch_pty.py ($tag) exited $WAIT_RC: $(cat "$WORK/$tag.err")"
	TTY_STATUS=$(cat "$WORK/$tag.status")
}

# has_row TAG NAME: the last table has a row for job NAME.
has_row() {
	[ -f "$WORK/$1.frame" ] && awk -v n="$2" '$1 == n { f = 1 } END { exit !f }' \
		"$WORK/$1.frame"
}

# tables TAG: how many tables were drawn (each ends erasing the screen
# below it).
tables() {
	grep -o $'\e\\[J' "$WORK/$1.raw" | wc -l
}

# cursor_back TAG: the cursor was hidden, and shown again after that.
cursor_back() {
	local raw
	raw=$(cat -v "$WORK/$1.raw")
	[[ $raw == *'^[[?25l'* ]] || {
		defect "$1: the table never hid the cursor"
		return
	}
	[[ ${raw##*'^[[?25l'} == *'^[[?25h'* ]] ||
		defect "$1: the cursor is left hidden: $(tail -c 200 "$WORK/$1.raw" | cat -v)"
}

# aligned TAG: every line of the last table is as long as its header, and
# each row's kind starts under KIND.
aligned() {
	local header pre col line n=0
	header=$(head -n 1 "$WORK/$1.frame")
	pre=${header%%KIND*}
	col=${#pre}
	while IFS= read -r line; do
		n=$((n + 1))
		[ "${#line}" -eq "${#header}" ] ||
			defect "$1: line $n '$line' is not as long as the header '$header'"
		case $line in
		JOB* | total*) ;;
		*) [[ ${line:col:4} =~ ^(push|recv|echo|send)$ ]] ||
			defect "$1: line $n '$line': no kind under KIND (column $col)" ;;
		esac
	done <"$WORK/$1.frame"
}

on_tty all --
wait_until 10 'has_row all total && has_row all e1' ||
	fail "no table on a terminal: $(cat -v "$WORK/all.raw" 2>&1 | tail -c 500)"
header=$(head -n 1 "$WORK/all.frame")
[[ $header =~ ^JOB\ +KIND\ +CONNS\ +MSG/S\ IN\ +MSG/S\ OUT\ +MB/S\ +ERRORS\ +P99$ ]] ||
	defect "table header: '$header'"
rows=$(awk 'NR > 1 { print $1 }' "$WORK/all.frame" | xargs)
[ "$rows" = "p1 r1 e1 total" ] || defect "table rows: '$rows', expected 'p1 r1 e1 total'"
# r1: 2 connections, receiving; the total counts p1's 2 as well.
read -r _ kind conns rate _ <<<"$(grep '^r1 ' "$WORK/all.frame")"
[ "$kind $conns" = "recv 2" ] || defect "r1 row: $(grep '^r1 ' "$WORK/all.frame")"
[[ $rate =~ ^[1-9][0-9.]*[kMG]?$ ]] || defect "r1 receives '$rate' messages a second"
read -r _ conns _ <<<"$(grep '^total ' "$WORK/all.frame")"
[ "$conns" = 4 ] || defect "total row: $(grep '^total ' "$WORK/all.frame")"
aligned all

# Rows come and go with their jobs; a longer name widens the column.
long='a-job-with-a-rather-long-name-to-widen-the-column'
ctl_ok a start echo --name "$long" --port 0 >/dev/null
ctl_ok a stop e1 >/dev/null
wait_until 10 "has_row all $long && ! has_row all e1" ||
	defect "rows do not follow the jobs: $(cat "$WORK/all.frame")"
aligned all
wait_until 5 '[ "$(tables all)" -ge 4 ]' ||
	defect "$(tables all) tables drawn, expected one a second"
off_tty all
[ "$TTY_STATUS" = 0 ] || defect "Ctrl-C: watch exited '$TTY_STATUS', expected 0"
cursor_back all

# One job: its row and the total.
on_tty one -- p1
wait_until 10 'has_row one total' || fail "no table for watch p1"
rows=$(awk 'NR > 1 { print $1 }' "$WORK/one.frame" | xargs)
[ "$rows" = "p1 total" ] || defect "watch p1 rows: '$rows', expected 'p1 total'"
off_tty one
[ "$TTY_STATUS" = 0 ] || defect "Ctrl-C: watch p1 exited '$TTY_STATUS', expected 0"
cursor_back one

# A small terminal: rows that do not fit are counted, lines are cut.
TTY_ROWS=5 TTY_COLS=30 on_tty small --
wait_until 10 'has_row small total' || fail "no table on a small terminal"
got=$(awk '{ print $1 }' "$WORK/small.frame" | xargs)
{ [ "$got" = "JOB p1 (2 total" ] &&
	[ "$(sed -n 3p "$WORK/small.frame")" = "(2 more)" ]; } ||
	defect "small terminal: $(cat "$WORK/small.frame")"
long_lines=$(awk 'length > 29' "$WORK/small.frame")
[ -z "$long_lines" ] || defect "small terminal: lines not cut: $long_lines"
off_tty small

# The watched job goes: the error comes below the table, the cursor back.
ctl_ok a start echo --name e2 --port 0 >/dev/null
on_tty gone -- e2
wait_until 10 'has_row gone e2' || fail "no table for watch e2"
ctl_ok a stop e2 >/dev/null
wait_pid "${TTY_PID[gone]}" 15 || fail "watch e2 does not end when e2 goes"
[ "$(cat "$WORK/gone.status")" = 1 ] ||
	defect "watch of a job that went: exit '$(cat "$WORK/gone.status")', expected 1"
grep -q "wsbenchctl: job 'e2' is gone" "$WORK/gone.raw" ||
	defect "watch of a job that went: no error in $(cat -v "$WORK/gone.raw" | tail -c 300)"
cursor_back gone

# No table for an error, for --plain or -p, or on a dumb terminal.
on_tty nope -- nope
wait_pid "${TTY_PID[nope]}" 15 || fail "watch nope does not end"
[ "$(cat "$WORK/nope.status")" = 1 ] || defect "watch nope exited $(cat "$WORK/nope.status")"
! grep -q $'\e' "$WORK/nope.raw" || defect "watch nope draws: $(cat -v "$WORK/nope.raw")"
# plain_count TAG: the plain lines on the terminal so far.
plain_count() {
	if [ -f "$WORK/$1.raw" ]; then
		grep -c '^messages received: ' "$WORK/$1.raw"
	else
		echo 0
	fi
}

on_tty plain -- --plain
on_tty p -- -p
on_tty dumb TERM=dumb --
for tag in plain p dumb; do
	wait_until 10 "[ \"\$(plain_count $tag)\" -ge 2 ]" ||
		defect "watch ($tag) on a terminal: $(cat -v "$WORK/$tag.raw")"
	! grep -q $'\e' "$WORK/$tag.raw" ||
		defect "watch ($tag) on a terminal draws: $(cat -v "$WORK/$tag.raw")"
	off_tty "$tag"
done

# --- JSON -------------------------------------------------------------------

# A server that closes every connection with a reason needing escapes: a
# quote, a backslash, a tab, a control character, UTF-8.
reason=$'say "bye"\\ \t\x01 \xc3\xa9 \xe2\x98\x83'
shown=$'say "bye"\\ ?? \xc3\xa9 \xe2\x98\x83'
spawn "$PYTHON3" -c '
import asyncio, sys, websockets
async def closer(ws, *path):
    await ws.close(code=4001, reason=sys.argv[1])
async def main():
    async with websockets.serve(closer, "127.0.0.1", 0) as s:
        print(s.sockets[0].getsockname()[1], flush=True)
        await asyncio.Future()
asyncio.run(main())' "$reason" >"$WORK/closer.port" 2>"$WORK/closer.err"
wait_until 15 '[ -s "$WORK/closer.port" ]' ||
	fail "the closing server does not start: $(cat "$WORK/closer.err")"
start_recv a rc "ws://127.0.0.1:$(cat "$WORK/closer.port")/"
# A URL with characters JSON and the shell care about, on a port with no
# one: its target, and a connection error.
dead=$(free_port)
url="ws://127.0.0.1:$dead/q\"u\\o't\`e/%20?a=<b>&c={d}[e]"
start_recv a rx "$url"
wait_until 15 "[ \"\$(ctl a stats -j rc | jq -r '.[0].last_close.code')\" = 4001 ]" ||
	defect "rc has no close 4001: $(ctl a stats -j rc)"

# jq_ok WHAT ARG...: `wsbenchctl ARG...` writes JSON jq can read.
jq_ok() {
	local what=$1
	shift
	ctl a "$@" >"$WORK/json" 2>&1 || defect "$what: $(cat "$WORK/json")"
	jq -e . "$WORK/json" >/dev/null 2>"$WORK/jq.err" ||
		defect "$what: jq cannot read it ($(cat "$WORK/jq.err")): $(cat "$WORK/json")"
}

for cmd in stats list; do
	jq_ok "$cmd -j" "$cmd" -j
	jq_ok "-j $cmd" -j "$cmd"
	kinds=$(jq -r '[.[].kind] | unique | join(" ")' "$WORK/json")
	[ "$kinds" = "echo push recv" ] || defect "$cmd -j kinds: '$kinds'"
	got=$(jq -r '.[] | select(.name == "rx") | .target' "$WORK/json")
	[ "$got" = "$url" ] || defect "$cmd -j target of rx: '$got', expected '$url'"
done
for job in p1 r1 "$long" rc rx; do
	jq_ok "stats -j $job" stats -j "$job"
done
got=$(ctl a stats -j rc | jq -r '.[0].last_close.reason')
[ "$got" = "$shown" ] ||
	defect "close reason: '$(cat -v <<<"$got")', expected '$(cat -v <<<"$shown")'"
got=$(ctl a stats -j rx | jq -r '.[0].last_error | type')
[ "$got" = string ] || defect "rx last_error is a $got"
got=$(ctl a stats -j p1 | jq -r '.[0] | [.messages_sent > 0,
	.per_second.messages_sent > 0, .last_close == null] | join(" ")')
[ "$got" = "true true true" ] || defect "p1 stats -j: $got"

# --- latency ----------------------------------------------------------------

# A send job times the round trips of its messages through an echo job;
# p1 times nothing.
out=$(ctl a start echo --name te --port 0) || fail "start echo te: $out"
ctl_ok a start send "ws://127.0.0.1:${out##*:}/" --name ts --rate 200 \
	--connections 2 >/dev/null

# p99_field JOB: the last field of JOB's first record of `watch --table`.
p99_field() {
	run_bounded 20 "$WSBENCHCTL" -s "$sock" watch --table "$1" 2>/dev/null |
		head -n 1 | awk -F '\t' '{ print NF == 10 ? $10 : "fields " NF }'
}
wait_until 15 'is_uint "$(p99_field ts)" && [ "$(p99_field ts)" -gt 0 ]' ||
	defect "watch --table ts: p99 '$(p99_field ts)', expected ns above 0"
# On loopback at 200 a second, under 10 s even on a loaded machine.
got=$(p99_field ts)
{ is_uint "$got" && [ "$got" -lt 10000000000 ]; } ||
	defect "watch --table ts: p99 of $got ns"
got=$(p99_field p1)
[ "$got" = - ] || defect "watch --table p1: p99 '$got', expected '-'"

# The plain line of a timed job ends with its p99, others' do not.
watch_pipe ts.out ts
# Every line so; one at least with a figure.
{ ! grep -Evqx 'messages sent: [0-9]+ per second [0-9]+ total p99 ([0-9]+\.[0-9]{3} (us|ms|s)|[0-9]+ ns|-)' \
	"$WORK/ts.out" && grep -Eq 's$' "$WORK/ts.out"; } ||
	defect "watch ts: $(cat "$WORK/ts.out")"
watch_pipe p1.out p1
plain_lines p1.out sent

# The table: ts's P99 with its unit, "-" for p1 and the total.
# p99_cell TAG JOB: the last cell of JOB's row.
p99_cell() {
	awk -v n="$2" '$1 == n { print $NF }' "$WORK/$1.frame" 2>/dev/null
}
on_tty lat --
wait_until 10 '[[ $(p99_cell lat ts) =~ ^[0-9.]+(ns|us|ms|s)$ ]]' ||
	defect "table: ts's P99 is '$(p99_cell lat ts)': $(cat "$WORK/lat.frame")"
for job in p1 total; do
	[ "$(p99_cell lat $job)" = - ] ||
		defect "table: $job's P99 is '$(p99_cell lat $job)', expected '-'"
done
aligned lat
off_tty lat

stop_daemon a
finish
