#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket server that resets its first connections in mid-frame.

    rst_server.py RESETS FRAMES

Binds 127.0.0.1:0 and prints the port on stdout.  Each connection gets
the upgrade, then FRAMES whole text frames "yo"; each of the first RESETS
connections then gets the first half of a 100-byte frame and a TCP RST
(SO_LINGER 0); the later ones stay open.  On SIGTERM it prints
"resets R frames F" (what it did) on stdout and exits 0.
"""

import base64
import hashlib
import signal
import socket
import struct
import sys
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
WHOLE = b"\x81\x02yo"
HALF = b"\x81\x64" + b"x" * 50          # 100 bytes announced, 50 sent
done = {"resets": 0, "frames": 0}
kept = []


def upgrade(conn):
    req = b""
    while b"\r\n\r\n" not in req:
        chunk = conn.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the upgrade")
        req += chunk
    key = next(line.split(b":", 1)[1].strip()
               for line in req.split(b"\r\n")
               if line.lower().startswith(b"sec-websocket-key:"))
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket"
                 b"\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                 accept + b"\r\n\r\n")


def serve(conn, reset, frames):
    upgrade(conn)
    conn.sendall(WHOLE * frames)
    done["frames"] += frames
    if not reset:
        kept.append(conn)
        return
    time.sleep(0.2)             # the whole frames are read first
    conn.sendall(HALF)
    time.sleep(0.2)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                    struct.pack("ii", 1, 0))
    conn.close()
    done["resets"] += 1


def stop(signum, frame):
    print("resets %d frames %d" % (done["resets"], done["frames"]),
          flush=True)
    sys.exit(0)


def main():
    resets, frames = int(sys.argv[1]), int(sys.argv[2])
    signal.signal(signal.SIGTERM, stop)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    print(ls.getsockname()[1], flush=True)
    n = 0
    while True:
        conn, _ = ls.accept()
        try:
            serve(conn, n < resets, frames)
        except OSError as e:
            print("rst_server:", e, file=sys.stderr, flush=True)
            conn.close()
            continue
        n += 1


if __name__ == "__main__":
    main()
