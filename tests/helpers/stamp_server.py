#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket server sending stamped messages, for recv --latency.

    stamp_server.py

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed).  To
each client it sends STAMPED messages that carry a stamp (wsbenchctl(8),
Stamps) due one second ago: text, binary, and one in fragments that split
the stamp; then UNSTAMPED messages that do not begin with a whole,
well-formed stamp.  It then waits for the client to close.  The counts are
printed on stderr.  Runs until SIGTERM or its --timeout.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import sys
import time

import websockets

STAMPED = 5
UNSTAMPED = 3


def stamp(seq, ns):
    return "wsb1:%016x:%016x;" % (seq, ns)


async def handler(ws, path=None):
    due = time.time_ns() - 1_000_000_000
    s = [stamp(k, due) for k in range(STAMPED)]
    await ws.send(s[0] + "yo")
    await ws.send(s[1])
    await ws.send((s[2] + "binary").encode())
    # The stamp in three pieces, as a reader may get it.
    await ws.send(iter([s[3][:7], s[3][7:30], s[3][30:] + "tail"]))
    await ws.send(s[4] + "x" * 70000)
    await ws.send("yo")
    await ws.send(s[0][:-1])                # one byte short
    await ws.send("wsb1:" + "g" * 16 + s[0][21:])   # not hexadecimal
    print(f"stamp_server: sent {STAMPED} stamped, {UNSTAMPED} unstamped",
          file=sys.stderr, flush=True)
    try:
        await ws.wait_closed()
    except websockets.ConnectionClosed:
        pass


async def main(opts):
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, stop.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        try:
            await asyncio.wait_for(stop, opts.timeout)
        except asyncio.TimeoutError:
            return 3
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--timeout", type=float, default=120)
    sys.exit(asyncio.run(main(p.parse_args())))
