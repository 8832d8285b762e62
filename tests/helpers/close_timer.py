#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket server that times each connection from open to close.

    close_timer.py

Binds 127.0.0.1:0, prints the port on stdout, then one line for each
connection as it opens and as the client's close frame arrives:

    open ID T
    close ID T CODE

ID numbers the connections from 1, T is time.monotonic() in seconds,
CODE the client's close code (none: 1005, the connection lost without a
close frame: 1006).  It sends nothing.  Runs until SIGTERM.

Uses the asyncio API of python3-websockets 10.4.
"""

import asyncio
import signal
import sys
import time

import websockets


def say(*words):
    print(*words, flush=True)


async def main():
    count = 0

    async def handler(ws, path=None):
        nonlocal count
        count += 1
        cid = count
        say("open", cid, "%.4f" % time.monotonic())
        try:
            async for _ in ws:
                pass
        except websockets.ConnectionClosed:
            pass
        say("close", cid, "%.4f" % time.monotonic(), ws.close_code)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, stop.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", 0) as srv:
        say(srv.sockets[0].getsockname()[1])
        await stop
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
