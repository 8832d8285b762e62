#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Checks the Grafana dashboard against a Prometheus scraping wsbenchd.

grafana_check.py --prometheus URL --dashboard JSON panels --start T0
    --at T --instance HOST:PORT...

- checks the dashboard's shape: uid, schema, the datasource, instance and
  name variables, unique panel ids and titles, panels of type timeseries,
  stat or heatmap on the datasource variable (a heatmap's targets in the
  heatmap format, summed by le), each family of REQUIRED shown,
  every selector filtered by $instance (and by $name where the family has
  a name label), counters only inside rate() or increase() over
  $__rate_interval or $__range;
- resolves the query variables as Grafana does (label_values through
  /api/v1/label/L/values, "All" as a regex of every value) and checks
  that the instances are exactly those given;
- evaluates every panel target with the variables substituted: as an
  instant query at T, which must succeed and return series, and as a
  range query from T0 to now with a 1 s step, which must hold at least
  one finite value.

grafana_check.py --prometheus URL --dashboard JSON agree --wsbenchctl PATH
    --daemon HOST:PORT SOCKET... --agree TITLE=COUNTER...

reads `-j stats` of each daemon twice, --window intervals apart, each time
right after Prometheus scraped it, so that both see the same counts over
the same time; then evaluates sum() of the panel TITLE's only target over
a window that holds exactly the scrapes read (for each daemon on its own,
and for all), and compares it with the rate of COUNTER, summed over the
jobs, between the readings: within 10%.

Prints every problem and exits 1 if there is one, else 0.
"""

import argparse
import json
import math
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TOLERANCE = 0.10
# Families without the name label: the daemon's own.
DAEMON_FAMILIES = {"wsbench_build_info", "wsbench_worker_threads",
                   "wsbench_control_requests_total",
                   "wsbench_start_time_seconds"}
# What the dashboard must show (issue 6).
REQUIRED = ["wsbench_messages_received_total", "wsbench_messages_sent_total",
            "wsbench_bytes_received_total", "wsbench_bytes_sent_total",
            "wsbench_connections", "wsbench_connections_opened_total",
            "wsbench_connection_errors_total", "wsbench_reconnects_total",
            "wsbench_closes_total",
            "wsbench_handshake_duration_seconds_bucket",
            "wsbench_payload_bytes_received_total",
            "wsbench_payload_bytes_sent_total",
            "wsbench_latency_seconds_bucket",
            "process_cpu_seconds_total", "process_resident_memory_bytes"]
SELECTOR = re.compile(r"\b((?:wsbench|process)_[a-z_]+)\b"
                      r"(\{[^}]*\})?(\[[^]]*\])?")
LABEL_VALUES = re.compile(r"^label_values\((.*),\s*([a-z_]+)\)$")
# Grafana's escaping of a variable's values inside a PromQL regex string.
REGEX_SPECIAL = re.compile(r"[\\^$*+?.()|{}\[\]]")

problems = []


def problem(msg):
    print("FAIL: " + msg, file=sys.stderr)
    problems.append(msg)


class Prometheus:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def get(self, path, params):
        url = self.url + path + "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=20) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            body = json.load(e)
        except urllib.error.URLError as e:
            raise ValueError("%s: %s" % (url, e.reason)) from e
        if body.get("status") != "success":
            raise ValueError("%s: %s" % (body.get("errorType"),
                                         body.get("error")))
        return body["data"]

    def query(self, expr, at):
        return self.get("/api/v1/query", {"query": expr, "time": at})

    def query_range(self, expr, start, end):
        return self.get("/api/v1/query_range", {
            "query": expr, "start": start, "end": end, "step": 1})

    def label_values(self, label, match):
        return self.get("/api/v1/label/%s/values" % label,
                        {"match[]": match})


def escape(value):
    return REGEX_SPECIAL.sub(lambda m: "\\\\" + m.group(0), value)


def regex_of(values):
    """What Grafana puts for a multi-value variable: (v1|v2|...)."""
    return "(" + "|".join(escape(v) for v in values) + ")"


def substitute(expr, variables):
    def one(m):
        name = m.group(1) or m.group(2)
        if name not in variables:
            problem("unknown variable $%s in %s" % (name, expr))
            return m.group(0)
        return variables[name]
    return re.sub(r"\$\{(\w+)\}|\$(\w+)", one, expr)


def targets(dash):
    for p in dash["panels"]:
        for t in p.get("targets", []):
            yield p, t


def check_variables(dash):
    byname = {v["name"]: v for v in dash["templating"]["list"]}
    ds = byname.get("datasource", {})
    if ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        problem("no datasource variable of Prometheus data sources")
    for name, want in (("instance", "wsbench_build_info"),
                       ("name", "wsbench_job_info")):
        v = byname.get(name, {})
        m = LABEL_VALUES.match(v.get("query", ""))
        if v.get("type") != "query" or not m or m.group(2) != name or \
                not m.group(1).startswith(want):
            problem("variable %s: not label_values(%s..., %s)" %
                    (name, want, name))
        elif not v.get("multi") or not v.get("includeAll"):
            problem("variable %s: not multi-value with All" % name)
        elif v.get("datasource", {}).get("uid") != "${datasource}":
            problem("variable %s: not on ${datasource}" % name)
    return [v for v in dash["templating"]["list"] if v["type"] == "query"]


def check_expr(title, expr, families):
    for m in SELECTOR.finditer(expr):
        family, labels, window = m.group(1), m.group(2) or "", m.group(3)
        families.add(family)
        if 'instance=~"$instance"' not in labels:
            problem('%s: %s is not filtered by instance=~"$instance"' %
                    (title, family))
        if family.startswith("wsbench_") and \
                family not in DAEMON_FAMILIES and \
                'name=~"$name"' not in labels:
            problem('%s: %s is not filtered by name=~"$name"' %
                    (title, family))
        counter = family.endswith("_total") or family.endswith("_bucket")
        if counter and window not in ("[$__rate_interval]", "[$__range]"):
            problem("%s: counter %s not over [$__rate_interval] or "
                    "[$__range]" % (title, family))
        elif counter and not re.search(r"\b(rate|increase)\(\s*$",
                                       expr[:m.start()]):
            problem("%s: counter %s outside rate() or increase()" %
                    (title, family))


def check_shape(dash):
    if dash.get("uid") != "wsbench":
        problem("uid is %r, not wsbench" % dash.get("uid"))
    if dash.get("schemaVersion", 0) < 39:
        problem("schemaVersion %r is below 39" % dash.get("schemaVersion"))
    ids = [p.get("id") for p in dash["panels"]]
    titles = [p.get("title") for p in dash["panels"]]
    if len(set(ids)) != len(ids):
        problem("panel ids repeat: %s" % ids)
    if len(set(titles)) != len(titles):
        problem("panel titles repeat: %s" % titles)
    families = set()
    for p in dash["panels"]:
        if p.get("type") not in ("timeseries", "stat", "heatmap"):
            problem("%s: type %s" % (p.get("title"), p.get("type")))
        for t in p.get("targets", []) if p.get("type") == "heatmap" else []:
            if t.get("format") != "heatmap" or \
                    not t.get("expr", "").startswith("sum by (le) ("):
                problem("%s [%s]: not buckets summed by le in the heatmap "
                        "format" % (p.get("title"), t.get("refId")))
        if not all(k in p.get("gridPos", {}) for k in "xywh"):
            problem("%s: no gridPos" % p.get("title"))
        refs = [t.get("refId") for t in p.get("targets", [])]
        if not refs or len(set(refs)) != len(refs):
            problem("%s: targets %s" % (p.get("title"), refs))
        for d in [p] + p.get("targets", []):
            if d.get("datasource", {}).get("uid") != "${datasource}":
                problem("%s: not on ${datasource}" % p.get("title"))
    for p, t in targets(dash):
        check_expr(p["title"], t.get("expr", ""), families)
    for f in REQUIRED:
        if f not in families:
            problem("no panel shows %s" % f)


def resolve(prom, variables, want_instances):
    """The values of each query variable, as regexes of "All"."""
    values = {}
    for v in variables:
        m = LABEL_VALUES.match(v.get("query", ""))
        if not m:
            problem("variable %s: cannot resolve %r" % (v["name"],
                                                        v.get("query")))
            continue
        sel, label = m.groups()
        sel = substitute(sel, values)
        try:
            found = prom.label_values(label, sel)
        except ValueError as e:
            problem("variable %s: %s" % (v["name"], e))
            found = []
        print("variable %s: %s" % (v["name"], ", ".join(found)))
        if not found:
            problem("variable %s has no values" % v["name"])
        values[v["name"]] = regex_of(found)
        if v["name"] == "instance" and sorted(found) != sorted(want_instances):
            problem("instances %s, expected %s" % (found, want_instances))
    return values


def series_of(data):
    if data["resultType"] in ("vector", "matrix"):
        return data["result"]
    return [data["result"]]        # a scalar or a string


def finite_points(data):
    n = 0
    for s in data["result"]:
        n += sum(1 for _, v in s["values"] if math.isfinite(float(v)))
    return n


def check_queries(prom, dash, values, at, start, end):
    instant = dict(values, __rate_interval="10s", __interval="5s",
                   __range="1m")
    ranged = dict(values, __rate_interval="4s", __interval="1s",
                  __range="%ds" % max(1, round(end - start)))
    for p, t in targets(dash):
        what = "%s [%s]" % (p["title"], t["refId"])
        try:
            got = series_of(prom.query(substitute(t["expr"], instant), at))
            pts = finite_points(prom.query_range(
                substitute(t["expr"], ranged), start, end))
        except ValueError as e:
            problem("%s: %s" % (what, e))
            continue
        print("%-40s %3d series now, %4d finite points over the run" %
              (what, len(got), pts))
        if not got:
            problem("%s: no series at %.3f" % (what, at))
        if pts == 0:
            problem("%s: no finite value over the run" % what)


def raw_times(prom, instance, seconds):
    """Timestamps (ms) of the scrapes of INSTANCE over the last SECONDS."""
    data = prom.query('wsbench_build_info{instance="%s"}[%ds]' %
                      (instance, seconds), time.time())
    if not data["result"]:
        raise ValueError("no scrapes of %s" % instance)
    return [round(float(ts) * 1000) for ts, _ in data["result"][0]["values"]]


def read_stats(wsbenchctl, socket):
    """`-j stats` of one daemon, and the middle of the time it took."""
    t0 = time.time()
    out = subprocess.run([wsbenchctl, "-s", socket, "-j", "stats"],
                         capture_output=True, check=True, timeout=20)
    t1 = time.time()
    return (t0 + t1) / 2, json.loads(out.stdout)


def schedule(prom, args, at):
    """The first scrape of each daemon from AT on, [(time, instance,
    socket)], predicted from its last (they come every --interval).
    They start with the daemon after whose scrape the others' come
    soonest: two daemons' fall within half an interval."""
    last = {i: raw_times(prom, i, 5)[-1] / 1000 for i, _ in args.daemon}

    def next_scrape(inst, t):
        n = math.ceil((t - last[inst]) / args.interval - 1e-6)
        return last[inst] + n * args.interval

    best = None
    for first in last:
        t0 = next_scrape(first, at)
        due = sorted((next_scrape(i, t0), i, s) for i, s in args.daemon)
        if best is None or due[-1][0] - due[0][0] < best[-1][0] - best[0][0]:
            best = due
    return best


def read_after(args, due, shift):
    """Reads each daemon right after its scrape, SHIFT seconds past DUE."""
    got = {}
    for when, instance, socket in due:
        time.sleep(max(0.0, when + shift + 0.01 - time.time()))
        got[instance] = read_stats(args.wsbenchctl, socket)
    return got


def nearest(times, t):
    """The index of the time nearest to T (s) among TIMES (ms)."""
    return min(range(len(times)), key=lambda i: abs(times[i] / 1000 - t))


def scrapes_read(prom, args, r1, r2):
    """For each daemon, the scrapes nearest its readings and their
    neighbours: ((before first, first), (last, after last)) in ms."""
    read = {}
    for inst, _ in args.daemon:
        times = raw_times(prom, inst,
                          round(args.window * args.interval) + 10)
        i, j = nearest(times, r1[inst][0]), nearest(times, r2[inst][0])
        off = max(abs(times[i] / 1000 - r1[inst][0]),
                  abs(times[j] / 1000 - r2[inst][0]))
        print("%s: read %.3f s from its scrapes at most" % (inst, off))
        read[inst] = ((times[i - 1] if i > 0 else 0, times[i]),
                      (times[j], times[j + 1] if j + 1 < len(times) else
                       math.inf))
    return read


class Window:
    """A range (start, end] in ms that holds exactly the scrapes read of
    every daemon chosen: over it, rate() is the slope between the samples
    that the readings were aligned with."""

    def __init__(self, read, instances):
        self.start = self.end = None
        first = [read[i][0] for i in instances]
        last = [read[i][1] for i in instances]
        start = min(t for _, t in first) - 1
        end = max(t for t, _ in last) + 1
        if start > max(t for t, _ in first) and \
                end < min(t for _, t in last):
            self.start, self.end = start, end


def ctl_rate(r1, r2, counter):
    total = [sum(job[counter] for job in stats) for _, stats in (r1, r2)]
    return (total[1] - total[0]) / (r2[0] - r1[0])


def check_agree(prom, dash, values, read, r1, r2, title, counter):
    panels = [p for p in dash["panels"] if p["title"] == title]
    if len(panels) != 1 or len(panels[0]["targets"]) != 1:
        problem("--agree: no panel %r with one target" % title)
        return
    expr = panels[0]["targets"][0]["expr"]
    cases = [(inst, escape(inst), [inst]) for inst in sorted(r1)]
    cases.append(("all", values["instance"], sorted(r1)))
    for label, inst_re, chosen in cases:
        w = Window(read, chosen)
        if w.start is None:
            problem("%s (%s): the scrapes of %s share no window" %
                    (title, label, ", ".join(chosen)))
            continue
        want = sum(ctl_rate(r1[i], r2[i], counter) for i in chosen)
        window = dict(values, instance=inst_re, __interval="1s",
                      __rate_interval="%dms" % (w.end - w.start))
        try:
            got = series_of(prom.query("sum(%s)" % substitute(expr, window),
                                       "%.3f" % (w.end / 1000)))
        except ValueError as e:
            problem("%s (%s): %s" % (title, label, e))
            continue
        if not got:
            problem("%s (%s): no data" % (title, label))
            continue
        got = float(got[0]["value"][1])
        off = abs(got - want) / want if want else (0.0 if got == 0 else 1.0)
        print("%s, %s, %.3f s: Prometheus %.0f, wsbenchctl %.0f, "
              "off by %.2f%%" % (title, label, (w.end - w.start) / 1000,
                                 got, want, off * 100))
        if off > TOLERANCE:
            problem("%s (%s): Prometheus says %.0f, wsbenchctl %.0f" %
                    (title, label, got, want))


def agree(args, dash, prom):
    values = {"instance": regex_of([i for i, _ in args.daemon]),
              "name": ".+"}
    due = schedule(prom, args, time.time() + 0.5)
    r1 = read_after(args, due, 0)
    r2 = read_after(args, due, args.window * args.interval)
    # Until the scrape after the last reading is in.
    time.sleep(2 * args.interval)
    read = scrapes_read(prom, args, r1, r2)
    for a in args.agree:
        title, counter = a.rsplit("=", 1)
        check_agree(prom, dash, values, read, r1, r2, title, counter)


def panels(args, dash, prom):
    variables = check_variables(dash)
    check_shape(dash)
    before = len(problems)
    values = resolve(prom, variables, args.instance)
    if len(problems) > before:
        return
    check_queries(prom, dash, values, args.at, args.start, time.time())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prometheus", required=True)
    ap.add_argument("--dashboard", required=True)
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("panels")
    p.add_argument("--start", type=float, required=True)
    p.add_argument("--at", type=float, required=True)
    p.add_argument("--instance", action="append", required=True)
    a = sub.add_parser("agree")
    a.add_argument("--wsbenchctl", required=True)
    a.add_argument("--daemon", nargs=2, action="append", required=True,
                   metavar=("INSTANCE", "SOCKET"))
    a.add_argument("--window", type=int, default=12,
                   help="scrape intervals between the readings")
    a.add_argument("--interval", type=float, default=1)
    a.add_argument("--agree", action="append", required=True,
                   metavar="TITLE=COUNTER")
    args = ap.parse_args()

    with open(args.dashboard) as f:
        dash = json.load(f)
    prom = Prometheus(args.prometheus)
    if args.command == "panels":
        panels(args, dash, prom)
    else:
        agree(args, dash, prom)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
