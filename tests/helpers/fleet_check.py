#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""The sums of a fleet (tests/fleet.sh): wsbenchctl -H and the dashboard.

fleet_check.py sum --counters COUNTERS_H --text FILE --json FILE
    --host HOST=JSON...

FILE: `wsbenchctl -H h1,h2,... stats` (text) and `-j stats` of the same
hosts, after their jobs finished; JSON: each host's own `-j stats`, read on
its socket.  Checks that each host's part of both outputs shows the
host's own counters, and that the sum holds, for every job name, the hosts
that have it and every counter of COUNTERS_H's COUNTERS (and its
per-second rate) summed over them: exact.

fleet_check.py dashboard --prometheus URL --dashboard JSON totals
    --title TITLE --start T0 --expect INSTANCE=COUNT...

evaluates the only target of panel TITLE as Grafana does with "All" for
its variables ($__range from T0), for each instance alone at its last
scrape and for all at the scrape time at which the other instances' last
scrapes are nearest, and compares it with COUNT (the sum of the COUNTs):
within 2%.

fleet_check.py dashboard ... rates (the arguments of grafana_check.py
agree): grafana_check.py's agreement of the rates, within 2%.

Prints every figure; exits 1 if a check fails, else 0.
"""

import argparse
import json
import math
import re
import sys

import grafana_check as gc

TOLERANCE = 0.02


def counter_names(path):
    """The first argument of every X() of the COUNTERS X-macro."""
    with open(path) as f:
        text = f.read()
    body = text[text.index("#define COUNTERS(X)"):]
    body = body[:body.index("\n\n")]
    return re.findall(r"\bX\((\w+),", body)


def parse_text(path):
    """`-H stats` text: {section: [job dict]}, sections "h1"... and "sum"."""
    sections, cur = {}, None
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("== "):
                m = re.match(r"== sum of (\d+) hosts$", line)
                cur = sections.setdefault("sum" if m else line[3:], [])
                if m:
                    sections["sum of"] = int(m.group(1))
                continue
            if not line.strip() or cur is None:
                continue
            key, _, value = line.partition(" ")
            if key == "name":
                cur.append({})
            cur[-1][key] = value.strip()
    return sections


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def check(ok, msg):
    print(("ok    " if ok else "FAIL  ") + msg)
    return ok


def check_host(host, shown, own, counters, what):
    """A host's part of a -H output against its own stats."""
    ok = True
    mine = {j["name"]: j for j in own}
    if sorted(j["name"] for j in shown) != sorted(mine):
        return check(False, "%s %s: jobs %s, its own %s" % (
            what, host, [j["name"] for j in shown], sorted(mine)))
    for job in shown:
        for c in counters:
            if num(job.get(c)) != mine[job["name"]][c]:
                ok = check(False, "%s %s %s %s: %s, its own %s" % (
                    what, host, job["name"], c, job.get(c),
                    mine[job["name"]][c]))
    return check(ok, "%s %s: the counters of %s are its own" %
                 (what, host, ", ".join(sorted(mine))))


def check_sum(got, per_host, counters, what):
    """GOT: [{name, kind, hosts, counter..., per_second {...}}]; PER_HOST:
    {host: [job, with per_second]} as shown for each host."""
    want = {}
    for jobs in per_host.values():
        for j in jobs:
            s = want.setdefault(j["name"], {"kind": j["kind"], "hosts": 0,
                                            "per_second": {}})
            s["hosts"] += 1
            for c in counters:
                s[c] = s.get(c, 0) + num(j[c])
            for c, v in j["per_second"].items():
                s["per_second"][c] = s["per_second"].get(c, 0) + num(v)
    ok = check(sorted(g["name"] for g in got) == sorted(want),
               "%s: jobs %s, expected %s" %
               (what, sorted(g["name"] for g in got), sorted(want)))
    for g in got:
        w = want.get(g["name"])
        if w is None:
            continue
        bad = [k for k in ["kind", "hosts"] + counters
               if str(g.get(k)) != str(w[k]) and num(g.get(k)) != w[k]]
        bad += ["%s_per_second" % c for c, v in w["per_second"].items()
                if abs(num(g["per_second"].get(c)) - v) > 1e-6 * max(1, v)]
        for k in bad:
            print("      %s %s %s: %s, expected %s" % (
                what, g["name"], k, g.get(k, g["per_second"].get(
                    k[:-len("_per_second")])), w.get(k)))
        ok &= check(not bad, "%s %s (%s on %s hosts): messages_received %d, "
                    "messages_sent %d, connections_opened %d" % (
                        what, g["name"], g.get("kind"), g.get("hosts"),
                        num(g.get("messages_received")),
                        num(g.get("messages_sent")),
                        num(g.get("connections_opened"))))
    return ok


def text_job(j, counters):
    """A job of the text output in the shape of -j's."""
    out = dict(j, per_second={c: j[c + "_per_second"] for c in counters
                              if c + "_per_second" in j})
    return out


def cmd_sum(args):
    counters = counter_names(args.counters)
    own = {}
    for h in args.host:
        host, _, path = h.partition("=")
        with open(path) as f:
            own[host] = json.load(f)
    ok = True
    text = parse_text(args.text)
    ok &= check(text.get("sum of") == len(own),
                "text: '== sum of %s hosts', %d hosts answered" %
                (text.get("sum of"), len(own)))
    shown = {}
    for host in own:
        shown[host] = [text_job(j, counters) for j in text.get(host, [])]
        ok &= check_host(host, shown[host], own[host], counters, "text")
    ok &= check_sum([text_job(j, counters) for j in text.get("sum", [])],
                    shown, counters, "text sum")
    with open(args.json) as f:
        j = json.load(f)
    hosts = {x["host"]: x for x in j["hosts"]}
    ok &= check(list(hosts) == list(own) and
                all(x["status"] == 0 for x in j["hosts"]),
                "-j: hosts %s, status %s" %
                (list(hosts), [x["status"] for x in j["hosts"]]))
    for host in own:
        ok &= check_host(host, hosts.get(host, {}).get("stats", []),
                         own[host], counters, "-j")
    ok &= check_sum(j["sum"], {h: hosts[h]["stats"] for h in own
                               if h in hosts}, counters, "-j sum")
    return ok


def panel_expr(dash, title):
    panels = [p for p in dash["panels"] if p["title"] == title]
    if len(panels) != 1 or len(panels[0]["targets"]) != 1:
        raise SystemExit("no panel %r with one target" % title)
    return panels[0]["targets"][0]["expr"]


def evaluate(prom, expr, values, start, at):
    got = gc.series_of(prom.query(gc.substitute(expr, dict(
        values, __range="%ds" % math.ceil(at - start),
        __rate_interval="4s", __interval="1s")), "%.3f" % at))
    return float(got[0]["value"][1]) if got else None


def cmd_totals(args, dash, prom):
    expr = panel_expr(dash, args.title)
    expect = {}
    for e in args.expect:
        inst, _, n = e.partition("=")
        expect[inst] = float(n)
    variables = [v for v in dash["templating"]["list"]
                 if v["type"] == "query"]
    values = gc.resolve(prom, variables, list(expect))
    last = {i: gc.raw_times(prom, i, 10)[-1] / 1000 for i in expect}
    cases = [(i, gc.escape(i), last[i], expect[i], 0.0) for i in expect]

    def stale(t):
        """How long before T the last scrape at T of an instance with a
        count came: increase() extrapolates its series by that much."""
        return max(t - max(x for x in gc.raw_times(prom, i, 10)
                           if x / 1000 <= t + 1e-3) / 1000
                   for i in expect if expect[i])
    t_all = min(last.values(), key=stale)
    cases.append(("all", values["instance"], t_all, sum(expect.values()),
                  stale(t_all)))
    ok = True
    for label, inst_re, at, want, behind in cases:
        got = evaluate(prom, expr, dict(values, instance=inst_re),
                       args.start, at)
        if got is None:
            ok = check(False, "%s (%s): no data" % (args.title, label))
            continue
        off = abs(got - want) / want if want else (0.0 if got == 0 else 1.0)
        ok &= check(off <= TOLERANCE,
                    "%s, %s, at a scrape%s: Prometheus %.1f, hosts %.0f, "
                    "off by %.2f%%" % (
                        args.title, label,
                        " (others' %.3f s before)" % behind if behind else "",
                        got, want, off * 100))
    return ok


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sum")
    s.add_argument("--counters", required=True)
    s.add_argument("--text", required=True)
    s.add_argument("--json", required=True)
    s.add_argument("--host", action="append", required=True,
                   metavar="HOST=JSON")
    d = sub.add_parser("dashboard")
    d.add_argument("--prometheus", required=True)
    d.add_argument("--dashboard", required=True)
    dsub = d.add_subparsers(dest="what", required=True)
    t = dsub.add_parser("totals")
    t.add_argument("--title", required=True)
    t.add_argument("--start", type=float, required=True)
    t.add_argument("--expect", action="append", required=True,
                   metavar="INSTANCE=COUNT")
    r = dsub.add_parser("rates")
    r.add_argument("--wsbenchctl", required=True)
    r.add_argument("--daemon", nargs=2, action="append", required=True,
                   metavar=("INSTANCE", "SOCKET"))
    r.add_argument("--window", type=int, default=12)
    r.add_argument("--interval", type=float, default=1)
    r.add_argument("--agree", action="append", required=True,
                   metavar="TITLE=COUNTER")
    args = ap.parse_args()
    if args.command == "sum":
        return 0 if cmd_sum(args) else 1
    with open(args.dashboard) as f:
        dash = json.load(f)
    prom = gc.Prometheus(args.prometheus)
    if args.what == "totals":
        ok = cmd_totals(args, dash, prom)
    else:
        gc.TOLERANCE = TOLERANCE
        gc.agree(args, dash, prom)
        ok = True
    return 0 if ok and not gc.problems else 1


if __name__ == "__main__":
    sys.exit(main())
