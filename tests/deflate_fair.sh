#!/bin/bash
# SPDX-License-Identifier: ISC
# Compressing does not starve a worker: a push job of 1 MB messages with
# --deflate, read as fast as they come by clients that take context over
# (each copy compressed on its own), still answers a new client's
# handshake at once, and its compressed messages still inflate whole.
# The job has one worker, so every connection shares it.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR
# shellcheck source=lib.sh
. "${TESTS_SRCDIR:-$(dirname "$0")}/lib.sh"

CLIENTS=20
BOUND_MS=2000

start_daemon a -t 1
start_push a p --size 1000000 --deflate
start_daemon b -t 1
start_recv b r "ws://127.0.0.1:$PUSH_PORT/" --deflate \
	--connections "$CLIENTS"
# The clients' own handshakes must not wait behind the first ones'
# compressing either.
wait_until 15 '[ "$(num_of a p connections)" -eq "$CLIENTS" ]' ||
	fail "p: $(num_of a p connections) connections after 15 s, expected $CLIENTS"
wait_until 15 '[ "$(num_of b r messages_received)" -gt "$CLIENTS" ]' ||
	fail "r received $(num_of b r messages_received) messages"

# One plain handshake after another: the time to the 101, in ms.
cat >"$WORK/hs.py" <<'PY'
import socket, sys, time
t0 = time.monotonic()
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=15)
s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
          b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
head = b""
while b"\r\n\r\n" not in head:
    chunk = s.recv(4096)
    if not chunk:
        sys.exit("closed before the answer: %r" % head)
    head += chunk
if not head.startswith(b"HTTP/1.1 101"):
    sys.exit("answered %r" % head[:40])
print(int((time.monotonic() - t0) * 1000))
PY
for i in 1 2 3; do
	ms=$(run_bounded 20 "$PYTHON3" "$WORK/hs.py" "$PUSH_PORT") ||
		fail "handshake $i did not complete: $ms"
	note "handshake $i: $ms ms"
	[ "$ms" -le "$BOUND_MS" ] ||
		fail "handshake $i took $ms ms, more than $BOUND_MS: the worker was busy compressing"
	sleep 0.3
done

m=$(stat_of b r messages_received) || fail "stats r"
note "r received $m messages of 1 MB"
# Every copy inflated whole and as valid text, or r would have failed.
expect_stat b r connection_errors == 0
stop_daemon b
stop_daemon a
finish
