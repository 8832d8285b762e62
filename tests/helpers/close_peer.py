#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket peer that ends connections with given close codes.

  close_peer.py server CODE...   binds 127.0.0.1:0, prints the port on
                                 stdout, closes its first connections with
                                 the CODEs in order and keeps the later
                                 ones open, until SIGTERM
  close_peer.py client URL CODE...
                                 opens one connection to URL per CODE and
                                 closes it with that code, waiting for the
                                 closing handshake to finish each time

A CODE of "none" sends a close frame without a code.  Events go to stderr;
exit status 0, or 1 when a connection did not go as planned.

Uses the asyncio API of python3-websockets 10.4.
"""

import asyncio
import signal
import sys

import websockets
from websockets.frames import Close


def log(*args):
    print("close_peer:", *args, file=sys.stderr, flush=True)


async def close_with(ws, code):
    if code == "none":
        # Close() refuses 1005: the frame's payload is given as is.
        await ws.write_close_frame(Close(1005, ""), b"")
        await ws.wait_closed()
    else:
        await ws.close(code=int(code))


async def server(codes):
    left = list(codes)

    async def handler(ws, path=None):
        if not left:
            log("connection kept open")
            await ws.wait_closed()
            return
        code = left.pop(0)
        log(f"closing a connection with {code}")
        await close_with(ws, code)

    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, stop.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", 0) as srv:
        print(srv.sockets[0].getsockname()[1], flush=True)
        await stop
    return 0


async def client(url, codes):
    for code in codes:
        async with websockets.connect(url) as ws:
            await close_with(ws, code)
            log(f"closed with {code}: the server answered "
                f"{ws.close_code}")
            if ws.close_code is None:
                return 1
    return 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "server":
        return asyncio.run(server(argv[2:]))
    if len(argv) >= 4 and argv[1] == "client":
        return asyncio.run(client(argv[2], argv[3:]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
