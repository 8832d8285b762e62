#!/bin/bash
# SPDX-License-Identifier: ISC
# Interoperability with a browser: headless Chromium's own WebSocket
# (Debian package chromium) against our push and echo servers.  A page
# (tests/helpers/chromium/run.html, served with its cells by
# tests/helpers/chromium/page_server.py on 127.0.0.1) runs every cell in one
# browser and posts each result back:
#   push cells (text "yo"; binary as ArrayBuffer; 64 KiB binary as Blob;
#     1 KiB generated text): the page counts and checks every message for at
#     least 0.5 s and more than N of them, then closes with 1000; the close
#     must be clean with 1000, nothing negotiated, and the push job must
#     have sent at least what the page counted, with no connection error;
#   echo cell: text, ArrayBuffer, Blob and Uint8Array-view messages of 0 B
#     to 1 MiB and a pipelined burst, each echoed equal and of its type; the
#     echo job's counts must equal what the page sent;
#   negative cells: a wrong expectation must fail the page's checks.
# Chromium and whatever it starts are stopped by PID (run_chromium.sh).
#
# wait_until conditions are single-quoted on purpose: evaluated at each try.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

N=1000
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export CHROMIUM
[ -x "$CHROMIUM" ] || fail "$CHROMIUM is missing (Debian package chromium)"

start_daemon a

# Push jobs, one a cell: NAME -> port.
declare -A PORT=()
push_job() {
	local name=$1
	shift
	start_push a "$name" "$@"
	PORT[$name]=$PUSH_PORT
}
push_job yo
push_job bin --binary
push_job blob --binary --size 65536
push_job kib --size 1024
push_job neg
for e in echo echoneg; do
	out=$(ctl a start echo --port 0 --name "$e" 2>&1) || fail "start echo $e: $out"
	[[ $out =~ ^started\ $e:\ echo\ 127\.0\.0\.1:([0-9]+)$ ]] ||
		fail "start echo reply: '$out'"
	PORT[$e]=${BASH_REMATCH[1]}
done

url() { printf 'ws://127.0.0.1:%s/' "${PORT[$1]}"; }
push_cell_json() { # NAME BINARYTYPE EXPECT
	printf '{"name": "%s", "kind": "push", "url": "%s", "count": %d, "ms": 500, "binaryType": "%s", "expect": %s, "timeoutMs": 15000}' \
		"$1" "$(url "$1")" $((N + 1)) "$2" "$3"
}
cat >"$WORK/cells.json" <<EOF
{"cells": [
 $(push_cell_json yo arraybuffer '{"type": "text", "text": "yo"}'),
 $(push_cell_json bin arraybuffer '{"type": "binary", "size": 2}'),
 $(push_cell_json blob blob '{"type": "binary", "size": 65536}'),
 $(push_cell_json kib arraybuffer '{"type": "text", "size": 1024}'),
 {"name": "echo", "kind": "echo", "url": "$(url echo)", "corrupt": false, "timeoutMs": 30000},
 $(push_cell_json neg arraybuffer '{"type": "text", "text": "ya"}'),
 {"name": "echoneg", "kind": "echo", "url": "$(url echoneg)", "corrupt": true, "timeoutMs": 30000}
]}
EOF
"$PYTHON3" -m json.tool "$WORK/cells.json" >/dev/null || fail "cells.json is not JSON"

mkdir "$WORK/results"
spawn "$PYTHON3" "$HELPERS/chromium/page_server.py" --cells "$WORK/cells.json" \
	--out "$WORK/results" --timeout $((TEST_TIMEOUT + 10)) \
	>"$WORK/page.out" 2>"$WORK/page.err"
page_pid=$LAST_PID
wait_until 15 '[ -s "$WORK/page.out" ] || ! alive $page_pid'
page_port=$(head -n 1 "$WORK/page.out")
is_uint "$page_port" || fail "page_server.py did not print its port: $(cat "$WORK/page.err")"

spawn bash "$HELPERS/chromium/run_chromium.sh" "$WORK/chrome" \
	"http://127.0.0.1:$page_port/run.html" >"$WORK/chromium.out" 2>"$WORK/chromium.err"
chromium_pid=$LAST_PID
wait_until 10 '[ -s "$WORK/chromium.out" ]'
browser_pid=$(head -n 1 "$WORK/chromium.out")
note "chromium: $(run_bounded 20 "$CHROMIUM" --version 2>/dev/null | tail -n 1), pid $browser_pid, page on 127.0.0.1:$page_port"

if ! wait_until 60 '[ -e "$WORK/results/done.json" ] || ! alive $chromium_pid'; then
	defect "the page did not finish within 60 s"
fi
[ -e "$WORK/results/done.json" ] || {
	sed 's/^/    [page_server] /' "$WORK/page.err"
	grep -v 'dbus\|^$' "$WORK/chromium.err" | tail -n 20 | sed 's/^/    [chromium] /'
}
sed -n 's/^page_server: \[\([0-9.]*s\)\] page: /    [page \1] /p' "$WORK/page.err"

# Chromium goes, and leaves nothing behind.
kill_pid "$chromium_pid"
if is_uint "$browser_pid"; then
	left=
	for p in /proc/[0-9]*; do
		{ read -r stat <"$p/stat"; } 2>/dev/null || continue
		rest=${stat##*) }
		read -r state _ _ sid _ <<<"$rest"
		case $state in Z | X) continue ;; esac
		[ "$sid" = "$browser_pid" ] && left="$left ${p#/proc/}"
		grep -qF -- "--database=$WORK/chrome/" "$p/cmdline" 2>/dev/null &&
			left="$left ${p#/proc/}"
	done
	[ -z "$left" ] || defect "chromium left processes behind:$left"
fi

# result NAME EXPR: a member of the page's result for cell NAME.
result() {
	json_get "$2" <"$WORK/results/$1.json"
}

for cell in yo bin blob kib; do
	if [ ! -s "$WORK/results/$cell.json" ]; then
		defect "push $cell: no result from the page"
		continue
	fi
	ok=1
	err=$(result "$cell" 'j["error"]')
	count=$(result "$cell" 'j["count"]')
	[ "$err" = None ] || { defect "push $cell: the page says: $err"; ok=0; }
	if ! is_uint "$count" || [ "$count" -le "$N" ]; then
		defect "push $cell: the page counted '$count' messages, expected more than $N"
		ok=0
	fi
	[ "$(result "$cell" 'j["closeCode"], j["wasClean"]')" = "(1000, True)" ] || {
		defect "push $cell: close code, clean: $(result "$cell" 'j["closeCode"], j["wasClean"]'), expected 1000, true"
		ok=0
	}
	[ "$(result "$cell" 'j["extensions"] + "|" + j["protocol"]')" = "|" ] || {
		defect "push $cell: negotiated $(result "$cell" 'j["extensions"], j["protocol"]')"
		ok=0
	}
	wait_until 10 '[ "$(num_of a "$cell" connections)" -eq 0 ]' ||
		{ defect "push $cell: the job still has a connection"; ok=0; }
	sent=$(num_of a "$cell" messages_sent)
	errors=$(num_of a "$cell" connection_errors)
	[ "$errors" -eq 0 ] || { defect "push $cell: connection_errors is $errors, expected 0"; ok=0; }
	if is_uint "$count" && [ "$sent" -lt "$count" ]; then
		defect "push $cell: messages_sent $sent is less than the $count the page got"
		ok=0
	fi
	[ "$ok" = 1 ] &&
		note "cell push/$cell: ok, the page got $count good messages of the $sent sent; clean close 1000"
done

if [ -s "$WORK/results/echo.json" ]; then
	ok=1
	err=$(result echo 'j["error"]')
	sent=$(result echo 'j["sent"]')
	[ "$err" = None ] || { defect "echo: the page says: $err"; ok=0; }
	[ "$sent" = $((9 * 4 + 2000)) ] ||
		{ defect "echo: the page sent '$sent' messages, expected $((9 * 4 + 2000))"; ok=0; }
	[ "$(result echo 'j["closeCode"], j["wasClean"]')" = "(1000, True)" ] || {
		defect "echo: close code, clean: $(result echo 'j["closeCode"], j["wasClean"]'), expected 1000, true"
		ok=0
	}
	wait_until 10 '[ "$(num_of a echo connections)" -eq 0 ]' ||
		{ defect "echo: the job still has a connection"; ok=0; }
	for key in messages_received messages_sent; do
		v=$(num_of a echo "$key")
		[ "$v" = "$sent" ] || { defect "echo: $key is $v, the page sent $sent"; ok=0; }
	done
	v=$(num_of a echo connection_errors)
	[ "$v" -eq 0 ] || { defect "echo: connection_errors is $v, expected 0"; ok=0; }
	[ "$ok" = 1 ] &&
		note "cell echo: ok, $sent messages (text, ArrayBuffer, Blob, view; 0 B to 1 MiB; a burst) echoed equal; clean close 1000"
else
	defect "echo: no result from the page"
fi

# The negatives: the page's checks bite.
for cell in neg echoneg; do
	if [ ! -s "$WORK/results/$cell.json" ]; then
		defect "negative $cell: no result from the page"
		continue
	fi
	err=$(result "$cell" 'j["error"]')
	case $err in
	None) defect "negative $cell: a wrong expectation passed the page's checks" ;;
	*expected*ya* | *expected*got*) note "negative $cell: the page's check failed as it must: $err" ;;
	*) defect "negative $cell: failed for another reason: $err" ;;
	esac
done

kill -TERM "$page_pid"
wait_pid "$page_pid" 10 || defect "page_server.py does not exit on SIGTERM"
stop_daemon a
finish
