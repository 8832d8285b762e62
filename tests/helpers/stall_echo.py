#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket echo server that stalls now and then, like a busy server.

    stall_echo.py [--first S] [--period S] [--stall S]

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed), then
echoes every message on every connection, except in its stalls: from
FIRST seconds after it printed the port, and every PERIOD seconds after
that, for STALL seconds, it answers nothing and reads nothing more than
a few KiB (a small receive buffer, a small read limit and a queue of one
message), so that the client's sends back up behind it as they would
behind a stalled server.  With --stall 0 it never stalls: a plain echo
server.  Each stall is logged on stderr.  On SIGTERM
it prints "stalls N echoed M" on stdout, drops its connections (a
connection held up may never complete a close handshake) and exits 0.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import socket
import sys

import websockets

RCVBUF = 4096   # bytes: what the kernel may hold for us during a stall


def log(*args):
    print("stall_echo:", *args, file=sys.stderr, flush=True)


class Stalls:
    """The timetable of the stalls, from the moment the port is printed."""

    def __init__(self, first, period, stall):
        self.first, self.period, self.stall = first, period, stall
        self.t0 = None
        self.seen = set()
        self.echoed = 0

    def left(self, now):
        """Seconds left of the stall under way at `now`, or 0."""
        since = now - self.t0 - self.first
        if since < 0 or self.stall <= 0:
            return 0
        k, phase = divmod(since, self.period)
        if phase >= self.stall:
            return 0
        if k not in self.seen:
            self.seen.add(k)
            log(f"stall {int(k) + 1} for {self.stall - phase:.3f} s")
        return self.stall - phase


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--first", type=float, default=2.0)
    ap.add_argument("--period", type=float, default=5.0)
    ap.add_argument("--stall", type=float, default=0.5)
    a = ap.parse_args()
    stalls = Stalls(a.first, a.period, a.stall)
    loop = asyncio.get_running_loop()

    conns = set()

    async def echo(ws, _path):
        conns.add(ws)
        async for msg in ws:
            left = stalls.left(loop.time())
            if left > 0:
                await asyncio.sleep(left)
            await ws.send(msg)
            stalls.echoed += 1

    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on such a socket
    # (proto 0 would leave Nagle on, and each echo waiting for an ACK).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Set before listen: accepted sockets inherit it (and their window).
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RCVBUF)
    sock.bind(("127.0.0.1", 0))
    done = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, done.set_result, None)
    loop.add_signal_handler(signal.SIGINT, done.set_result, None)
    async with websockets.serve(echo, sock=sock, max_queue=1,
                                read_limit=RCVBUF, write_limit=RCVBUF,
                                compression=None, ping_interval=None,
                                close_timeout=1, max_size=None):
        stalls.t0 = loop.time()
        print(sock.getsockname()[1], flush=True)
        await done
        for ws in conns:
            ws.transport.abort()
    print(f"stalls {len(stalls.seen)} echoed {stalls.echoed}", flush=True)


asyncio.run(main())
