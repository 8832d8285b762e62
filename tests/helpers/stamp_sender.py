#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket server sending stamped messages at a steady rate.

    stamp_sender.py [--rate N]

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed).  To
each client it sends N text messages a second (default 100), each
starting with a stamp (wsbenchctl(8), Stamps) of the moment it is handed
to the socket (time.time_ns(), CLOCK_REALTIME): what a `recv --latency`
job measures from it is the one-way trip, whenever Python's timer wakes.
On SIGTERM it prints "sent N" on stdout and exits 0.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import time

import websockets


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=float, default=100)
    a = ap.parse_args()
    loop = asyncio.get_running_loop()
    sent = 0

    async def handler(ws, _path):
        nonlocal sent
        seq = 0
        while True:
            await ws.send("wsb1:%016x:%016x;" % (seq, time.time_ns()))
            seq += 1
            sent += 1
            await asyncio.sleep(1 / a.rate)

    done = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, done.set_result, None)
    loop.add_signal_handler(signal.SIGINT, done.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", 0, compression=None,
                                ping_interval=None,
                                close_timeout=1) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await done
    print(f"sent {sent}", flush=True)


asyncio.run(main())
