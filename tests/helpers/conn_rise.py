#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Watches a job's connections come back, from a daemon's /metrics.

    conn_rise.py METRICS_URL JOB N TIMEOUT_S

Polls wsbench_connections{name="JOB",...} every 10 ms from the moment it
starts until the gauge reaches N or TIMEOUT_S pass, then prints one line:

    t10 T t50 T t90 T t100 T spread T samples K

T in seconds since the start: when the gauge first reached 10%, 50%, 90%
and 100% of N; spread is t90 - t10, how long the bulk of the connections
took to come back.  Exit status 1 if N was not reached in time.
"""

import re
import sys
import time
import urllib.request


def gauge(url, job):
    pattern = re.compile(r'^wsbench_connections\{name="%s",[^}]*\} (\d+)$'
                         % re.escape(job), re.M)
    with urllib.request.urlopen(url, timeout=5) as resp:
        m = pattern.search(resp.read().decode())
    return int(m.group(1)) if m else 0


def main():
    url, job, n, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), \
        float(sys.argv[4])
    marks = {10: None, 50: None, 90: None, 100: None}
    t0 = time.monotonic()
    samples = 0
    while time.monotonic() - t0 < timeout:
        v = gauge(url, job)
        t = time.monotonic() - t0
        samples += 1
        for pct in marks:
            if marks[pct] is None and v * 100 >= n * pct:
                marks[pct] = t
        if marks[100] is not None:
            break
        time.sleep(0.01)
    if marks[100] is None:
        print("conn_rise: %s reached %d of %d in %.0f s"
              % (job, v, n, timeout), file=sys.stderr)
        return 1
    print("t10 %.3f t50 %.3f t90 %.3f t100 %.3f spread %.3f samples %d" % (
        marks[10], marks[50], marks[90], marks[100], marks[90] - marks[10],
        samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
