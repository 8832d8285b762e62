#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Serves the test page to headless Chromium and takes its results.

Binds 127.0.0.1:0 and prints the port on stdout (one line, flushed).

  GET /run.html      the page (run.html, next to this script)
  GET /cells.json    the file given with --cells: what the page runs
  POST /log          a line of the page's progress, copied to stderr
  POST /result/NAME  a JSON result, written to --out/NAME.json
                     (NAME: letters, digits, '-', '_')

Anything else is a 404.  Runs until SIGTERM or SIGINT (exit 0), or
--timeout seconds (exit 3).  Python standard library only.
"""

import argparse
import http.server
import json
import os
import re
import signal
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


T0 = time.monotonic()


def log(*args):
    print(f"page_server: [{time.monotonic() - T0:.3f}s]", *args,
          file=sys.stderr, flush=True)


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "wsbench-page-server"

    def log_message(self, fmt, *args):
        log(self.address_string(), fmt % args)

    def reply(self, code, body=b"", ctype="text/plain; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        opts = self.server.opts
        path = self.path.split("?", 1)[0]
        if path == "/run.html":
            name, ctype = os.path.join(HERE, "run.html"), "text/html; charset=utf-8"
        elif path == "/cells.json":
            name, ctype = opts.cells, "application/json"
        else:
            return self.reply(404, b"not found\n")
        with open(name, "rb") as f:
            self.reply(200, f.read(), ctype)

    def do_POST(self):
        opts = self.server.opts
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n)
        if self.path == "/log":
            log("page:", body.decode("utf-8", "replace"))
            return self.reply(204)
        m = re.fullmatch(r"/result/([A-Za-z0-9_-]+)", self.path)
        if not m:
            return self.reply(404, b"not found\n")
        try:
            json.loads(body)
        except ValueError as e:
            log(f"result {m.group(1)}: not JSON: {e}")
            return self.reply(400, b"not JSON\n")
        final = os.path.join(opts.out, m.group(1) + ".json")
        tmp = final + ".tmp"
        with open(tmp, "wb") as f:
            f.write(body)
        os.rename(tmp, final)
        log(f"result {m.group(1)}: {body.decode()}")
        self.reply(204)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", required=True, help="the JSON the page runs")
    ap.add_argument("--out", required=True, help="directory for results")
    ap.add_argument("--timeout", type=float, default=90)
    opts = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    srv.opts = opts
    print(srv.server_address[1], flush=True)
    log(f"listening on 127.0.0.1:{srv.server_address[1]}")
    done = threading.Event()
    rc = 0

    def stop(signum, frame):
        done.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    if not done.wait(opts.timeout):
        log(f"no signal in {opts.timeout} s, giving up")
        rc = 3
    srv.shutdown()
    return rc


if __name__ == "__main__":
    sys.exit(main())
