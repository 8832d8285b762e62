#!/bin/bash
# SPDX-License-Identifier: ISC
# A server that sends whole frames, then half a frame, then a TCP RST:
# recv counts each such connection as `lost`, never the half frame as a
# message, and reconnects until a connection stays.
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

RESETS=5
FRAMES=100

spawn "$PYTHON3" "$HELPERS/rst_server.py" "$RESETS" "$FRAMES" \
	>"$WORK/rst.out" 2>"$WORK/rst.err"
rst=$LAST_PID
wait_until 10 '[ -s "$WORK/rst.out" ]' || fail "rst_server.py did not start"
port=$(head -n 1 "$WORK/rst.out")

start_daemon a
start_recv a r "ws://127.0.0.1:$port/"
wait_until 30 '[ "$(num_of a r connections_opened)" -eq $((RESETS + 1)) ] &&
	[ "$(num_of a r connections)" -eq 1 ]' ||
	fail "r opened $(num_of a r connections_opened) connections, $(num_of a r connections) open; expected $((RESETS + 1)), 1"
frames=$(((RESETS + 1) * FRAMES))
wait_until 10 '[ "$(num_of a r messages_received)" -eq "$frames" ]' ||
	defect "messages_received $(num_of a r messages_received), expected $frames (a half frame counted?)"
for k in errors_lost:"$RESETS" connection_errors:"$RESETS" reconnects:"$RESETS"; do
	v=$(stat_of a r "${k%%:*}") || fail "stats r"
	note "${k%%:*} $v"
	[ "$v" -eq "${k#*:}" ] || defect "${k%%:*} $v, expected ${k#*:}"
done
kill -TERM "$rst"
wait_pid "$rst" 10 || fail "rst_server.py does not exit"
read -r _ resets _ sent < <(tail -n 1 "$WORK/rst.out")
note "server: $resets resets in mid-frame, $sent whole frames sent"
if [ "$resets" -ne "$RESETS" ] || [ "$sent" -ne "$frames" ]; then
	defect "the server made $resets resets and sent $sent frames"
fi
finish
