#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A deliberately scripted WebSocket server for testing a client's handshake.

    hs_server.py MODE PORTFILE HEADFILE

Listens on a free 127.0.0.1 port, writes the port to PORTFILE, and answers
every connection as MODE says, appending each request head it reads to
HEADFILE:

  ok-superchat  a valid 101 choosing the subprotocol "superchat", then a
                text message "hi" and a close frame 4001 "bye now"
  unoffered     a valid 101 choosing the subprotocol "other"
  bad-accept    a 101 with a wrong Sec-WebSocket-Accept
  status-403    HTTP/1.1 403 Forbidden
  silent        reads the request and never answers

Plain sockets, so that nothing is checked or fixed on its behalf.
"""

import base64
import hashlib
import socket
import sys
import threading
import time

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_value(head):
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"sec-websocket-key":
            digest = hashlib.sha1(value.strip() + GUID).digest()
            return base64.b64encode(digest)
    return b""


def response(mode, head):
    accept = accept_value(head)
    if mode == "bad-accept":
        accept = base64.b64encode(b"x" * 20)
    if mode == "status-403":
        return b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
    proto = {"ok-superchat": b"superchat", "unoffered": b"other"}.get(mode)
    lines = [b"HTTP/1.1 101 Switching Protocols", b"Upgrade: websocket",
             b"Connection: Upgrade", b"Sec-WebSocket-Accept: " + accept]
    if proto:
        lines.append(b"Sec-WebSocket-Protocol: " + proto)
    return b"\r\n".join(lines) + b"\r\n\r\n"


def serve(conn, mode, headfile):
    with conn:
        head = b""
        while b"\r\n\r\n" not in head:
            data = conn.recv(4096)
            if not data:
                return
            head += data
        with open(headfile, "ab") as f:
            f.write(head)
        if mode == "silent":
            time.sleep(30)
            return
        conn.sendall(response(mode, head))
        if mode == "ok-superchat":
            reason = b"bye now"
            conn.sendall(b"\x81\x02hi" + bytes([0x88, 2 + len(reason)]) +
                         (4001).to_bytes(2, "big") + reason)
        # Let the client answer and close; the server closes TCP first.
        time.sleep(0.5)


def main():
    mode, portfile, headfile = sys.argv[1:4]
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    with open(portfile, "w") as f:
        f.write(f"{srv.getsockname()[1]}\n")
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, mode, headfile),
                         daemon=True).start()


if __name__ == "__main__":
    main()
