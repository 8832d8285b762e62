#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Push server built on Python `websockets` (asyncio), a peer for wsbench.

    /usr/bin/python3 push.py --port PORT [--msg TEXT | --size N]

Listens on 127.0.0.1:PORT and sends one fixed message to every connected
client in an endless loop, as fast as that client reads. ``--msg TEXT``
(default "yo") sends a text message; ``--size N`` sends a binary message of N
bytes. Nothing is printed except errors (stderr). SIGTERM/SIGINT exit 0.

Written for Debian's python3-websockets 10.4, so it must run with
/usr/bin/python3 (the shebang), not whatever ``python3`` is first on PATH.

Backpressure: ``await ws.send()`` writes the frame and then awaits the
transport's drain, which blocks once more than ``write_limit`` bytes are
buffered in user space, so memory per client stays bounded.
"""

import argparse
import asyncio
import os
import signal
import sys

import websockets

# Bytes buffered per client before send() waits for the socket to drain
# (the library's default is 64 KiB; 256 KiB matches the other peers).
WRITE_LIMIT = 256 * 1024


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--port", type=int, required=True)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--msg", default="yo", help="text message to send (default: yo)")
    g.add_argument("--size", type=int, help="send a binary message of SIZE bytes")
    a = p.parse_args()
    if not 0 < a.port < 65536:
        p.error("bad --port")
    if a.size is not None and a.size < 0:
        p.error("bad --size")
    return a


def make_handler(payload):
    # send() only yields to the event loop when it has to wait for a drain.
    # Against a client that reads as fast as we write, that may never happen,
    # so yield by hand after about WRITE_LIMIT bytes; otherwise one connection
    # could starve the others, new connections and the signal handlers.
    burst = max(1, WRITE_LIMIT // (len(payload) + 10))

    async def push(ws):
        try:
            while True:
                for _ in range(burst):
                    await ws.send(payload)  # str -> text frame, bytes -> binary
                await asyncio.sleep(0)
        except websockets.ConnectionClosed:
            pass  # the client went away; that is normal

    return push


async def main(args):
    payload = b"a" * args.size if args.size is not None else args.msg

    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(0))

    try:
        await websockets.serve(
            make_handler(payload),
            "127.0.0.1",
            args.port,
            compression=None,  # no permessage-deflate
            ping_interval=None,  # no keepalive pings, like the other peers
            write_limit=WRITE_LIMIT,
        )
    except OSError as e:
        print(f"push.py: cannot listen on 127.0.0.1:{args.port}: {e}", file=sys.stderr)
        return 1
    return await stop


if __name__ == "__main__":
    code = asyncio.new_event_loop().run_until_complete(main(parse_args()))
    # Leave at once, without closing handshakes for the open connections:
    # they are of no use to a benchmark that is over, and could take seconds.
    sys.stderr.flush()
    os._exit(code)
