#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket echo server on Python's websockets.

    echo_server.py

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed), then
sends every message on every connection back as it came.  On SIGTERM it
prints "echoed N" on stdout and exits 0.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import asyncio
import signal

import websockets


async def main():
    loop = asyncio.get_running_loop()
    echoed = 0

    async def echo(ws, _path):
        nonlocal echoed
        async for msg in ws:
            await ws.send(msg)
            echoed += 1

    done = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, done.set_result, None)
    loop.add_signal_handler(signal.SIGINT, done.set_result, None)
    async with websockets.serve(echo, "127.0.0.1", 0, compression=None,
                                ping_interval=None, close_timeout=1,
                                max_size=None) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await done
    print(f"echoed {echoed}", flush=True)


asyncio.run(main())
