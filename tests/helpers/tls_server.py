#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A Python `websockets` push server over TLS, for tests/tls.sh.

    tls_server.py --cert FILE --key FILE [--message TEXT]

Binds 127.0.0.1:0 with TLS 1.2 or 1.3 and prints the port on stdout (one
line, flushed), then sends --message (default "yo") in a loop to every
client until the client closes.  Each client's TLS server name (SNI) is
logged on stderr as "sni: NAME" ("sni: none" without one), and so is each
close.  Runs until SIGTERM or SIGINT, then exits 0; 2 on a startup problem.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import ssl
import sys

import websockets


def log(*args):
    print("tls_server:", *args, file=sys.stderr, flush=True)


async def handler(ws, path=None):
    del path
    try:
        while True:
            await ws.send(OPTS.message)
            # send() returns at once while the kernel takes the bytes:
            # let the loop accept and read the other connections too.
            await asyncio.sleep(0)
    except websockets.ConnectionClosed:
        pass
    log(f"client closed with code {ws.close_code}")


def context(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)

    def sni(sock, name, ctx_):
        del sock, ctx_
        log(f"sni: {name if name is not None else 'none'}")

    ctx.sni_callback = sni
    return ctx


async def main():
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda: stop.done() or stop.set_result(None))
    async with websockets.serve(handler, "127.0.0.1", 0,
                                ssl=context(OPTS.cert, OPTS.key),
                                compression=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        await stop


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--message", default="yo")
    OPTS = p.parse_args()
    try:
        asyncio.run(main())
    except (OSError, ssl.SSLError) as e:
        log(f"cannot start: {e}")
        sys.exit(2)
