#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A python3-websockets server that pushes a fixed number of messages.

Binds 127.0.0.1:0 and prints the port on stdout (one line).  Each of the
first --serve connections (default 1) gets exactly --messages messages,
text or binary (--type) of --size bytes, each whole or, with --fragmented,
in fragments (ws.send(list_of_fragments): one frame a fragment, cut at
1, 125 and 126 bytes and 64 KiB, then the rest, text cut at character
boundaries, and websockets' own empty final frame), then is closed with
1000.  After that close handshake it prints

    served I MESSAGES PAYLOAD_BYTES FRAME_BYTES CLOSE_CODE 0

where FRAME_BYTES is the bytes of the data frames on the wire and
CLOSE_CODE the code the client answered the close with (the 0: no ping
went unanswered, as node/recv_server.js reports; none is sent here).  Later
connections get nothing and stay open until the client closes them; each
prints `idle I` when it opens.  Events go to stderr.

Text is UTF-8 of exactly --size bytes, with characters of 1 to 4 bytes.

Runs until SIGTERM or SIGINT (exit 0), or --timeout seconds (exit 3);
2 on a usage or startup problem.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import sys

import websockets

CUTS = (1, 125, 126, 65536)


def log(*args):
    print("recv_matrix_server:", *args, file=sys.stderr, flush=True)


def out(line):
    print(line, flush=True)


def text(n):
    """UTF-8 text of exactly n bytes, with characters of 1 to 4 bytes."""
    parts = ("\u00e9", "a", "\u20ac", "\U0001f600", "z")
    chars, length, i = [], 0, 0
    while True:
        p = parts[i % len(parts)]
        b = len(p.encode())
        if length + b > n:
            break
        chars.append(p)
        length += b
        i += 1
    return "".join(chars) + "x" * (n - length)


def binary(n):
    return bytes((i * 7 + 3) % 256 for i in range(n))


def header_len(n):
    return 2 if n < 126 else 4 if n < 65536 else 10


def fragments(data):
    """Cuts bytes data at 1, 125, 126, 65536 bytes then the rest."""
    pieces, pos = [], 0
    for c in CUTS:
        if pos + c >= len(data):
            break
        pieces.append(data[pos:pos + c])
        pos += c
    pieces.append(data[pos:])
    return pieces


def text_fragments(msg):
    """The same cuts, moved back to the start of a character."""
    data = msg.encode()
    pieces, start = [], 0
    ends = []
    pos = 0
    for c in CUTS:
        if pos + c >= len(data):
            break
        pos += c
        ends.append(pos)
    for end in ends:
        while end > start and (data[end] & 0xC0) == 0x80:
            end -= 1
        pieces.append(data[start:end].decode())
        start = end
    pieces.append(data[start:].decode())
    assert "".join(pieces) == msg
    return pieces


class Server:
    def __init__(self, opts):
        self.opts = opts
        self.conns = 0
        n = opts.size
        self.message = text(n) if opts.type == "text" else binary(n)
        payload = self.message.encode() if opts.type == "text" else self.message
        assert len(payload) == n
        if opts.fragmented:
            if opts.type == "text":
                self.send_arg = text_fragments(self.message)
                sizes = [len(p.encode()) for p in self.send_arg]
            else:
                self.send_arg = fragments(self.message)
                sizes = [len(p) for p in self.send_arg]
            sizes.append(0)     # websockets ends with an empty final frame
        else:
            self.send_arg = self.message
            sizes = [n]
        self.frame_bytes = sum(s + header_len(s) for s in sizes)
        log(f"{opts.messages} x {opts.type} of {n} bytes a connection, "
            f"{len(sizes)} frame(s) of {sizes} a message")

    async def handler(self, ws, path=None):
        self.conns += 1
        i = self.conns
        if i > self.opts.serve:
            out(f"idle {i}")
            log(f"connection {i}: idle")
            await ws.wait_closed()
            log(f"connection {i}: closed by the client with {ws.close_code}")
            return
        sent = 0
        try:
            for _ in range(self.opts.messages):
                await ws.send(self.send_arg)
                sent += 1
            await ws.close(1000)
        except websockets.ConnectionClosed as e:
            log(f"connection {i}: closed early: {e}")
        code = ws.close_code
        log(f"connection {i}: sent {sent} messages, closed with 1000, "
            f"answered with {code}")
        out(f"served {i} {sent} {sent * self.opts.size} "
            f"{sent * self.frame_bytes} {code} 0")


async def main(opts):
    srv = Server(opts)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(
            sig, lambda s=sig: stop.done() or stop.set_result(s))
    async with websockets.serve(srv.handler, "127.0.0.1", 0,
                                compression=None, max_size=None,
                                ping_interval=None) as server:
        port = server.sockets[0].getsockname()[1]
        out(port)
        log(f"listening on 127.0.0.1:{port}")
        try:
            await asyncio.wait_for(stop, opts.timeout)
        except asyncio.TimeoutError:
            log(f"no signal in {opts.timeout} s, giving up")
            return 3
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--type", choices=("text", "binary"), required=True)
    ap.add_argument("--size", type=int, required=True,
                    help="bytes a message")
    ap.add_argument("--messages", type=int, required=True,
                    help="messages a served connection")
    ap.add_argument("--fragmented", action="store_true")
    ap.add_argument("--serve", type=int, default=1,
                    help="connections that get the messages (default 1)")
    ap.add_argument("--timeout", type=float, default=60)
    try:
        sys.exit(asyncio.run(main(ap.parse_args())))
    except (OSError, websockets.WebSocketException) as e:
        log("error:", e)
        sys.exit(2)
