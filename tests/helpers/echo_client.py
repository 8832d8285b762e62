#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Checks an echo server with python3-websockets as the client.

Sends text and binary messages of sizes across every length form (0 to
1 MiB), some of them fragmented, and a pipelined burst of small ones;
every echo must come back equal and of the same type, in order.  Then
closes with 1000, which the server must answer with 1000.  Prints the
number of messages it sent on stdout.

Exit status: 0 on success, 1 if a check fails, 2 on a connection problem.
"""

import asyncio
import sys

import websockets

SIZES = (0, 1, 2, 125, 126, 127, 65535, 65536, 1 << 20)
BURST = 2000


def payloads():
    for n in SIZES:
        text = "".join(chr(0x61 + i % 26) for i in range(n))
        yield text
        yield bytes(i % 251 for i in range(n))
    # Text that is not ASCII, whole and cut between fragments.
    yield "h\u00e9llo w\u00f6rld \u20ac \U0001f600" * 100


def fragments(msg, size):
    return [msg[i:i + size] for i in range(0, len(msg), size)] or [msg]


async def expect(ws, want, what):
    got = await ws.recv()
    if type(got) is not type(want) or got != want:
        raise AssertionError(f"{what}: echo differs: sent {type(want).__name__}"
                             f" of {len(want)}, got {type(got).__name__}"
                             f" of {len(got)}")


async def run(url):
    sent = 0
    async with websockets.connect(url, compression=None,
                                  max_size=None) as ws:
        for msg in payloads():
            await ws.send(msg)
            await expect(ws, msg, "whole")
            sent += 1
            if len(msg) > 3:
                await ws.send(fragments(msg, len(msg) // 3))
                await expect(ws, msg, "fragmented")
                sent += 1
        for i in range(BURST):
            await ws.send(f"m{i}")
        for i in range(BURST):
            await expect(ws, f"m{i}", "burst")
        sent += BURST
        await ws.close(1000)
        if ws.close_code != 1000:
            raise AssertionError(f"close answered with {ws.close_code}")
    return sent


def main():
    try:
        sent = asyncio.run(asyncio.wait_for(run(sys.argv[1]), 60))
    except AssertionError as e:
        print("echo_client:", e, file=sys.stderr)
        return 1
    except (OSError, websockets.exceptions.WebSocketException,
            asyncio.TimeoutError) as e:
        print("echo_client: connection:", repr(e), file=sys.stderr)
        return 2
    print(sent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
