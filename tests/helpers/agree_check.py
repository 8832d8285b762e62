#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Checks that wsbenchd's views of its jobs agree with each other.

Reads files holding, sampled in this order: `stats` (text), `-j stats`,
`-j list`, `list` (text) and the /metrics page, and checks:

- each is well formed: the keys of `stats`, the members of the JSON
  objects, the Prometheus text (HELP and TYPE for every metric, the
  counter, gauge or histogram types, exactly the labels name and kind,
  and reason on wsbench_connection_errors_total, whose sum over reasons is
  the connection_errors of stats, code on wsbench_closes_total (every
  code of the set for every job), le on the buckets of
  wsbench_handshake_duration_seconds and wsbench_latency_seconds (every
  bound, cumulative, +Inf equal to _count), type too on the latter, url or
  listen on wsbench_job_info); the latency lines of `stats` and the
  latency object of `-j stats` for the jobs that time messages, and only
  those on wsbench_latency_seconds;
- all name the same jobs with the same kinds (and states and targets,
  and `stats` and `-j stats` the same settings, as tls_verify);
- with --counters, the counters are equal in all views, except those named
  with --rising, which only must not fall in sampling order (they may move
  while the views are taken), and the rates of `stats` and `-j stats`
  are equal, and so are the closes by code and the handshake counts,
  which equal connections_opened;
- the latency type and the count of its life of a timed job are equal in
  `stats`, `-j stats` and metrics (with --rising JOB.latency, they only
  must not fall in sampling order);
- --expect JOB.KEY=VALUE: a value of `stats` (text), compression_received
  and compression_sent (payload bytes per wire byte) among them.

Prints every problem and exits 1 if there is one, else 0.
"""

import argparse
import json
import re
import sys

REASONS = ["refused", "timeout", "bad_status", "bad_accept", "handshake",
           "protocol", "lost", "tls_handshake", "tls_verify"]
COUNTERS = ["messages_received", "messages_sent", "bytes_received",
            "bytes_sent", "payload_bytes_received", "payload_bytes_sent",
            "connection_errors"] + \
    ["errors_" + r for r in REASONS] + ["reconnects", "connections_opened",
                                        "connections", "messages_unstamped",
                                        "sends_late"]
GAUGES = {"connections"}
RATES = [c for c in COUNTERS if c not in GAUGES and
         not c.startswith("errors_")]
NOTES = ["last_error", "last_close"]
# What a kind shows of its settings, after target, where they apply.
SETTINGS = ["tls_verify", "deflate", "deflate_offer"]
TEXT_KEYS = ["name", "kind", "state", "target"]
for _c in COUNTERS:
    TEXT_KEYS.append(_c)
    if _c in RATES:
        TEXT_KEYS.append(_c + "_per_second")
# Payload bytes per wire byte, each way: "none" or a decimal.
RATIO_KEYS = ["compression_received", "compression_sent"]
TEXT_KEYS += RATIO_KEYS
HS_KEYS = ["handshake_count", "handshake_mean_us", "handshake_p50_us",
           "handshake_p90_us", "handshake_p99_us"]
TEXT_KEYS += HS_KEYS
TEXT_KEYS += NOTES
# The run, after the handshake: its start, its times for people ("none"
# until it has one), its peak, and each way's rate over full load ("none"
# before a whole second of it).
RUN_TIMES = ["duration", "ramp", "full_load"]
RUN_DIRS = ["messages_received", "messages_sent"]
RUN_STATS = ["mean", "min", "max"]
RUN_TEXT = ["started"] + RUN_TIMES + ["peak_connections"] + \
    [f"{d}_per_second_{s}" for d in RUN_DIRS for s in RUN_STATS]
TIME_TEXT = r"none|[0-9]+ ns|[0-9]+\.[0-9]{3} (us|ms|s)"
STARTED = r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"
# A timed job's latency, after the handshake: the summary of its life and
# of its window, each a count and times, then the last second's.
LAT_TIMES = ["min", "mean", "p50", "p90", "p99", "p99.9", "p99.99", "max"]
LAT_TEXT = ["latency_type"] + \
    [f"latency_{g}_{k}" for g in ("life", "window")
     for k in ["count"] + LAT_TIMES] + ["latency_p50_1s", "latency_p99_1s"]
LAT_METRIC = "wsbench_latency_seconds"
# 10^(k/25) s from 1e-5 to 100 s, as C's "%.4g" prints them.
LAT_LE = ["%.4g" % 10 ** (k / 25) for k in range(-125, 51)] + ["+Inf"]
ERRORS_METRIC = "wsbench_connection_errors_total"
JOB_INFO = "wsbench_job_info"
CLOSES_METRIC = "wsbench_closes_total"
CLOSE_CODES = ["1000", "1001", "1002", "1003", "1007", "1008", "1009",
               "1010", "1011", "1012", "1013", "1014", "other", "none"]
HS_METRIC = "wsbench_handshake_duration_seconds"
HS_LE = ["0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01",
         "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10",
         "+Inf"]
# The label a per-job family has besides name and kind.
THIRD_LABEL = {ERRORS_METRIC: "reason", CLOSES_METRIC: "code",
               HS_METRIC + "_bucket": "le", LAT_METRIC + "_bucket": "le"}
# Labels a family has besides name, kind and the third.
MORE_LABELS = {LAT_METRIC + s: {"type"} for s in ("_bucket", "_sum",
                                                   "_count")}
HISTOGRAMS = {HS_METRIC: HS_LE, LAT_METRIC: LAT_LE}
# The daemon's own families: present once, not per job.
DAEMON = {"wsbench_build_info": "gauge", "wsbench_worker_threads": "gauge",
          "wsbench_control_requests_total": "counter",
          "process_cpu_seconds_total": "counter",
          "process_start_time_seconds": "gauge",
          "process_virtual_memory_bytes": "gauge",
          "process_resident_memory_bytes": "gauge",
          "process_open_fds": "gauge", "process_max_fds": "gauge",
          "wsbench_start_time_seconds": "gauge"}


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
        # A line for each close code received, in the order of CLOSE_CODES.
        closes = ["closes_" + c for c in CLOSE_CODES
                  if "closes_" + c in j["_keys"]]
        settings = [k for k in SETTINGS if k in j["_keys"]]
        lat = LAT_TEXT if "latency_type" in j["_keys"] else []
        want = TEXT_KEYS[:4] + settings + TEXT_KEYS[4:-len(NOTES)] + \
            RUN_TEXT + lat + closes + NOTES
        if j["_keys"] != want:
            problem(f"stats of {j.get('name')}: keys {j['_keys']}, "
                    f"expected {want}")
        for k in TEXT_KEYS[4:-len(NOTES)] + closes:
            if k in RATIO_KEYS:
                if not re.fullmatch(r"none|[0-9]+\.[0-9]{2}", j.get(k, "")):
                    problem(f"stats of {j.get('name')}: {k} is "
                            f"{j.get(k)!r}, not a ratio")
                continue
            # No handshake yet: no time to show.
            if k in HS_KEYS[1:] and j.get(k) == "none" and \
                    j.get("handshake_count") == 0:
                j[k] = None
            elif not re.fullmatch(r"[0-9]+", j.get(k, "")):
                problem(f"stats of {j.get('name')}: {k} is "
                        f"{j.get(k)!r}, not a number")
            else:
                j[k] = int(j[k])
        check_text_run(j)
        if lat:
            check_text_latency(j)
        j["closes"] = {k[len("closes_"):]: j.get(k) for k in closes}
        if 0 in j["closes"].values():
            problem(f"stats of {j.get('name')}: a closes line of 0")
    return jobs


def check_text_run(j):
    """The run lines: a start, times, a peak, rates or "none"."""
    forms = {"started": STARTED, "peak_connections": r"[0-9]+"}
    forms.update({k: TIME_TEXT for k in RUN_TIMES})
    for k in RUN_TEXT:
        form = forms.get(k, r"none|[0-9]+(\.[0-9])?")
        if not re.fullmatch(form, j.get(k, "")):
            problem(f"stats of {j.get('name')}: {k} is {j.get(k)!r}")
    if j.get("duration") == "none":
        problem(f"stats of {j.get('name')}: no duration")


def check_text_latency(j):
    """A timed job's latency lines: counts, and times for people or
    "none" (all of a group while its count is 0)."""
    if j.get("latency_type") not in ("rtt", "oneway"):
        problem(f"stats of {j.get('name')}: latency_type is "
                f"{j.get('latency_type')!r}")
    for k in LAT_TEXT[1:]:
        v = j.get(k, "")
        if k.endswith("_count"):
            if not re.fullmatch(r"[0-9]+", v):
                problem(f"stats of {j.get('name')}: {k} is {v!r}")
            else:
                j[k] = int(v)
        elif not re.fullmatch(TIME_TEXT, v):
            problem(f"stats of {j.get('name')}: {k} is {v!r}, not a time")
    for g in ("life", "window"):
        empty = j.get(f"latency_{g}_count") == 0
        if any((j.get(f"latency_{g}_{k}") == "none") != empty
               for k in LAT_TIMES):
            problem(f"stats of {j.get('name')}: latency_{g} has times "
                    f"{'with' if empty else 'without'} messages")


def check_json_latency(j):
    """The latency object of a timed -j stats job."""
    lat = j.get("latency")
    times = [k + "_us" for k in LAT_TIMES]
    if not isinstance(lat, dict) or set(lat) != {
            "type", "life", "window", "p50_1s_us", "p99_1s_us"} or \
            lat["type"] not in ("rtt", "oneway"):
        problem(f"-j stats of {j.get('name')}: latency is {lat!r}")
        return
    for k in ("p50_1s_us", "p99_1s_us"):
        if lat[k] is not None and not isinstance(lat[k], (int, float)):
            problem(f"-j stats of {j.get('name')}: latency.{k} is "
                    f"{lat[k]!r}")
    for g in ("life", "window"):
        o = lat[g]
        if not isinstance(o, dict) or set(o) != {"count"} | set(times) or \
                not isinstance(o["count"], int) or not all(
                    isinstance(o[k], (int, float)) if o["count"] > 0
                    else o[k] is None for k in times):
            problem(f"-j stats of {j.get('name')}: latency.{g} is {o!r}")


def check_json_more(j):
    """The handshake summary and the closes by code of a -j stats job."""
    hs, closes = j.get("handshake"), j.get("closes")
    times = ("mean_us", "p50_us", "p90_us", "p99_us")
    if not isinstance(hs, dict) or set(hs) != {"count", *times} or \
            not isinstance(hs["count"], int) or not all(
                isinstance(hs[k], int) if hs["count"] > 0 else hs[k] is None
                for k in times):
        problem(f"-j stats of {j.get('name')}: handshake is {hs!r}")
    if not isinstance(closes, dict) or not set(closes) <= set(CLOSE_CODES) \
            or not all(isinstance(v, int) and v > 0
                       for v in closes.values()):
        problem(f"-j stats of {j.get('name')}: closes is {closes!r}")


def check_json_run(j):
    """The run object: a start, times in ms (null until reached), a peak,
    each way's rate over full load or null."""
    run = j.get("run")
    rates = [d + "_per_second" for d in RUN_DIRS]
    times = [k + "_ms" for k in RUN_TIMES]
    if not isinstance(run, dict) or \
            set(run) != {"started", "peak_connections", *times, *rates} or \
            not re.fullmatch(STARTED, str(run["started"])) or \
            not isinstance(run["duration_ms"], int) or \
            not isinstance(run["peak_connections"], int) or not all(
                run[k] is None or isinstance(run[k], int) for k in times):
        problem(f"-j stats of {j.get('name')}: run is {run!r}")
        return
    for k in rates:
        r = run[k]
        if r is not None and (not isinstance(r, dict) or
                              set(r) != set(RUN_STATS) or not all(
                                  isinstance(r[s], (int, float))
                                  for s in RUN_STATS)):
            problem(f"-j stats of {j.get('name')}: run.{k} is {r!r}")


def check_json_stats(jobs):
    want = set(TEXT_KEYS[:4]) | set(COUNTERS) | set(NOTES) | \
        set(RATIO_KEYS) | {"per_second", "handshake", "run", "closes"}
    for j in jobs:
        if set(j) - set(SETTINGS) - {"latency"} != want:
            problem(f"-j stats of {j.get('name')}: members {sorted(j)}, "
                    f"expected {sorted(want)}")
        check_json_more(j)
        check_json_run(j)
        if "latency" in j:
            check_json_latency(j)
        for k in RATIO_KEYS:
            if j.get(k) is not None and not isinstance(j.get(k), float):
                problem(f"-j stats of {j.get('name')}: {k} is "
                        f"{j.get(k)!r}, not a ratio or null")
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


def family_of(metric):
    """The family a sample belongs to: a histogram's has three names."""
    for family in HISTOGRAMS:
        for suffix in ("_bucket", "_sum", "_count"):
            if metric == family + suffix:
                return family
    return metric


def parse_metrics(text):
    """Returns {metric: {(name, kind, third label or None): value}}."""
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
        m = re.fullmatch(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} "
                         r"([0-9]+(\.[0-9]+)?)", line)
        if m is None or (m.group(4) is not None and
                         m.group(1) not in (HS_METRIC + "_sum",
                                            LAT_METRIC + "_sum")):
            problem(f"metrics line {n}: not 'metric{{labels}} integer': "
                    f"{line!r}")
            continue
        metric, labels = m.group(1), m.group(2)
        value = float(m.group(3)) if m.group(4) else int(m.group(3))
        lab = {}
        for pair in labels.split(","):
            lm = re.fullmatch(r'([a-zA-Z_][a-zA-Z0-9_]*)="([^"\\]*)"', pair)
            if lm is None:
                problem(f"metrics line {n}: bad label {pair!r}")
                continue
            lab[lm.group(1)] = lm.group(2)
        third = THIRD_LABEL.get(metric)
        if metric == JOB_INFO:
            third = "url" if lab.get("kind") in ("recv", "send") else "listen"
        want = {"name", "kind"} | ({third} if third else set()) | \
            MORE_LABELS.get(metric, set())
        if set(lab) != want:
            problem(f"metrics line {n}: labels {sorted(lab)}, expected "
                    f"exactly {sorted(want)}: {line!r}")
        for bad in ("job", "instance"):
            if bad in lab:
                problem(f"metrics line {n}: a '{bad}' label (Prometheus "
                        f"sets it): {line!r}")
        if family_of(metric) not in helps or family_of(metric) not in types:
            problem(f"metrics line {n}: {metric} without HELP and TYPE "
                    f"before it")
        key = (lab.get("name"), lab.get("kind"),
               lab.get(third) if third else None)
        if key in samples.setdefault(metric, {}):
            problem(f"metrics line {n}: a second sample for {key}")
        samples[metric][key] = value
        if "type" in lab:       # the latency's, kept aside: FAMILY:type
            samples.setdefault(family_of(metric) + ":type", {})[
                (lab.get("name"), lab.get("kind"), lab["type"])] = 1
    for c in COUNTERS:
        mn = metric_name(c)[0]
        want = "gauge" if c in GAUGES else "counter"
        if mn not in helps:
            problem(f"metrics: no HELP for {mn}")
        if types.get(mn) != want:
            problem(f"metrics: TYPE of {mn} is {types.get(mn)}, "
                    f"expected {want}")
    for mn, want in list(DAEMON.items()) + [
            (JOB_INFO, "gauge"), (CLOSES_METRIC, "counter"),
            (HS_METRIC, "histogram"), (LAT_METRIC, "histogram")]:
        if mn not in helps:
            problem(f"metrics: no HELP for {mn}")
        if types.get(mn) != want:
            problem(f"metrics: TYPE of {mn} is {types.get(mn)}, "
                    f"expected {want}")
    extra = set(types) - {metric_name(c)[0] for c in COUNTERS} - \
        set(DAEMON) - {JOB_INFO, CLOSES_METRIC} - set(HISTOGRAMS)
    if extra:
        problem(f"metrics: unexpected metrics {sorted(extra)}")
    check_closes(samples)
    for family, les in HISTOGRAMS.items():
        check_histograms(samples, family, les)
    return samples


def jobs_of(samples, metric):
    return sorted({(n, k) for n, k, _ in samples.get(metric, {})})


def check_closes(samples):
    """Every job has a sample for each code of the set, and no other."""
    series = samples.get(CLOSES_METRIC, {})
    for name, kind in jobs_of(samples, CLOSES_METRIC):
        codes = [c for n, k, c in series if (n, k) == (name, kind)]
        if sorted(codes) != sorted(CLOSE_CODES):
            problem(f"metrics {CLOSES_METRIC} of {name}: codes "
                    f"{sorted(codes)}, expected {sorted(CLOSE_CODES)}")


def check_histograms(samples, family, family_le):
    """Each job's buckets: every bound, cumulative, +Inf equal to _count;
    a _sum of 0 exactly when _count is 0."""
    buckets = samples.get(family + "_bucket", {})
    sums = samples.get(family + "_sum", {})
    counts = samples.get(family + "_count", {})
    jobs = jobs_of(samples, family + "_bucket")
    for what in ("_sum", "_count"):
        if jobs_of(samples, family + what) != jobs:
            problem(f"metrics {family}{what}: jobs "
                    f"{jobs_of(samples, family + what)}, of _bucket: "
                    f"{jobs}")
    for name, kind in jobs:
        les = sorted(le for n, k, le in buckets if (n, k) == (name, kind))
        if les != sorted(family_le):
            problem(f"metrics {family} of {name}: le {les}, expected "
                    f"{family_le}")
            continue
        cum = [buckets[(name, kind, le)] for le in family_le]
        count = counts.get((name, kind, None))
        total = sums.get((name, kind, None))
        if cum != sorted(cum):
            problem(f"metrics {family} of {name}: buckets not "
                    f"cumulative: {cum}")
        if cum[-1] != count:
            problem(f"metrics {family} of {name}: +Inf {cum[-1]}, "
                    f"_count {count}")
        if total is None or (total == 0) != (count == 0):
            problem(f"metrics {family} of {name}: _sum {total} with "
                    f"_count {count}")
        elif count:
            # The mean lies between the lowest and the highest bucket
            # holding observations.
            held = [i for i in range(len(family_le))
                    if cum[i] > (cum[i - 1] if i else 0)]
            lo = float(family_le[held[0] - 1]) if held[0] else 0.0
            hi = float(family_le[held[-1]])
            if not lo * 0.99 - 1e-6 <= total / count <= hi + 1e-6:
                problem(f"metrics {family} of {name}: mean "
                        f"{total / count} outside the buckets holding "
                        f"observations ({lo}, {hi}]")


def agree_more(ms, name, kind, t, js, rising):
    """The handshake count and the closes by code of one job, in stats,
    -j stats and metrics; the count is that of connections opened."""
    seq = [("stats", t.get("handshake_count")),
           ("-j stats", js.get("handshake", {}).get("count")),
           ("metrics", ms.get(HS_METRIC + "_count", {}).get(
               (name, kind, None))),
           ("connections_opened", t.get("connections_opened"))]
    if f"{name}.connections_opened" not in rising and \
            len({v for _, v in seq}) != 1:
        problem(f"{name} handshakes differ: "
                f"{', '.join(f'{w} {v}' for w, v in seq)}")
    series = ms.get(CLOSES_METRIC, {})
    shown = {c: series.get((name, kind, c)) for c in CLOSE_CODES
             if series.get((name, kind, c))}
    if not t.get("closes") == js.get("closes") == shown:
        problem(f"{name} closes differ: stats {t.get('closes')}, -j stats "
                f"{js.get('closes')}, metrics {shown}")


def agree_latency(ms, name, kind, t, js, rising):
    """The latency type and life count of a timed job in stats, -j stats
    and metrics."""
    lat = js.get("latency") or {}
    types = {ty for n, k, ty in ms.get(LAT_METRIC + ":type", {})
             if (n, k) == (name, kind)}
    if lat.get("type") != t.get("latency_type") or \
            types != {t.get("latency_type")}:
        problem(f"{name} latency type: stats {t.get('latency_type')}, "
                f"-j stats {lat.get('type')}, metrics {types}")
    seq = [("stats", t.get("latency_life_count")),
           ("-j stats", (lat.get("life") or {}).get("count")),
           ("metrics", ms.get(LAT_METRIC + "_count", {}).get(
               (name, kind, None)))]
    vals = [v for _, v in seq]
    ok = vals == sorted(vals) if f"{name}.latency" in rising else \
        len(set(vals)) == 1
    if not ok or not all(isinstance(v, int) for v in vals):
        problem(f"{name} latency counts differ: "
                f"{', '.join(f'{w} {v}' for w, v in seq)}")


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
    for family in (JOB_INFO, CLOSES_METRIC, HS_METRIC + "_count"):
        if jobs_of(ms, family) != sorted(ref):
            problem(f"metrics {family}: jobs {jobs_of(ms, family)}, of "
                    f"stats: {sorted(ref)}")
    timed = sorted((j["name"], j["kind"]) for j in st if "latency_type" in j)
    if jobs_of(ms, LAT_METRIC + "_count") != timed:
        problem(f"metrics {LAT_METRIC}: jobs "
                f"{jobs_of(ms, LAT_METRIC + '_count')}, timed in stats: "
                f"{timed}")
    if sorted((j.get("name"), j.get("kind")) for j in sj
              if "latency" in j) != timed:
        problem(f"-j stats shows latency for other jobs than stats: {timed}")
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
            keys = ["state", "target"]
            if what == "-j stats":
                keys += SETTINGS
            for k in keys:
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
            agree_more(ms, name, kind, t, js, rising)
    sjb = {j.get("name"): j for j in sj}
    for name, kind in timed:
        agree_latency(ms, name, kind, by[name], sjb.get(name, {}),
                      set(o.rising))

    for e in o.expect:
        m = re.fullmatch(r"([^.]+)\.([a-z0-9_]+)=(.*)", e)
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
