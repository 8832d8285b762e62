#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket client that checks the stamps of a paced sender.

Connects to URL, reads for --seconds, then closes normally, reading what
was in flight until the server's close answer.  Every message must begin
with a well-formed stamp (wsb1:SSSSSSSSSSSSSSSS:TTTTTTTTTTTTTTTT; with 16
lowercase hex digits each) and be --size bytes long; the sequence numbers
must go 0, 1, 2... without a gap, the due times follow the timetable of
--rate messages a second exactly (message k due floor(k * 10^9 / rate) ns
after message 0), or with --rate 0 (a plan of rates) never go back, and no
message may arrive before it is due (the same CLOCK_REALTIME on both
sides).

Prints one line of JSON on stdout: the messages received in all, the
messages that arrived in the measured span (from --warmup seconds after
the first message to the close) with that span's length in seconds, the
seconds from the first due time to the last, and how many messages were
due in the last --tail seconds of it.

Exit status: 0 on success, 1 if a check fails, 2 on a connection problem,
3 on timeout.

Uses the asyncio API of python3-websockets 10.4 (websockets.connect).
"""

import argparse
import asyncio
import json
import re
import time

import websockets

import peer_common
from peer_common import CheckFailed, log

STAMP = re.compile(r"wsb1:([0-9a-f]{16}):([0-9a-f]{16});")



class Stamps:
    """What the messages so far said, and checks on each new one."""

    def __init__(self, opts):
        self.opts = opts
        self.n = 0
        self.due0 = None
        self.span_start = None
        self.span_count = 0
        self.dues = []

    def check(self, msg):
        now = time.time_ns()
        if isinstance(msg, str):
            msg = msg.encode()
        m = STAMP.match(msg.decode("ascii", "replace"))
        if m is None:
            raise CheckFailed(f"message {self.n}: no stamp: {msg[:48]!r}")
        if len(msg) != self.opts.size:
            raise CheckFailed(f"message {self.n}: {len(msg)} bytes, "
                              f"expected {self.opts.size}")
        seq, due = int(m.group(1), 16), int(m.group(2), 16)
        if seq != self.n:
            raise CheckFailed(f"message {self.n}: sequence number {seq}")
        if self.due0 is None:
            self.due0 = due
            self.span_start = now + int(self.opts.warmup * 1e9)
        if self.opts.rate == 0:
            want = max(due, self.dues[-1] if self.dues else due)
        else:
            want = self.due0 + self.n * 10**9 // self.opts.rate
        self.dues.append(due)
        if due != want:
            raise CheckFailed(f"message {self.n}: due at {due}, the "
                              f"timetable says {want}")
        if now < due:
            raise CheckFailed(f"message {self.n}: arrived "
                              f"{(due - now) / 1e6:.3f} ms before it was "
                              f"due")
        if now >= self.span_start:
            self.span_count += 1
        self.n += 1


async def drain(ws, stamps):
    """Reads (and checks) what was in flight while the close goes out."""
    try:
        while True:
            stamps.check(await ws.recv())
    except websockets.ConnectionClosed:
        pass


async def session(ws, opts):
    stamps = Stamps(opts)
    stamps.check(await ws.recv())
    end = time.monotonic() + opts.seconds
    while time.monotonic() < end:
        try:
            msg = await asyncio.wait_for(ws.recv(), end - time.monotonic())
        except asyncio.TimeoutError:
            break
        stamps.check(msg)
    span = (time.time_ns() - stamps.span_start) / 1e9
    count = stamps.span_count
    rest = asyncio.create_task(drain(ws, stamps))
    await ws.close()
    await rest
    if ws.close_code != 1000:
        raise CheckFailed(f"the server answered the close with "
                          f"{ws.close_code}")
    log(f"{stamps.n} messages, {count} in {span:.3f} s")
    last = stamps.dues[-1]
    tail = sum(1 for d in stamps.dues if d >= last - opts.tail * 1e9)
    print(json.dumps({"received": stamps.n, "span_count": count,
                      "span_seconds": span,
                      "due_seconds": (last - stamps.dues[0]) / 1e9,
                      "tail_count": tail}), flush=True)
    return 0


async def run(opts):
    ws = await websockets.connect(opts.url, open_timeout=10,
                                  close_timeout=10, compression=None)
    try:
        return await session(ws, opts)
    finally:
        if not ws.closed:
            ws.transport.abort()


async def main(opts):
    try:
        return await asyncio.wait_for(run(opts), opts.seconds + 30)
    except asyncio.TimeoutError:
        log("FAIL: timed out")
        return 3


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--rate", type=int, required=True,
                    help="messages a second; 0: a plan, due times only "
                    "checked not to go back")
    ap.add_argument("--size", type=int, default=41,
                    help="bytes in a message (default 41: a stamp and yo)")
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--warmup", type=float, default=1)
    ap.add_argument("--tail", type=float, default=0.5)
    peer_common.run(main, ap.parse_args())
