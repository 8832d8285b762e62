#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Samples series of a daemon's /metrics over time.

    metric_trace.py METRICS_URL SECONDS INTERVAL SERIES...

Every INTERVAL seconds for SECONDS, reads METRICS_URL and prints one line,

    T V...

T the wall-clock time of the sample in seconds (the middle of the
request, as time.time()), then the value of each SERIES, a metric with its
labels exactly as the page writes them, e.g.
wsbench_connections{name="e",kind="echo"}; 0 while it is absent.  The
timing is the daemon's, seen from outside: it does not rely on what the
job being measured reports about itself.
"""

import sys
import time
import urllib.request


def values(url, series):
    with urllib.request.urlopen(url, timeout=5) as resp:
        page = resp.read().decode()
    found = {}
    for line in page.splitlines():
        name, _, v = line.rpartition(" ")
        found[name] = v
    return [found.get(s, "0") for s in series]


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    url, seconds, interval = argv[1], float(argv[2]), float(argv[3])
    series = argv[4:]
    end = time.monotonic() + seconds
    tick = time.monotonic()
    while tick < end:
        before = time.time()
        vs = values(url, series)
        t = (before + time.time()) / 2
        print("%.4f %s" % (t, " ".join(vs)), flush=True)
        tick += interval
        time.sleep(max(0.0, tick - time.monotonic()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
