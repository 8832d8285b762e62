# SPDX-License-Identifier: ISC
"""What the Python peers built on `websockets` share: a log line naming
the peer, the exception a failed check raises, and a main that turns
failures into the exit statuses the tests read (1: a check failed, 2:
the connection failed)."""

import asyncio
import os
import sys

import websockets

NAME = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def log(*args):
    print(NAME + ":", *args, file=sys.stderr, flush=True)


class CheckFailed(Exception):
    pass


def run(main, opts):
    """Runs the coroutine main(opts) and exits with its status."""
    try:
        rc = asyncio.run(main(opts))
    except CheckFailed as e:
        log("FAIL:", e)
        rc = 1
    except (OSError, websockets.WebSocketException) as e:
        log("FAIL: connection:", type(e).__name__, e)
        rc = 2
    sys.exit(rc)
