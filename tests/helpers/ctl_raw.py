#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A control-socket client that sends what wsbenchctl never would.

    ctl_raw.py SOCKET MODE [REQUEST [N]]

MODE is what it sends: empty (a bare newline), long (20,000 bytes and no
newline), blob (a line with a NUL and other control bytes), version (a
good request), hangup (a request, then it hangs up at once), idle
(nothing), line (REQUEST and a newline).  It prints the reply as it came, once the daemon hangs up.
In mode unread it sends REQUEST and a newline on N connections (1 if not
given), prints "sent", and then reads nothing until it is killed.
"""

import socket
import sys
import time

REQUESTS = {
    "empty": b"\n",
    "long": b"x" * 20000,
    "blob": b"ver\x00sion\x01\xff\n",
    "version": b"version\n",
    "hangup": b"stats\n",
    "idle": b"",
}


def unread(path, request, n):
    """Connections that never read: their replies pile up in the daemon."""
    conns = []
    for _ in range(n):
        s = socket.socket(socket.AF_UNIX)
        s.connect(path)
        s.sendall(request)
        conns.append(s)
    print("sent", flush=True)
    while True:
        time.sleep(60)


def main():
    path, mode = sys.argv[1:3]
    if mode == "unread":
        n = int(sys.argv[4]) if len(sys.argv) > 4 else 1
        unread(path, sys.argv[3].encode() + b"\n", n)
        return
    if mode == "line":
        request = sys.argv[3].encode() + b"\n"
    else:
        request = REQUESTS[mode]
    s = socket.socket(socket.AF_UNIX)
    s.settimeout(30)
    s.connect(path)
    s.sendall(request)
    if mode == "hangup":
        s.close()
        return
    reply = b""
    while True:
        data = s.recv(4096)
        if not data:
            break
        reply += data
    sys.stdout.write(reply.decode("utf-8", "replace"))


if __name__ == "__main__":
    main()
