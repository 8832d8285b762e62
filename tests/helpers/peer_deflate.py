#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""permessage-deflate against python3-websockets, both sides.

  peer_deflate.py push URL --offer PARAMS --count N --expect-text TEXT
      offers permessage-deflate with PARAMS (as wsbenchctl's
      --deflate-offer writes them: "server_no_context_takeover;
      server_max_window_bits=10", or "" for none), checks that the server
      agreed to what was offered, receives N messages equal to TEXT,
      closes with 1000 and prints the count it received in all.
  peer_deflate.py echo URL --offer PARAMS
      the same offer, then sends text and binary messages of 16 B to 1 MiB
      and checks that each comes back equal and compressed.
  peer_deflate.py serve --accept PARAMS --messages N --message TEXT
      a server taking permessage-deflate with PARAMS for its answer: binds
      127.0.0.1:0, prints the port, sends N copies of TEXT to each client
      and waits for SIGTERM; exits 0 if every client agreed to deflate and
      got its N messages.

Exit status: 0 on success, 1 if a check fails, 2 on a connection problem,
3 on a timeout.  Uses the asyncio API of python3-websockets 10.4.
"""

import argparse
import asyncio
import signal

import websockets

import peer_common
from peer_common import CheckFailed, log
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory, PerMessageDeflate,
    ServerPerMessageDeflateFactory)

SIZES = [16, 125, 126, 1000, 65535, 65536, 1 << 20]



def params(text: str) -> dict:
    """ "a; b=10" -> {"a": True, "b": 10}"""
    out = {}
    for p in filter(None, (s.strip() for s in text.split(";"))):
        name, _, value = p.partition("=")
        out[name.strip()] = int(value) if value else True
    return out


def client_factory(offer: str) -> ClientPerMessageDeflateFactory:
    p = params(offer)
    return ClientPerMessageDeflateFactory(
        server_no_context_takeover=p.get("server_no_context_takeover",
                                         False),
        client_no_context_takeover=p.get("client_no_context_takeover",
                                         False),
        server_max_window_bits=p.get("server_max_window_bits"),
        client_max_window_bits=p.get("client_max_window_bits"))


def agreed(ws, offer: str) -> PerMessageDeflate:
    """The agreement, checked against the offer: what we asked of the
    server holds."""
    exts = [e for e in ws.extensions if isinstance(e, PerMessageDeflate)]
    if len(exts) != 1:
        raise CheckFailed(f"permessage-deflate not agreed: {ws.extensions}")
    e, p = exts[0], params(offer)
    if p.get("server_no_context_takeover") and \
            not e.remote_no_context_takeover:
        raise CheckFailed("server_no_context_takeover offered, not agreed")
    bits = p.get("server_max_window_bits")
    if bits and (e.remote_max_window_bits or 15) > bits:
        raise CheckFailed(f"server window {e.remote_max_window_bits}, "
                          f"offered at most {bits}")
    log(f"agreed: {e}")
    return e


def check_text(opts, n, msg):
    if msg != opts.expect_text:
        raise CheckFailed(f"message {n}: {msg[:40]!r}, expected "
                          f"{opts.expect_text[:40]!r}")


async def push(opts):
    async with websockets.connect(opts.url, extensions=[
            client_factory(opts.offer)], open_timeout=10,
            close_timeout=10, max_size=None) as ws:
        agreed(ws, opts.offer)
        for n in range(1, opts.count + 1):
            check_text(opts, n, await ws.recv())

        async def drain():
            """What was in flight at the close, read while it goes."""
            n = 0
            try:
                while True:
                    n += 1
                    check_text(opts, opts.count + n, await ws.recv())
            except websockets.ConnectionClosed:
                return n - 1
        rest = asyncio.create_task(drain())
        await ws.close(1000)
        extra = await rest
        log(f"received {opts.count} good messages (+{extra}); close "
            f"answered with {ws.close_code}")
        if ws.close_code != 1000:
            raise CheckFailed(f"close answered with {ws.close_code}")
        print(opts.count + extra, flush=True)


def payload(n: int, text: bool):
    if text:
        return ("wsbench deflate " * (n // 16 + 1))[:n]
    return bytes((i * 7 + i // 100) & 0xff for i in range(n))


async def echo(opts):
    async with websockets.connect(opts.url, extensions=[
            client_factory(opts.offer)], open_timeout=10,
            close_timeout=10, max_size=None) as ws:
        agreed(ws, opts.offer)
        for n in SIZES:
            for text in (True, False):
                m = payload(n, text)
                for _ in range(2):      # the second with context
                    await ws.send(m)
                    if await ws.recv() != m:
                        raise CheckFailed(f"{n} bytes {'text' if text else 'binary'}: "
                                          "echo differs")
        log(f"echoed {len(SIZES) * 4} messages of {SIZES[0]} B to "
            f"{SIZES[-1]} B")
        print(len(SIZES) * 4, flush=True)


async def serve(opts):
    p = params(opts.accept)
    factory = ServerPerMessageDeflateFactory(
        server_no_context_takeover=p.get("server_no_context_takeover",
                                         False),
        client_no_context_takeover=p.get("client_no_context_takeover",
                                         False),
        server_max_window_bits=p.get("server_max_window_bits"),
        client_max_window_bits=p.get("client_max_window_bits"),
        require_client_max_window_bits=False)
    problems, clients = [], 0
    stop = asyncio.get_running_loop().create_future()

    async def handler(ws, path=None):
        nonlocal clients
        clients += 1
        if not any(isinstance(e, PerMessageDeflate) for e in ws.extensions):
            problems.append("a client did not agree to permessage-deflate")
        log(f"client {clients}: extensions {ws.extensions}")
        try:
            for _ in range(opts.messages):
                await ws.send(opts.message)
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass

    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda s=sig: stop.done() or stop.set_result(s))
    async with websockets.serve(handler, "127.0.0.1", 0,
                                extensions=[factory]) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await stop
    if clients == 0:
        problems.append("no client came")
    for p in problems:
        log("FAIL:", p)
    return 1 if problems else 0


async def main(opts):
    try:
        return await asyncio.wait_for(
            {"push": push, "echo": echo, "serve": serve}[opts.mode](opts),
            opts.timeout) or 0
    except asyncio.TimeoutError:
        log(f"FAIL: timed out after {opts.timeout} s")
        return 3


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["push", "echo", "serve"])
    ap.add_argument("url", nargs="?")
    ap.add_argument("--offer", default="client_max_window_bits")
    ap.add_argument("--accept", default="")
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--expect-text", default="yo")
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--message", default="yo")
    ap.add_argument("--timeout", type=float, default=30)
    peer_common.run(main, ap.parse_args())
