#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Runs a command on a pseudo-terminal, as someone at a terminal would.

Its output goes to --raw as it comes; the last screen it drew (the text
between the last cursor-home and the erase to the end of the screen that
follows it, without escape sequences) goes to --frame, replaced whole each
time.  Once the file --stop exists, Ctrl-C is typed.  When the command has
exited, prints its exit status, or "signal N"; "timeout" after --timeout
seconds (the command is then killed).
"""
import argparse
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

HOME = b"\x1b[H"
ERASE_SCREEN = b"\x1b[J"
ERASE_LINE = b"\x1b[K"


def last_frame(raw):
    end = raw.rfind(ERASE_SCREEN)
    if end == -1:
        return None
    start = raw.rfind(HOME, 0, end)
    if start == -1:
        return None
    frame = raw[start + len(HOME):end].replace(ERASE_LINE, b"")
    return frame.replace(b"\r\n", b"\n")


def write_frame(path, frame):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(frame)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--raw", required=True)
    ap.add_argument("--frame", required=True)
    ap.add_argument("--stop", required=True)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--cols", type=int, default=160)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()

    pid, fd = pty.fork()
    if pid == 0:
        try:
            # As from a shell at a terminal: a background job of a
            # script ignores SIGINT, a command typed does not.
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            fcntl.ioctl(0, termios.TIOCSWINSZ,
                        struct.pack("HHHH", a.rows, a.cols, 0, 0))
            os.execvp(a.cmd[0], a.cmd)
        finally:
            os._exit(127)

    raw = b""
    shown = None
    typed = False
    deadline = time.monotonic() + a.timeout
    with open(a.raw, "wb") as out:
        while True:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                print("timeout")
                return
            if not typed and os.path.exists(a.stop):
                os.write(fd, b"\x03")
                typed = True
            r, _, _ = select.select([fd], [], [], 0.1)
            if not r:
                continue
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: the command closed the terminal
                break
            if not data:
                break
            raw += data
            out.write(data)
            out.flush()
            frame = last_frame(raw)
            if frame is not None and frame != shown:
                write_frame(a.frame, frame)
                shown = frame
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        print("signal %d" % os.WTERMSIG(status))
    else:
        print(os.WEXITSTATUS(status))


if __name__ == "__main__":
    sys.exit(main())
