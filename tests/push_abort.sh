#!/bin/bash
# SPDX-License-Identifier: ISC
# Clients that upgrade and then reset the connection at once: push must
# count no message it did not write (messages_sent x frame length never
# exceeds bytes_sent), and the daemon must go on serving.
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

start_daemon a
start_push a p
note "500 clients: upgrade request, then RST"
run_bounded 60 "$PYTHON3" - "$PUSH_PORT" <<'PY' || fail "abort clients failed"
import socket, struct, sys
req = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
       b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
       b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
for _ in range(500):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.sendall(req)
    s.close()
PY
wait_until 15 '[ "$(num_of a p connections)" -eq 0 ]' ||
	fail "p still has $(num_of a p connections) connections"
sent=$(stat_of a p messages_sent) || fail "stats p"
bytes=$(stat_of a p bytes_sent) || fail "stats p"
note "messages_sent $sent, bytes_sent $bytes"
# awk compares as doubles: a wrapped count is past what bash's signed
# 64-bit arithmetic holds.
awk -v s="$sent" -v b="$bytes" 'BEGIN { exit !(s <= b / 4) }' ||
	fail "messages_sent $sent is more than bytes_sent $bytes allows"
# A well-behaved client still gets served afterwards.
start_recv a r "ws://127.0.0.1:$PUSH_PORT/"
wait_until 15 '[ "$(num_of a r messages_received)" -gt 1000 ]' ||
	fail "r received $(num_of a r messages_received) messages"
finish
