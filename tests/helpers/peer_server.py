#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A reference WebSocket push server for the integration tests.

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed), then
sends exactly --messages copies of --message to each client and leaves the
connection open and idle until the client closes it.  Every event goes to
stderr.

It pings each client every --ping-interval seconds; a client that does
not answer with a pong as fast is closed with code 1011.

It runs until SIGTERM or SIGINT, then exits 0 if every check given on the
command line holds, 1 if one does not; 2 on a usage or startup problem,
3 when --timeout seconds pass without a signal.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import argparse
import asyncio
import signal
import sys

import websockets


def log(*args):
    print("peer_server:", *args, file=sys.stderr, flush=True)


class Server:
    def __init__(self, opts):
        self.opts = opts
        self.clients = []       # one dict per connection, in arrival order

    async def handler(self, ws, path=None):
        c = {"id": len(self.clients) + 1, "sent": 0, "code": None,
             "path": path if path is not None else getattr(ws, "path", None)}
        self.clients.append(c)
        log(f"client {c['id']}: connected, path {c['path']}")
        try:
            for _ in range(self.opts.messages):
                await ws.send(self.opts.message)
                c["sent"] += 1
            log(f"client {c['id']}: sent {c['sent']} messages")
            await ws.wait_closed()
        except websockets.ConnectionClosed:
            pass
        c["code"] = ws.close_code
        log(f"client {c['id']}: closed with code {c['code']} "
            f"after {c['sent']} messages")

    def verdict(self):
        o, problems = self.opts, []
        served = [c for c in self.clients if c["sent"] == o.messages]
        if o.expect_clients is not None and len(self.clients) != o.expect_clients:
            problems.append(f"{len(self.clients)} clients connected, "
                            f"expected {o.expect_clients}")
        if len(served) != len(self.clients):
            problems.append(f"only {len(served)} of {len(self.clients)} "
                            f"clients got all {o.messages} messages")
        if o.expect_path is not None:
            for c in self.clients:
                if c["path"] != o.expect_path:
                    problems.append(f"client {c['id']} asked for path "
                                    f"{c['path']!r}, expected "
                                    f"{o.expect_path!r}")
        if o.expect_close_code is not None:
            for c in self.clients:
                if c["code"] != o.expect_close_code:
                    problems.append(f"client {c['id']} closed with "
                                    f"{c['code']}, expected "
                                    f"{o.expect_close_code}")
        return problems


async def main(opts):
    srv = Server(opts)
    stop = asyncio.get_running_loop().create_future()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(
            sig, lambda s=sig: stop.done() or stop.set_result(s))
    async with websockets.serve(srv.handler, "127.0.0.1", 0,
                                ping_interval=opts.ping_interval,
                                ping_timeout=opts.ping_interval) as server:
        port = server.sockets[0].getsockname()[1]
        print(port, flush=True)
        log(f"listening on 127.0.0.1:{port}, {opts.messages} x "
            f"{opts.message!r} per client")
        try:
            sig = await asyncio.wait_for(stop, opts.timeout)
        except asyncio.TimeoutError:
            log(f"no signal in {opts.timeout} s, giving up")
            return 3
        log(f"{signal.Signals(sig).name}: {len(srv.clients)} clients")
    problems = srv.verdict()
    for p in problems:
        log("FAIL:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--messages", type=int, required=True,
                    help="messages to send to each client")
    ap.add_argument("--message", default="yo", help="the text message")
    ap.add_argument("--expect-clients", type=int,
                    help="fail unless exactly this many clients came")
    ap.add_argument("--expect-close-code", type=int,
                    help="fail unless every client closed with this code")
    ap.add_argument("--expect-path",
                    help="fail unless every client asked for this path")
    ap.add_argument("--ping-interval", type=float, default=20,
                    help="seconds between pings; a pong must come within "
                    "as long, or the connection closes with 1011")
    ap.add_argument("--timeout", type=float, default=60,
                    help="seconds to wait for SIGTERM (default 60)")
    try:
        sys.exit(asyncio.run(main(ap.parse_args())))
    except (OSError, websockets.WebSocketException) as e:
        log("error:", e)
        sys.exit(2)
