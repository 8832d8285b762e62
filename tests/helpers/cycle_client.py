#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Opens and closes WebSocket connections, one after another.

    cycle_client.py PORT CYCLES

Each cycle connects to 127.0.0.1:PORT, sends the upgrade request, reads
the 101 response and closes: every other cycle with a TCP RST (SO_LINGER
0), the others with a FIN.  Prints "cycles N seconds T"; exit status 1
when a handshake fails.
"""

import socket
import struct
import sys
import time

REQUEST = (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
           b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
LINGER0 = struct.pack("ii", 1, 0)


def cycle(port, reset):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(REQUEST)
        resp = b""
        while b"\r\n\r\n" not in resp:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("closed before the 101")
            resp += chunk
        if not resp.startswith(b"HTTP/1.1 101 "):
            raise ConnectionError("got " + resp.split(b"\r\n")[0].decode())
        if reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)


def main():
    port, cycles = int(sys.argv[1]), int(sys.argv[2])
    t0 = time.monotonic()
    for i in range(cycles):
        try:
            cycle(port, i % 2 == 0)
        except OSError as e:
            print("cycle_client: cycle %d: %s" % (i, e), file=sys.stderr)
            return 1
    print("cycles %d seconds %.1f" % (cycles, time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
