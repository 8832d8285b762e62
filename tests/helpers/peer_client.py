#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A reference WebSocket client for the integration tests.

Connects to URL (ws:// to an IPv4 address; no extension and no
subprotocol may be negotiated), receives --count messages and checks each
one (text equal to --expect-text, or binary of --expect-binary-size bytes,
or text of --expect-text-size bytes), then (with --ping) pings the server
and waits for its pong, then either closes normally with --close-code
(default 1000; the server must answer the close with the same code) or,
with --abort, drops the TCP connection without a close frame, or, with
--stall, reads nothing more until killed.

On success it prints the number of messages it received in all (those
in flight when it closed included) on stdout.

Exit status: 0 on success, 1 if a check fails, 2 on a connection problem,
3 when --timeout seconds pass (default 20).

Uses the asyncio API of python3-websockets 10.4 (websockets.connect).
"""

import argparse
import asyncio
import socket
import urllib.parse

import websockets

import peer_common
from peer_common import CheckFailed, log



def check(opts, n, msg):
    if opts.expect_binary_size is not None:
        if not isinstance(msg, bytes):
            raise CheckFailed(f"message {n}: text, expected binary")
        if len(msg) != opts.expect_binary_size:
            raise CheckFailed(f"message {n}: {len(msg)} bytes, expected "
                              f"{opts.expect_binary_size}")
        return
    if not isinstance(msg, str):
        raise CheckFailed(f"message {n}: binary ({msg[:16]!r}...), "
                          f"expected text")
    if opts.expect_text_size is not None:
        if len(msg.encode()) != opts.expect_text_size:
            raise CheckFailed(f"message {n}: {len(msg.encode())} bytes, "
                              f"expected {opts.expect_text_size}")
    elif msg != opts.expect_text:
        raise CheckFailed(f"message {n}: {msg[:40]!r}, expected "
                          f"{opts.expect_text!r}")


async def drain(ws, opts, first):
    """Reads (and checks) what was in flight while the close goes out."""
    n = first
    try:
        while True:
            msg = await ws.recv()
            n += 1
            check(opts, n, msg)
    except websockets.ConnectionClosed:
        pass
    return n - first


async def connect(opts):
    """A socket with a small receive buffer: the server can then have
    little in flight when the client closes, so the close is quick.  Still,
    what the server had queued (its send buffer, some 400,000 "yo") is read
    in Python before the close answer, which takes over 10 s on a loaded
    machine: close_timeout leaves room for that."""
    u = urllib.parse.urlsplit(opts.url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(
        sock, (u.hostname, u.port or 80))
    return await websockets.connect(opts.url, sock=sock, open_timeout=10,
                                    close_timeout=60)


async def run(opts):
    ws = await connect(opts)
    try:
        return await session(ws, opts)
    finally:
        # After a failed check nothing reads, so a close handshake could
        # not finish: drop the connection instead.
        if not ws.closed:
            ws.transport.abort()


async def session(ws, opts):
    log(f"connected to {opts.url}")
    # wsbenchd negotiates no extension (websockets offers permessage-deflate)
    # and no subprotocol.
    if ws.extensions or ws.subprotocol is not None:
        raise CheckFailed(f"negotiated extensions {ws.extensions}, "
                          f"subprotocol {ws.subprotocol}")
    for n in range(1, opts.count + 1):
        check(opts, n, await ws.recv())
    log(f"received {opts.count} good messages")
    if opts.stall:
        # Read no more: the server's buffers fill, and a close it sends
        # is never read.  Ends at --timeout (status 3) or when killed.
        log("stalling: reading no more")
        print(opts.count, flush=True)
        ws.transport.pause_reading()
        await asyncio.sleep(opts.timeout + 1)
    if opts.abort:
        ws.transport.abort()
        log("dropped the TCP connection without a close frame")
        print(opts.count, flush=True)
        return 0
    rest = asyncio.create_task(drain(ws, opts, opts.count))
    if opts.ping:
        # The pong comes behind what the server had queued: read on.
        pong = await ws.ping(b"wsbench-test")
        await pong
        log("the server answered a ping")
    await ws.close(code=opts.close_code)
    extra = await rest
    log(f"closed with {opts.close_code}; the server answered "
        f"{ws.close_code} ({extra} more good messages in flight)")
    if ws.close_code != opts.close_code:
        raise CheckFailed(f"the server answered the close with "
                          f"{ws.close_code}, expected {opts.close_code}")
    print(opts.count + extra, flush=True)
    return 0


async def main(opts):
    try:
        return await asyncio.wait_for(run(opts), opts.timeout)
    except asyncio.TimeoutError:
        log(f"FAIL: timed out after {opts.timeout} s")
        return 3


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("url")
    ap.add_argument("--count", type=int, default=1000,
                    help="messages to receive (default 1000)")
    ex = ap.add_mutually_exclusive_group()
    ex.add_argument("--expect-text", default="yo",
                    help="the text every message must be (default yo)")
    ex.add_argument("--expect-text-size", type=int,
                    help="every message is text of this many bytes")
    ex.add_argument("--expect-binary-size", type=int,
                    help="every message is binary of this many bytes")
    ap.add_argument("--close-code", type=int, default=1000)
    ap.add_argument("--ping", action="store_true",
                    help="send a ping and wait for the pong before closing")
    ap.add_argument("--abort", action="store_true",
                    help="drop TCP instead of closing")
    ap.add_argument("--stall", action="store_true",
                    help="then read nothing more until killed")
    ap.add_argument("--timeout", type=float, default=20)
    peer_common.run(main, ap.parse_args())
