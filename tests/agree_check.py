#!/usr/bin/python3
"""Checks that wsbenchd's views of its jobs agree with each other.

Reads files holding, sampled in this order: `stats` (text), `-j stats`,
`-j list`, `list` (text) and the /metrics page, and checks:

- each is well formed: the keys of `stats`, the members of the JSON
  objects, the Prometheus text (HELP and TYPE for every metric, the
  counter or gauge types, exactly the labels name and kind, and reason
  on wsbench_connection_errors_total, whose sum over reasons is the
  connection_errors of stats);
- all name the same jobs with the same kinds (and states and targets);
- with --counters, the counters are equal in all views, except those named
  with --rising, which only must not fall in sampling order (they may move
  while the views are taken), and the rates of `stats` and `-j stats`
  are equal;
- --expect JOB.KEY=VALUE: a value of `stats` (text).

Prints every problem and exits 1 if there is one, else 0.
"""

import argparse
import json
import re
import sys

REASONS = ["refused", "timeout", "bad_status", "bad_accept", "handshake",
           "protocol", "lost"]
COUNTERS = ["messages_received", "messages_sent", "bytes_received",
            "bytes_sent", "connection_errors"] + \
    ["errors_" + r for r in REASONS] + ["reconnects", "connections_opened",
                                        "connections"]
GAUGES = {"connections"}
RATES = [c for c in COUNTERS if c not in GAUGES and
         not c.startswith("errors_")]
NOTES = ["last_error", "last_close"]
TEXT_KEYS = ["name", "kind", "state", "target"]
for _c in COUNTERS:
    TEXT_KEYS.append(_c)
    if _c in RATES:
        TEXT_KEYS.append(_c + "_per_second")
TEXT_KEYS += NOTES
ERRORS_METRIC = "wsbench_connection_errors_total"
JOB_INFO = "wsbench_job_info"
# The daemon's own families: present once, not per job.
DAEMON = {"wsbench_build_info": "gauge", "wsbench_worker_threads": "gauge",
          "wsbench_control_requests_total": "counter",
          "process_cpu_seconds_total": "counter",
          "process_start_time_seconds": "gauge",
          "process_virtual_memory_bytes": "gauge",
          "process_resident_memory_bytes": "gauge",
          "process_open_fds": "gauge", "process_max_fds": "gauge"}


def metric_name(counter):
    """The family and the reason label of a counter on /metrics."""
    if counter.startswith("errors_"):
        return ERRORS_METRIC, counter[len("errors_"):]
    if counter == "connection_errors":
        return ERRORS_METRIC, None      # the sum over reasons
    return "wsbench_" + counter + ("" if counter in GAUGES else "_total"), None


def metric_value(ms, counter, name, kind):
    family, reason = metric_name(counter)
    series = ms.get(family, {})
    if counter == "connection_errors":
        vals = [v for (n, k, _), v in series.items() if (n, k) == (name, kind)]
        return sum(vals) if vals else None
    return series.get((name, kind, reason))


problems = []


def problem(msg):
    problems.append(msg)


def parse_stats_text(text):
    """Blocks of "key value" lines separated by one blank line."""
    jobs, cur = [], None
    for n, line in enumerate(text.splitlines(), 1):
        if line == "":
            if cur is None:
                problem(f"stats line {n}: unexpected blank line")
            cur = None
            continue
        m = re.fullmatch(r"(\S+) +(\S.*)", line)
        if m is None:
            problem(f"stats line {n}: not 'key value': {line!r}")
            continue
        if cur is None:
            cur = {"_keys": []}
            jobs.append(cur)
        cur["_keys"].append(m.group(1))
        cur[m.group(1)] = m.group(2)
    for j in jobs:
        if j["_keys"] != TEXT_KEYS:
            problem(f"stats of {j.get('name')}: keys {j['_keys']}, "
                    f"expected {TEXT_KEYS}")
        for k in TEXT_KEYS[4:-len(NOTES)]:
            if not re.fullmatch(r"[0-9]+", j.get(k, "")):
                problem(f"stats of {j.get('name')}: {k} is "
                        f"{j.get(k)!r}, not a number")
            else:
                j[k] = int(j[k])
    return jobs


def check_json_stats(jobs):
    want = set(TEXT_KEYS[:4]) | set(COUNTERS) | {"per_second"} | set(NOTES)
    for j in jobs:
        if set(j) != want:
            problem(f"-j stats of {j.get('name')}: members {sorted(j)}, "
                    f"expected {sorted(want)}")
        for c in COUNTERS:
            if not isinstance(j.get(c), int):
                problem(f"-j stats of {j.get('name')}: {c} is "
                        f"{j.get(c)!r}, not an integer")
        ps = j.get("per_second", {})
        if not isinstance(ps, dict) or set(ps) != set(RATES) or not all(
                isinstance(v, int) for v in ps.values()):
            problem(f"-j stats of {j.get('name')}: per_second is {ps!r}, "
                    f"expected integers for {RATES}")


def check_json_list(jobs):
    want = {"name", "kind", "state", "target", "connections"}
    for j in jobs:
        if set(j) != want:
            problem(f"-j list of {j.get('name')}: members {sorted(j)}, "
                    f"expected {sorted(want)}")


def parse_list_text(text):
    lines = text.splitlines()
    if not lines or re.fullmatch(r"NAME +KIND +STATE +CONNS +TARGET",
                                 lines[0]) is None:
        problem(f"list: bad header {lines[:1]}")
        return []
    jobs = []
    for line in lines[1:]:
        f = line.split()
        if len(f) != 5 or not f[3].isdigit():
            problem(f"list: bad row {line!r}")
            continue
        jobs.append({"name": f[0], "kind": f[1], "state": f[2],
                     "connections": int(f[3]), "target": f[4]})
    return jobs


def daemon_sample(line, n, helps, types):
    """A sample of the daemon's own: no name or kind label, any number."""
    m = re.fullmatch(r'([a-z_]+)(\{[a-z_]+="[^"]*"\})? '
                     r'([0-9]+(\.[0-9]+)?)', line)
    if m is None:
        problem(f"metrics line {n}: bad daemon sample {line!r}")
    elif m.group(1) not in helps or m.group(1) not in types:
        problem(f"metrics line {n}: {m.group(1)} without HELP and TYPE")


def parse_metrics(text):
    """Returns {metric: {(name, kind, reason or None): value}}."""
    helps, types, samples = {}, {}, {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP "):
            f = line.split(" ", 3)
            if len(f) < 4 or not f[3].strip():
                problem(f"metrics line {n}: HELP without text: {line!r}")
            helps[f[2]] = n
            continue
        if line.startswith("# TYPE "):
            f = line.split(" ")
            types[f[2]] = f[3] if len(f) == 4 else None
            continue
        if line.startswith("#") or line == "":
            continue
        if line.split("{")[0].split(" ")[0] in DAEMON:
            daemon_sample(line, n, helps, types)
            continue
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} ([0-9]+)",
                         line)
        if m is None:
            problem(f"metrics line {n}: not 'metric{{labels}} integer': "
                    f"{line!r}")
            continue
        metric, labels, value = m.group(1), m.group(2), int(m.group(3))
        lab = {}
        for pair in labels.split(","):
            lm = re.fullmatch(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"\\]*)"', pair)
            if lm is None:
                problem(f"metrics line {n}: bad label {pair!r}")
                continue
            lab[lm.group(1)] = lm.group(2)
        want = {"name", "kind"} | ({"reason"} if metric == ERRORS_METRIC
                                   else {"target"} if metric == JOB_INFO
                                   else set())
        if set(lab) != want:
            problem(f"metrics line {n}: labels {sorted(lab)}, expected "
                    f"exactly {sorted(want)}: {line!r}")
        for bad in ("job", "instance"):
            if bad in lab:
                problem(f"metrics line {n}: a '{bad}' label (Prometheus "
                        f"sets it): {line!r}")
        if metric not in helps or metric not in types:
            problem(f"metrics line {n}: {metric} without HELP and TYPE "
                    f"before it")
        key = (lab.get("name"), lab.get("kind"), lab.get("reason"))
        if key in samples.setdefault(metric, {}):
            problem(f"metrics line {n}: a second sample for {key}")
        samples[metric][key] = value
    for c in COUNTERS:
        mn = metric_name(c)[0]
        want = "gauge" if c in GAUGES else "counter"
        if mn not in helps:
            problem(f"metrics: no HELP for {mn}")
        if types.get(mn) != want:
            problem(f"metrics: TYPE of {mn} is {types.get(mn)}, "
                    f"expected {want}")
    for mn, want in DAEMON.items():
        if types.get(mn) != want:
            problem(f"metrics: TYPE of {mn} is {types.get(mn)}, "
                    f"expected {want}")
    extra = set(types) - {metric_name(c)[0] for c in COUNTERS} - \
        set(DAEMON) - {JOB_INFO}
    if extra:
        problem(f"metrics: unexpected metrics {sorted(extra)}")
    return samples


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("stats_text")
    ap.add_argument("stats_json")
    ap.add_argument("list_json")
    ap.add_argument("list_text")
    ap.add_argument("metrics")
    ap.add_argument("--counters", action="store_true",
                    help="compare the counters too")
    ap.add_argument("--rising", action="append", default=[],
                    metavar="JOB.COUNTER",
                    help="a counter that may rise while sampling")
    ap.add_argument("--expect", action="append", default=[],
                    metavar="JOB.KEY=VALUE")
    ap.add_argument("--jobs", help="the job names expected, name:kind,...")
    o = ap.parse_args()

    def read(p):
        with open(p, encoding="utf-8") as f:
            return f.read()

    st = parse_stats_text(read(o.stats_text))
    try:
        sj = json.loads(read(o.stats_json))
        lj = json.loads(read(o.list_json))
    except ValueError as e:
        problem(f"bad JSON: {e}")
        sj, lj = [], []
    if not isinstance(sj, list) or not isinstance(lj, list):
        problem("-j stats and -j list must be JSON arrays")
        sj, lj = [], []
    check_json_stats(sj)
    check_json_list(lj)
    lt = parse_list_text(read(o.list_text))
    ms = parse_metrics(read(o.metrics))

    def ident(jobs):
        return [(j.get("name"), j.get("kind")) for j in jobs]

    ref = ident(st)
    for what, jobs in (("-j stats", sj), ("-j list", lj), ("list", lt)):
        if ident(jobs) != ref:
            problem(f"jobs of {what}: {ident(jobs)}, of stats: {ref}")
    for c in COUNTERS:
        family, reason = metric_name(c)
        got = sorted((n, k) for n, k, r in ms.get(family, {}) if r == reason)
        if c != "connection_errors" and got != sorted(ref):
            problem(f"metrics {family} {reason or ''}: jobs {got}, of "
                    f"stats: {sorted(ref)}")
    if o.jobs is not None:
        want = [tuple(x.split(":")) for x in o.jobs.split(",") if x]
        if sorted(ref) != sorted(want):
            problem(f"jobs {sorted(ref)}, expected {sorted(want)}")
    if len(set(ref)) != len(ref):
        problem(f"a job is shown twice: {ref}")

    by = {j["name"]: j for j in st}
    for what, jobs in (("-j stats", sj), ("-j list", lj), ("list", lt)):
        for j in jobs:
            t = by.get(j.get("name"))
            for k in ("state", "target"):
                if t is not None and j.get(k) != t.get(k):
                    problem(f"{what} {j.get('name')}: {k} {j.get(k)!r}, "
                            f"stats: {t.get(k)!r}")

    if o.counters:
        rising = set(o.rising)
        sjb = {j.get("name"): j for j in sj}
        ljb = {j.get("name"): j for j in lj}
        ltb = {j.get("name"): j for j in lt}
        for name, kind in ref:
            t, js = by[name], sjb.get(name, {})
            for c in COUNTERS:
                seq = [("stats", t.get(c)), ("-j stats", js.get(c))]
                if c == "connections":
                    seq += [("-j list", ljb.get(name, {}).get(c)),
                            ("list", ltb.get(name, {}).get(c))]
                seq.append(("metrics", metric_value(ms, c, name, kind)))
                vals = [v for _, v in seq]
                if any(not isinstance(v, int) for v in vals):
                    continue        # reported above
                shown = ", ".join(f"{w} {v}" for w, v in seq)
                if f"{name}.{c}" in rising:
                    if vals != sorted(vals):
                        problem(f"{name} {c} falls between views: {shown}")
                elif len(set(vals)) != 1:
                    problem(f"{name} {c} differs between views: {shown}")
            for c in RATES:
                if f"{name}.{c}" in rising:
                    continue
                a, b = t.get(c + "_per_second"), \
                    js.get("per_second", {}).get(c)
                if a != b:
                    problem(f"{name} {c} per second: stats {a}, "
                            f"-j stats {b}")

    for e in o.expect:
        m = re.fullmatch(r"([^.]+)\.([a-z_]+)=(.*)", e)
        if m is None:
            problem(f"bad --expect {e!r}")
            continue
        t = by.get(m.group(1))
        got = None if t is None else t.get(m.group(2))
        if str(got) != m.group(3):
            problem(f"{m.group(1)} {m.group(2)} is {got}, expected "
                    f"{m.group(3)}")

    for p in problems:
        print("agree_check:", p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
