#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A WebSocket relay that makes a browser page an echo peer.

    relay.py PAGE

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed).
GET /page.html answers with the file PAGE; a WebSocket on /browser is the
page's (one at a time); a WebSocket on /send is a client's, every message
of which goes to the page, and every message from the page back to it.
Events go to stderr.  On SIGTERM it prints "to_browser N from_browser M"
(the messages relayed each way) on stdout and exits 0.

Uses the asyncio API of python3-websockets 10.4 (websockets.serve).
"""

import asyncio
import http
import signal
import sys

import websockets


def log(*args):
    print("relay:", *args, file=sys.stderr, flush=True)


async def pump(src, dst, counts, key):
    async for msg in src:
        await dst.send(msg)
        counts[key] += 1


async def main():
    with open(sys.argv[1], "rb") as f:
        page = f.read()
    loop = asyncio.get_running_loop()
    browser = loop.create_future()
    counts = {"to_browser": 0, "from_browser": 0}

    async def page_request(path, _headers):
        if path == "/page.html":
            return (http.HTTPStatus.OK,
                    [("Content-Type", "text/html; charset=utf-8")], page)
        return None

    async def handler(ws, path):
        if path == "/browser" and not browser.done():
            log("the browser is in")
            browser.set_result(ws)
            await ws.wait_closed()
            log("the browser left")
        elif path == "/send":
            log("a client is in")
            b = await browser
            tasks = [asyncio.create_task(pump(ws, b, counts, "to_browser")),
                     asyncio.create_task(pump(b, ws, counts, "from_browser"))]
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for t in tasks:
                t.cancel()
            log("the client left")
        else:
            await ws.close(1008, "no such path")

    done = loop.create_future()
    loop.add_signal_handler(signal.SIGTERM, done.set_result, None)
    loop.add_signal_handler(signal.SIGINT, done.set_result, None)
    async with websockets.serve(handler, "127.0.0.1", 0, compression=None,
                                process_request=page_request) as server:
        print(server.sockets[0].getsockname()[1], flush=True)
        await done
    print(f"to_browser {counts['to_browser']} "
          f"from_browser {counts['from_browser']}", flush=True)


asyncio.run(main())
