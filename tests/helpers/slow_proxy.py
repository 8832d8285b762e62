#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""A TCP proxy that stalls its connections for seconds at random.

    slow_proxy.py LISTEN_ADDR UPSTREAM_PORT STALL_S FRAME_LEN

Listens on LISTEN_ADDR, port 0, and prints the port on stdout; each
connection is relayed to 127.0.0.1:UPSTREAM_PORT.  Once 4 KiB have gone
from the server to the client (past the upgrade), that direction stops
now and then, at random, for 1 to STALL_S seconds, reading nothing
meanwhile: the server's writes back up.  Bytes are never dropped, and a
side's EOF is passed on once what came before it is written.  SIGUSR1
ends the stalls (those under way run out).

The server is taken to send data frames of FRAME_LEN bytes each, more
than the 4 of its close frame: the messages that went through are the
bytes written to the client after the upgrade response, over FRAME_LEN,
rounded down.  On SIGTERM it prints "connections N stalls S messages M"
on stdout and exits 0.
"""

import asyncio
import random
import signal
import sys

CHUNK = 16384
FREE_BYTES = 4096        # the upgrade response passes without a stall
STALL_CHANCE = 0.004     # per chunk read, about one stall every 4 MiB
counts = {"connections": 0, "stalls": 0}
after_upgrade = []       # bytes to each client past the upgrade response
stalling = {True}


async def relay(reader, writer, stall_s, tally):
    passed = 0
    head = b""
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
            passed += len(data)
            if tally is not None:
                if head is not None:
                    head += data
                    end = head.find(b"\r\n\r\n")
                    if end >= 0:
                        tally[0] += len(head) - end - 4
                        head = None
                else:
                    tally[0] += len(data)
            if stall_s and stalling and passed > FREE_BYTES and \
                    random.random() < STALL_CHANCE:
                counts["stalls"] += 1
                await asyncio.sleep(random.uniform(1, stall_s))
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.transport.abort()


async def handle(creader, cwriter, upstream_port, stall_s):
    counts["connections"] += 1
    try:
        sreader, swriter = await asyncio.open_connection("127.0.0.1",
                                                         upstream_port)
    except OSError:
        cwriter.close()
        return
    tally = [0]
    after_upgrade.append(tally)
    await asyncio.gather(relay(creader, swriter, 0, None),
                         relay(sreader, cwriter, stall_s, tally))
    swriter.close()
    cwriter.close()


async def main():
    addr, upstream_port, stall_s, frame_len = sys.argv[1], \
        int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGUSR1, stalling.clear)
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, upstream_port, stall_s), addr, 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await stop.wait()
    print("connections %d stalls %d messages %d" % (
        counts["connections"], counts["stalls"],
        sum(t[0] // frame_len for t in after_upgrade)), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
