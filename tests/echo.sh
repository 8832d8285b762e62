#!/bin/bash
# SPDX-License-Identifier: ISC
# The echo job against python3-websockets: every message back equal and of
# its type, whatever its length form or fragmentation; counts agree with
# what the client sent; a client that sends without reading is paused,
# not buffered without bound.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a
start_echo a e
port=$ECHO_PORT

run_bounded 90 "$PYTHON3" "$HELPERS/echo_client.py" \
	"ws://127.0.0.1:$port/" >"$WORK/echo.out" 2>"$WORK/echo.err" ||
	fail "echo_client: $(cat "$WORK/echo.err")"
sent=$(cat "$WORK/echo.out")
note "client sent and got back $sent messages"
wait_until 10 '[ "$(num_of a e connections)" -eq 0 ]' || fail "e kept a connection"
expect_stat a e messages_received == "$sent"
expect_stat a e messages_sent == "$sent"
expect_stat a e connection_errors == 0

note "a client that sends 1 KiB messages and never reads"
cat >"$WORK/flood.py" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
          b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
frame = b"\x82\xfe\x04\x00" + b"\x00" * 4 + b"x" * 1024
s.settimeout(0.2)
deadline = time.time() + 6
while time.time() < deadline:
    try:
        s.send(frame * 64)
    except socket.timeout:
        pass
PY
spawn "$PYTHON3" "$WORK/flood.py" "$port"
sleep 6
rss=$(awk '/^VmRSS/ { print $2 }' "/proc/${DAEMON_PID[a]}/status")
note "daemon RSS ${rss} kB after 6 s of it"
[ "$rss" -lt 65536 ] || fail "RSS ${rss} kB: the echo output grew unbounded"
finish
