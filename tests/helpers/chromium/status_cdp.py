#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Loads wsbenchd's status page in a running headless Chromium over the
DevTools protocol and reports what the page showed, as JSON on stdout.

  status_cdp.py --profile DIR --url URL --screenshot FILE [--wait-jobs N]
                [--gap SECONDS] [--timeout SECONDS] [--timed N]
                [--finished NAME]

DIR is the Chromium profile started with --remote-debugging-port=0: its
DevToolsActivePort file names the port.  The page is opened from a blank
tab after the Runtime, Log and Page domains are on, so that nothing it
logs while loading is missed.  Once the table shows N jobs, the table is
read twice, --gap seconds apart; then the chart's state is read and a
screenshot saved.  With --timed N, it first waits until N latency charts
have points, and then reads, as often as it takes (up to 20 times) until
they agree, the page's latency figures as soon as it drew an answer,
together with /api/stats fetched by the page right after.  With
--finished NAME, it reads the run block of job NAME once the page drew
the series it read with the job finished.  The report:

  {"errors": [...],        console errors, exceptions, log entries of
                           level error (CSP violations and failed loads
                           among them)
   "reads": [[{"job", "cells": [...]}], ...],   the table, each read
   "headers": [...],       the table's column titles
   "legend": [...],        the legend's items
   "points": N,            points the chart drew
   "colored_pixels": N,    saturated pixels on the chart (its lines)
   "live": "...",          the page's own liveness note
   "latency": [{"shown": {job: {"p50", "p99", "charts": {"points",
                "colored_pixels", "count", "p50", "p99"}}},
                "api": [jobs of /api/stats]}, ...]
                           with --timed: each read of the latency
                           figures (table cells as shown, chart figures
                           in microseconds), the last the one that agreed
                           if any did
   "latency_problems": [...]  where the last read disagrees
   "run": {"series": state the series was read in, "rows": N,
           "title", "state": in the table, "figures": {path in
           /api/stats: text}, "charts": {name: {"points", "hidden",
           "colored_pixels"}}} or null, with --finished}

Exit 0 with a report, 1 on a failure of the browser or protocol (message
on stderr).  Python standard library and python3-websockets only.
"""

import argparse
import asyncio
import base64
import json
import os
import sys
import time
import urllib.request

import websockets

TABLE_JS = """(() => {
  const rows = [...document.querySelectorAll('#jobs tbody tr[data-job]')];
  return rows.map(tr => ({job: tr.dataset.job,
                          cells: [...tr.cells].map(c => c.textContent)}));
})()"""

# colored(canvas): the saturated pixels of a chart (its lines).
COLORED_JS = """const colored = (cv) => {
  const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) {
    const hi = Math.max(d[i], d[i + 1], d[i + 2]);
    const lo = Math.min(d[i], d[i + 1], d[i + 2]);
    if (d[i + 3] > 128 && hi - lo > 80)
      n++;
  }
  return n;
};"""

CHART_JS = """(() => {""" + COLORED_JS + """
  const cv = document.getElementById('chart');
  return {points: +cv.dataset.points, colored_pixels: colored(cv),
          headers: [...document.querySelectorAll('#jobs thead th')]
                   .map(th => th.textContent),
          legend: [...document.querySelectorAll('#legend li')]
                  .map(li => li.textContent),
          live: document.getElementById('live').textContent};
})()"""


LATENCY_JS = """(async () => {""" + COLORED_JS + """
  // Right after the page drew an answer, so that /api/stats is read
  // within the same second.
  const charts = document.getElementById('latency-charts');
  const drawn = charts.dataset.drawn;
  for (let i = 0; i < 150 && charts.dataset.drawn === drawn; i++)
    await new Promise(r => setTimeout(r, 20));
  const shown = {};
  for (const tr of document.querySelectorAll('#jobs tbody tr[data-job]'))
    shown[tr.dataset.job] = {p50: tr.querySelector('.p50').textContent,
                             p99: tr.querySelector('.p99').textContent};
  for (const div of document.querySelectorAll('#latency-charts div')) {
    const cv = div.querySelector('canvas'), n = colored(cv);
    (shown[div.dataset.job] = shown[div.dataset.job] || {}).chart = {
      points: +(cv.dataset.points || 0), colored_pixels: n,
      count: +(cv.dataset.count || 0), p50: +(cv.dataset.p50 || 0),
      p99: +(cv.dataset.p99 || 0), p50lo: +(cv.dataset.p50lo || 0),
      p99lo: +(cv.dataset.p99lo || 0),
      title: div.querySelector('h3').textContent};
  }
  const r = await fetch('/api/stats', {cache: 'no-store'});
  return {shown, api: (await r.json()).jobs};
})()"""

# The run block of the job named NAME once it drew the series it read in
# state finished (or after 15 s): its title, its state in the table, its
# figures by their path in /api/stats, and its charts.
RUN_JS = """(async () => {""" + COLORED_JS + """
  const name = NAME;
  const block = () => [...document.querySelectorAll('#runs .run')]
    .find(b => b.dataset.job === name);
  for (let i = 0; i < 150 && !(block() && block().dataset.series ===
       'finished'); i++)
    await new Promise(r => setTimeout(r, 100));
  const b = block();
  if (!b)
    return null;
  const tr = [...document.querySelectorAll('#jobs tbody tr[data-job]')]
    .find(t => t.dataset.job === name);
  return {series: b.dataset.series, rows: +(b.dataset.rows || 0),
          title: b.querySelector('h3').textContent,
          state: tr ? tr.cells[3].textContent : null,
          figures: Object.fromEntries([...b.querySelectorAll('[data-key]')]
            .map(s => [s.dataset.key, s.textContent])),
          charts: Object.fromEntries([...b.querySelectorAll('canvas')]
            .map(cv => [cv.dataset.chart, {
              points: +(cv.dataset.points || 0),
              hidden: cv.parentElement.hidden,
              colored_pixels: cv.parentElement.hidden ? 0 : colored(cv)}]))};
})()"""

CHARTS_JS = """[...document.querySelectorAll('#latency-charts canvas')]
  .filter(cv => +(cv.dataset.points || 0) > 0).length"""

# Units of the page's latency figures, in microseconds.
UNITS = {"ns": 1e-3, "\u00b5s": 1, "ms": 1e3, "s": 1e6}
# The histograms' buckets are under 1% wide; the page shows 3 digits.
TOLERANCE = 0.02


def micros(text):
    """A latency as the page shows it ("1.23 ms"), in microseconds; None
    for "-"."""
    parts = text.split()
    if len(parts) != 2 or parts[1] not in UNITS:
        return None
    return float(parts[0]) * UNITS[parts[1]]


def latency_problems(read):
    """What the page shows of latency that /api/stats, read right after,
    does not say: a timed job's p50 and p99 in the table against its last
    second's, its chart's against its window's, its chart drawn; no
    figure and no chart for a job that times nothing."""
    bad = []
    for j in read["api"]:
        lat, shown = j.get("latency"), read["shown"].get(j["name"], {})
        chart = shown.get("chart")
        if not lat:
            if shown.get("p50") != "-" or shown.get("p99") != "-" or chart:
                bad.append(f"{j['name']} times nothing, shows {shown}")
            continue
        figures = [("table p50", micros(shown.get("p50", "")),
                    lat["p50_1s_us"]),
                   ("table p99", micros(shown.get("p99", "")),
                    lat["p99_1s_us"])]
        if not chart:
            bad.append(f"{j['name']}: no chart")
        else:
            # The chart has points at HdrHistogram's percentile steps:
            # the percentile lies between the two around it.
            for q in ("p50", "p99"):
                want = lat["window"][q + "_us"]
                lo, hi = chart[q + "lo"], chart[q]
                if not want or not (lo * (1 - TOLERANCE) <= want <=
                                    hi * (1 + TOLERANCE)):
                    bad.append(f"{j['name']}: chart {q} between {lo} and "
                               f"{hi} us, /api/stats {want}")
            if chart["points"] < 3 or chart["colored_pixels"] < 50:
                bad.append(f"{j['name']}: chart of {chart['points']} points"
                           f", {chart['colored_pixels']} coloured pixels")
        for what, got, want in figures:
            if got is None or not want or abs(got - want) > TOLERANCE * want:
                bad.append(f"{j['name']}: {what} {got} us, /api/stats {want}")
    return bad


def log(*args):
    print("status_cdp:", *args, file=sys.stderr, flush=True)


class Tab:
    """One page target: commands by id, events kept in order."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.waiting = {}
        self.events = []
        self.reader = asyncio.ensure_future(self.read())

    async def read(self):
        async for raw in self.ws:
            msg = json.loads(raw)
            if "id" in msg:
                fut = self.waiting.pop(msg["id"], None)
                if fut is not None and not fut.done():
                    fut.set_result(msg)
            else:
                self.events.append(msg)

    async def call(self, method, **params):
        self.next_id += 1
        fut = asyncio.get_running_loop().create_future()
        self.waiting[self.next_id] = fut
        await self.ws.send(json.dumps(
            {"id": self.next_id, "method": method, "params": params}))
        msg = await asyncio.wait_for(fut, 20)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg["result"]

    async def evaluate(self, expr, await_promise=False):
        """The value of expr, or of the promise it gives with
        await_promise."""
        r = await self.call("Runtime.evaluate", expression=expr,
                            returnByValue=True, awaitPromise=await_promise)
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate: {r['exceptionDetails']}")
        return r["result"].get("value")

    def seen(self, method):
        return any(e["method"] == method for e in self.events)


def errors_of(events):
    """What the page reported as errors, one line each."""
    out = []
    for e in events:
        p = e.get("params", {})
        if e["method"] == "Runtime.consoleAPICalled" and \
                p.get("type") in ("error", "assert"):
            out.append("console." + p["type"] + ": " + " ".join(
                str(a.get("value", a.get("description", "")))
                for a in p.get("args", [])))
        elif e["method"] == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.append("exception: " + d.get("exception", {}).get(
                "description", d.get("text", "")))
        elif e["method"] == "Log.entryAdded" and \
                p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            out.append(f"log ({entry.get('source')}): {entry.get('text')} "
                       f"{entry.get('url', '')}".rstrip())
    return out


def devtools_port(profile, deadline):
    path = os.path.join(profile, "DevToolsActivePort")
    while time.monotonic() < deadline:
        try:
            with open(path) as f:
                port = f.readline().strip()
            if port.isdigit():
                return int(port)
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no {path}: Chromium did not open DevTools")


def page_target(port, deadline):
    url = f"http://127.0.0.1:{port}/json/list"
    while time.monotonic() < deadline:
        with urllib.request.urlopen(url, timeout=5) as r:
            for t in json.load(r):
                if t.get("type") == "page" and "webSocketDebuggerUrl" in t:
                    return t["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise RuntimeError("no page target in " + url)


async def until(deadline, check):
    """Polls check() (a coroutine) every 0.25 s until it is true."""
    while time.monotonic() < deadline:
        v = await check()
        if v:
            return v
        await asyncio.sleep(0.25)
    return None


async def run(args):
    deadline = time.monotonic() + args.timeout
    port = devtools_port(args.profile, deadline)
    ws_url = page_target(port, deadline)
    async with websockets.connect(ws_url, max_size=None,
                                  ping_interval=None) as ws:
        tab = Tab(ws)
        for domain in ("Runtime", "Log", "Page"):
            await tab.call(domain + ".enable")
        await tab.call("Emulation.setDeviceMetricsOverride", width=1200,
                       height=1300, deviceScaleFactor=1, mobile=False)
        await tab.call("Page.navigate", url=args.url)

        async def loaded():
            return tab.seen("Page.loadEventFired")

        async def table_full():
            rows = await tab.evaluate(TABLE_JS)
            return rows if rows and len(rows) >= args.wait_jobs else None

        if not await until(deadline, loaded):
            raise RuntimeError("the page did not load")
        reads = [await until(deadline, table_full) or []]
        log(f"table shows {len(reads[0])} job(s)")
        await asyncio.sleep(args.gap)
        reads.append(await tab.evaluate(TABLE_JS))
        latency = []
        if args.timed:
            async def charts_drawn():
                return await tab.evaluate(CHARTS_JS) >= args.timed

            if not await until(deadline, charts_drawn):
                log(f"fewer than {args.timed} latency charts with points")
            # The job runs on: a read whose page and /api/stats saw
            # different moments is taken again once the page redrew.
            for _ in range(20):
                latency.append(await tab.evaluate(LATENCY_JS, True))
                if not latency_problems(latency[-1]):
                    break
                await asyncio.sleep(0.5)
            log(f"latency read {len(latency)} time(s)")
        run = None
        if args.finished:
            run = await tab.evaluate(RUN_JS.replace(
                "NAME", json.dumps(args.finished)), True)
            log(f"run of {args.finished}: series read in state "
                f"{run and run['series']}")
        chart = await tab.evaluate(CHART_JS)
        shot = await tab.call("Page.captureScreenshot", format="png")
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        log("screenshot in", args.screenshot)
        # Whatever the last poll logs has its moment to arrive.
        await asyncio.sleep(1)
        tab.reader.cancel()
    report = {"errors": errors_of(tab.events), "reads": reads,
              "latency": latency, "run": run,
              "latency_problems": latency_problems(latency[-1])
              if latency else []}
    report.update(chart)
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", required=True)
    ap.add_argument("--url", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--wait-jobs", type=int, default=1)
    ap.add_argument("--gap", type=float, default=2.5)
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--timed", type=int, default=0,
                    help="latency charts to wait for and check")
    ap.add_argument("--finished", default="",
                    help="a finished job whose run block to read")
    args = ap.parse_args()
    try:
        report = asyncio.run(run(args))
    except (OSError, RuntimeError, asyncio.TimeoutError,
            websockets.exceptions.WebSocketException) as e:
        log("failed:", repr(e))
        return 1
    json.dump(report, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
