#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Receiving client built on Python `websockets` (asyncio), a peer for wsbench.

    /usr/bin/python3 recv.py --url URL [--connections N]

Opens N (default 1) connections to URL and counts every message received on
all of them. Every 0.5 s it prints one line to stdout:

    <t> <messages_total> <wire_bytes_total>

where t is time.monotonic() (CLOCK_MONOTONIC) in seconds and wire bytes
count, for each message, its payload length plus the server's frame header
length (2 if len < 126, 4 if len < 65536, else 10).

A connection that fails or closes is reported on stderr and exits 1.
SIGTERM/SIGINT exit 0.

Written for Debian's python3-websockets 10.4, so it must run with
/usr/bin/python3 (the shebang), not whatever ``python3`` is first on PATH.
"""

import argparse
import asyncio
import os
import signal
import sys
import time

import websockets

INTERVAL = 0.5  # seconds between report lines

messages = 0
wire_bytes = 0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--connections", type=int, default=1)
    a = p.parse_args()
    if a.connections < 1:
        p.error("bad --connections")
    return a


async def consume(url):
    """Count the messages of one connection; return why it ended."""
    global messages, wire_bytes
    try:
        async with websockets.connect(
            url,
            compression=None,  # no permessage-deflate
            max_size=None,  # accept messages of any size
            ping_interval=None,  # no keepalive pings, like the other peers
        ) as ws:
            async for m in ws:
                # Payload length in bytes. A str is a decoded text message;
                # for ASCII (checked in O(1)) its length is its byte count.
                if isinstance(m, str) and not m.isascii():
                    n = len(m.encode("utf-8"))
                else:
                    n = len(m)
                messages += 1
                wire_bytes += n + (2 if n < 126 else 4 if n < 65536 else 10)
            return f"closed: code {ws.close_code} {ws.close_reason}".rstrip()
    except Exception as e:  # refused, bad handshake, abnormal close, ...
        return f"{type(e).__name__}: {e}"


async def report():
    """Print the totals every INTERVAL seconds, on a fixed schedule."""
    out = sys.stdout
    due = time.monotonic()
    while True:
        due += INTERVAL
        await asyncio.sleep(max(0.0, due - time.monotonic()))
        out.write(f"{time.monotonic():.6f} {messages} {wire_bytes}\n")
        out.flush()


async def main(args):
    loop = asyncio.get_running_loop()
    stop = loop.create_future()  # result: the exit code
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: stop.done() or stop.set_result(0))

    def ended(i, task):
        if not stop.done():
            print(f"recv.py: connection {i}: {task.result()}", file=sys.stderr)
            stop.set_result(1)

    tasks = []  # keep references so the tasks are not garbage-collected
    for i in range(args.connections):
        t = asyncio.create_task(consume(args.url))
        t.add_done_callback(lambda t, i=i: ended(i, t))
        tasks.append(t)
    tasks.append(asyncio.create_task(report()))
    return await stop


if __name__ == "__main__":
    code = asyncio.new_event_loop().run_until_complete(main(parse_args()))
    # Leave at once, without closing handshakes for the open connections:
    # they are of no use to a benchmark that is over, and could take seconds.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
