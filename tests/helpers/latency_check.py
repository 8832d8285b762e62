#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Checks that the views of a timed job's latency agree, the job idle.

    latency_check.py JOB STATS STATS_JSON TABLE LIFE_TABLE HDR METRICS

The files hold, for job JOB: `stats JOB`, `stats -j JOB`, `latency JOB`,
`latency JOB --life`, `latency JOB --life --hdr` and the /metrics page,
taken while the job times nothing new.  Checks that the text times of
stats are the JSON times in people's units, that the latency tables show
what stats shows of the window and of the life, that the --hdr
distribution has HdrHistogram's form and the count, min, max, mean and
percentiles of the life, and that wsbench_latency_seconds has the life's
count, a mean equal to it and a median within its 10% buckets.  Prints
every problem and exits 1 if there is one, else 0.
"""

import json
import re
import sys

TIMES = ["min", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max"]
UNIT_NS = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}
METRIC = "wsbench_latency_seconds"

problems = []


def problem(msg):
    problems.append(msg)


def keyed(path):
    """'key value' lines."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.fullmatch(r"(\S+) +(\S.*)", line)
            if m is None:
                problem(f"{path}: not 'key value': {line!r}")
                continue
            out[m.group(1)] = m.group(2)
    return out


def text_ns(text):
    """A time for people in ns, and how far its rounding may be off."""
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]{3})?) (ns|us|ms|s)", text)
    if m is None:
        problem(f"not a time: {text!r}")
        return None, 0
    unit = UNIT_NS[m.group(2)]
    return float(m.group(1)) * unit, 0.0005 * unit + 1e-9


def check_stats(stats, js):
    lat = js["latency"]
    for g in ("life", "window"):
        if int(stats[f"latency_{g}_count"]) != lat[g]["count"]:
            problem(f"{g} count: text {stats[f'latency_{g}_count']}, "
                    f"JSON {lat[g]['count']}")
        for k in TIMES:
            ns, tol = text_ns(stats[f"latency_{g}_{k}"])
            want = lat[g][k + "_us"] * 1000
            if ns is not None and abs(ns - want) > tol:
                problem(f"{g} {k}: text {stats[f'latency_{g}_{k}']}, "
                        f"JSON {lat[g][k + '_us']} us")


def check_table(table, stats, group):
    want = {"name": stats["name"], "type": stats["latency_type"],
            "over": group, "count": stats[f"latency_{group}_count"]}
    want.update({k: stats[f"latency_{group}_{k}"] for k in TIMES})
    if table != want:
        problem(f"latency table of the {group}: {table}, stats: {want}")


def parse_hdr(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if lines[:2] != ["       Value   Percentile   TotalCount "
                     "1/(1-Percentile)", ""]:
        problem(f"--hdr header: {lines[:2]}")
    rows, trailer = [], {}
    for line in lines[2:]:
        m = re.fullmatch(r"#\[(\w+) *= *([0-9.]+), (\w+(?: \w+)?) *= *"
                         r"([0-9.]+)\]", line)
        if m is not None:
            trailer[m.group(1)] = m.group(2)
            trailer[m.group(3)] = m.group(4)
            continue
        f = line.split()
        if trailer or len(f) not in (3, 4):
            problem(f"--hdr: bad line {line!r}")
            continue
        rows.append((float(f[0]), float(f[1]), int(f[2])))
    if not rows or rows[-1][1] != 1.0 or len(lines[-4].split()) != 3:
        problem(f"--hdr: the last line is not at 1 without a last column: "
                f"{lines[-4:-3]}")
    return rows, trailer


def check_hdr(rows, trailer, life):
    ms = {k: life[k + "_us"] / 1000 for k in TIMES}
    if rows[-1][2] != life["count"] or \
            trailer.get("Total count") != str(life["count"]):
        problem(f"--hdr count {rows[-1][2]}, trailer "
                f"{trailer.get('Total count')}, life {life['count']}")
    if trailer.get("Max") != f"{ms['max']:.3f}" or \
            f"{rows[-1][0]:.3f}" != f"{ms['max']:.3f}":
        problem(f"--hdr max {trailer.get('Max')}, life {ms['max']} ms")
    # The lines give the highest value of a bucket: 1% over at most.
    if not round(ms["min"], 3) <= rows[0][0] <= ms["min"] * 1.01 + 0.0011 \
            or rows[0][1] != 0:
        problem(f"--hdr first line {rows[0]}, life min {ms['min']} ms")
    if abs(float(trailer.get("Mean", "nan")) - ms["mean"]) > 0.0011:
        problem(f"--hdr mean {trailer.get('Mean')}, life {ms['mean']} ms")
    if trailer.get("Buckets") is None or trailer.get("SubBuckets") is None:
        problem(f"--hdr trailer {trailer}")
    # The percentile of stats is HdrHistogram's, the value with q of the
    # count (rounded) at or below it; the lines step over buckets, so it
    # lies between the last line short of that count and the first one
    # reaching it.
    for q, k in ((0.5, "p50"), (0.9, "p90"), (0.99, "p99"), (0.999, "p99.9")):
        rank = int(q * life["count"] + 0.5)
        below = [r[0] for r in rows if r[2] < rank][-1:] or [0.0]
        above = next(r[0] for r in rows if r[2] >= rank)
        if not below[0] <= round(ms[k], 3) <= above:
            problem(f"--hdr: {k} of {life['count']} between {below[0]} and "
                    f"{above} ms, life {k} {ms[k]} ms")


def check_metrics(path, name, life):
    buckets, total, count = [], None, None
    lab = f'name="{name}",kind="send",type="rtt"'
    with open(path, encoding="utf-8") as f:
        for line in f.read().splitlines():
            m = re.fullmatch(METRIC + r'_bucket\{' + re.escape(lab) +
                             r',le="([^"]+)"\} ([0-9]+)', line)
            if m is not None:
                buckets.append((float(m.group(1)), int(m.group(2))))
            elif line.startswith(f"{METRIC}_sum{{{lab}}} "):
                total = float(line.split()[-1])
            elif line.startswith(f"{METRIC}_count{{{lab}}} "):
                count = int(line.split()[-1])
    if count != life["count"] or not buckets or buckets[-1][1] != count:
        problem(f"metrics: _count {count}, +Inf "
                f"{buckets[-1][1] if buckets else None}, life "
                f"{life['count']}")
        return
    if total is None or abs(total / count * 1e6 - life["mean_us"]) > 0.01:
        problem(f"metrics: mean {total} / {count} s, life {life['mean_us']}"
                f" us")
    # The bucket holding the median: its bounds 1.096 apart around p50.
    le = next(b for b, c in buckets if c >= count / 2)
    p50 = life["p50_us"] / 1e6
    if not p50 * 0.99 <= le <= p50 * 1.11:
        problem(f"metrics: the median's bucket is le={le}, p50 {p50} s")


def main():
    name, stats_p, js_p, table_p, life_p, hdr_p, metrics_p = sys.argv[1:8]
    stats = keyed(stats_p)
    with open(js_p, encoding="utf-8") as f:
        js = json.load(f)[0]
    life = js["latency"]["life"]
    check_stats(stats, js)
    check_table(keyed(table_p), stats, "window")
    check_table(keyed(life_p), stats, "life")
    rows, trailer = parse_hdr(hdr_p)
    if rows:
        check_hdr(rows, trailer, life)
    check_metrics(metrics_p, name, life)
    for p in problems:
        print("latency_check:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
