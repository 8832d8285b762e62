#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""WebSocket conformance cases against wsbenchd, in the manner of
Autobahn|Testsuite: the runner plays the other side of a connection frame
by frame over a raw socket and checks what our side does.

Design:
  wire.py             frames (any, the forbidden ones too), masking, HTTP
                      heads, and a connection whose reads have a deadline;
                      every frame received is checked against what RFC 6455
                      lets that side send (masking, RSV, opcode, length form)
  steps.py            Case, and the steps a case is made of: actions (send,
                      respond, hangup, stop_job) and expectations (echo,
                      pong, close, tcp_closed, quiet, http, stat), which also
                      describe the case's expected outcome
  rules.py            the RFC rules the cases cite
  cases_server.py     1-7, 9, 10, 14: our echo and push servers
  cases_handshake.py  11: the echo server's opening handshake
  cases_client.py     12-13: our recv client, the runner as its server
  cases_deflate.py    15-16: permessage-deflate, our echo server and our
                      recv client

Targets: echo, echo-limit (--max-message 1000), push ('yo'), push-big
(--size 70000), reached after a valid opening handshake; raw-deflate, a
bare TCP connection to an echo job with --deflate; own-echo and
own-push, the same with a job started for the case (`--name sID`, for
cases that stop it); raw, a bare TCP connection to the echo job; client,
a recv job started per case (`wsbenchctl start recv ws://127.0.0.1:PORT/...
--name cID`) that connects to a port the runner listens on; only its first
connection is judged.

Cases run one after another, each within its own timeout; the whole run
within --budget seconds (cases not reached fail).  Exit 0 only when every
case passes.  Cases in EXPECTED_FAILURES are daemon bugs already reported:
they must fail (a pass is reported, so the list stays true)."""

import argparse
import base64
import json
import random
import socket
import subprocess
import sys
import time
import traceback
from contextlib import contextmanager
from typing import NamedTuple

import cases_client
import cases_deflate
import cases_handshake
import cases_server
from steps import Case, Ctx
from wire import (CaseFailed, Conn, accept_for, connect, new_key, request,
                  response)

CATEGORIES = {
    "1": "framing", "2": "ping/pong", "3": "reserved bits", "4": "opcodes",
    "5": "fragmentation", "6": "UTF-8", "7": "close", "9": "limits",
    "10": "masking, lengths", "11": "handshake (server)",
    "12": "handshake (client)", "13": "frames (client)", "14": "push",
    "15": "deflate (server)", "16": "deflate (client)",
}

# Daemon bugs found by these cases and reported, not yet fixed in src/:
# case id -> what is wrong.  Such a case counts as an expected failure.
EXPECTED_FAILURES: dict = {}


def all_cases() -> list:
    cases = sorted(cases_server.cases() + cases_handshake.cases() +
                   cases_client.cases() + cases_deflate.cases(),
                   key=lambda c: [int(n) for n in c.id.split(".")])
    seen = set()
    for c in cases:
        if c.id in seen or c.category not in CATEGORIES:
            raise SystemExit(f"runner: bad or duplicate case id {c.id}")
        seen.add(c.id)
    if unknown := set(EXPECTED_FAILURES) - seen:
        raise SystemExit(f"runner: EXPECTED_FAILURES names no case: {unknown}")
    return cases


# --- the daemon's control tool -----------------------------------------------

class Ctl:
    def __init__(self, path: str, sock: str):
        self.argv = [path, "-s", sock]

    def run(self, *args) -> str:
        try:
            p = subprocess.run(self.argv + list(args), capture_output=True,
                               text=True, timeout=5)
        except subprocess.TimeoutExpired:
            raise CaseFailed(f"wsbenchctl {' '.join(args)}: hung") from None
        if p.returncode != 0:
            raise CaseFailed(f"wsbenchctl {' '.join(args)} exited "
                             f"{p.returncode}: {p.stderr.strip()}")
        return p.stdout

    def stats(self, job: str) -> dict:
        return json.loads(self.run("-j", "stats", job))[0]


# --- targets: what a case's steps play against -------------------------------

@contextmanager
def server_target(case: Case, port: int, deadline: float, rng, job="",
                  ctl=None):
    """A connection to one of our servers, upgraded unless raw.  The push
    jobs' streams are read through a small buffer: less to skip before the
    control frame a case waits for."""
    notes, push = [], "push" in case.target
    conn = Conn(connect(port, deadline, 4096 if push else 0), True,
                deadline, rng, notes.append)
    try:
        if not case.target.startswith("raw"):
            key = new_key()
            conn.send(request(key, f"/conformance/{case.id}"))
            head = conn.read_head()
            if head is None or head.status() != 101 or \
                    head.fields.get("sec-websocket-accept") != accept_for(key):
                raise CaseFailed(f"opening handshake failed: {head}")
        yield Ctx(conn, skip_data=push, job=job, ctl=ctl, notes=notes)
    finally:
        conn.close()


@contextmanager
def own_job(ctl: Ctl, kind: str, job: str, args: tuple):
    """A job started for one case (stopped after it); yields its port."""
    try:
        out = ctl.run("start", kind, "--port", "0", "--name", job, *args)
        yield int(out.strip().rsplit(":", 1)[1])
    finally:
        try:
            ctl.run("stop", job)
        except CaseFailed:
            pass                # never started, or already stopping


def check_request(head, port: int, path: str, deflate: bool) -> list:
    """What is wrong with our client's opening request (RFC 6455 4.1);
    deflate: the job offers permessage-deflate (cases_deflate checks how)."""
    f = head.fields
    key = f.get("sec-websocket-key", "")
    problems = [] if head.first == f"GET {path} HTTP/1.1" else \
        [f"request line '{head.first}'"]
    want = {"host": f"127.0.0.1:{port}", "sec-websocket-version": "13"}
    problems += [f"{k}: {f.get(k)!r}" for k, v in want.items()
                 if f.get(k) != v]
    for name, token in (("upgrade", "websocket"), ("connection", "upgrade")):
        tokens = [t.strip().lower() for t in f.get(name, "").split(",")]
        if token not in tokens:
            problems.append(f"{name}: {f.get(name)!r}")
    try:
        ok = len(key) == 24 and \
            len(base64.b64decode(key, validate=True)) == 16
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"sec-websocket-key: {key!r}")
    offers = ("sec-websocket-protocol",) if deflate else \
        ("sec-websocket-extensions", "sec-websocket-protocol")
    return problems + [f"offers {k}" for k in offers if k in f]


@contextmanager
def client_target(case: Case, ctl: Ctl, deadline: float, rng):
    """A recv job's first connection to us, its request checked and, if
    the case says so, answered with a valid 101."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=16)
    port = listener.getsockname()[1]
    job, path = f"c{case.id}", f"/conformance/{case.id}"
    notes, conn = [], None
    try:
        ctl.run("start", "recv", f"ws://127.0.0.1:{port}{path}", "--name",
                job, *case.job_args)
        listener.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            sock, _ = listener.accept()
        except socket.timeout:
            raise CaseFailed("the recv job did not connect") from None
        conn = Conn(sock, False, deadline, rng, notes.append)
        head = conn.read_head()
        if head is None:
            raise CaseFailed("the recv job closed TCP before its request")
        deflate = any(a.startswith("--deflate") for a in case.job_args)
        if problems := check_request(head, port, path, deflate):
            raise CaseFailed("bad opening request: " + "; ".join(problems))
        key = head.fields["sec-websocket-key"]
        if case.handshake:
            conn.send(response(key))
        yield Ctx(conn, key=key, job=job, ctl=ctl, notes=notes, head=head)
    finally:
        if conn is not None:
            conn.close()
        try:
            ctl.run("stop", job)
        except CaseFailed:
            pass                # never started, or already stopping
        listener.close()


@contextmanager
def target(case: Case, opts, deadline: float, rng):
    """The Ctx of the case's target."""
    if case.target == "client":
        with client_target(case, opts.ctl, deadline, rng) as ctx:
            yield ctx
    elif case.target.startswith("own-"):
        job = f"s{case.id}"
        with own_job(opts.ctl, case.target[4:], job, case.job_args) as port, \
                server_target(case, port, deadline, rng, job,
                              opts.ctl) as ctx:
            yield ctx
    elif (port := opts.ports.get(case.target)) is not None:
        with server_target(case, port, deadline, rng) as ctx:
            yield ctx
    else:
        raise CaseFailed(f"no port given for the {case.target} job")


# --- running -----------------------------------------------------------------

class Result(NamedTuple):
    case: Case
    failed: str         # "" when every expectation held
    step: int           # the step that failed (1-based), 0 if none
    seconds: float
    notes: list

    @property
    def expected(self) -> bool:
        return self.case.id in EXPECTED_FAILURES

    @property
    def ok(self) -> bool:
        return bool(self.failed) == self.expected


def run_case(case: Case, opts) -> Result:
    t0 = time.monotonic()
    deadline = t0 + case.timeout
    rng = random.Random(case.id)
    step, notes = 0, []
    try:
        with target(case, opts, deadline, rng) as ctx:
            notes = ctx.notes
            for step, s in enumerate(case.steps, 1):
                s.run(ctx)
        failed = ""
    except CaseFailed as e:
        failed = str(e)
    except Exception:           # a runner bug: report it as the case's
        failed = "runner error: " + traceback.format_exc(limit=3)
    return Result(case, failed, step if failed else 0,
                  time.monotonic() - t0, notes)


def run_all(cases: list, opts) -> list:
    results, end = [], time.monotonic() + opts.budget
    for case in cases:
        if time.monotonic() > end:
            results.append(Result(case, f"not run: the {opts.budget} s "
                                  "budget was spent", 0, 0.0, []))
            continue
        r = run_case(case, opts)
        if opts.verbose:
            print(f"{case.id:10} {'ok  ' if r.ok else 'FAIL'} "
                  f"{r.seconds:6.3f}s {case.desc}", flush=True)
        results.append(r)
    return results


# --- reporting ---------------------------------------------------------------

def summary(results: list, seconds: float) -> str:
    rows = []
    for cat, name in CATEGORIES.items():
        mine = [r for r in results if r.case.category == cat]
        if mine:
            rows.append((f"{cat} {name}", len(mine),
                         sum(r.ok and not r.expected for r in mine),
                         sum(not r.ok for r in mine),
                         sum(r.ok and r.expected for r in mine)))
    total = ("total", *(sum(r[i] for r in rows) for i in range(1, 5)))
    line = "{:<24} {:>6} {:>7} {:>7} {:>7}"
    out = [line.format("category", "cases", "passed", "failed", "xfail")]
    out += [line.format(*r) for r in rows + [total]]
    out.append(f"{len(results)} cases in {seconds:.1f} s")
    return "\n".join(out)


def rfc(rule: str) -> str:
    """RFC 6455's, unless the rule names its RFC."""
    return rule if rule.startswith("RFC ") else f"RFC 6455 {rule}"


def details(r: Result) -> str:
    c = r.case
    if r.expected and not r.failed:
        what = ("passed, but is listed as an expected failure: remove it "
                "from EXPECTED_FAILURES (" + EXPECTED_FAILURES[c.id] + ")")
    else:
        what = f"step {r.step}: {r.failed}" if r.step else r.failed
    lines = [f"FAIL {c.id} [{c.target}] {c.desc}",
             f"     rule:     {rfc(c.rule)}",
             f"     expected: {c.expectation()}",
             f"     got:      {what}"]
    lines += [f"     note:     {n}" for n in r.notes]
    return "\n".join(lines)


def listing(cases: list) -> str:
    out = []
    for c in cases:
        out += [f"{c.id} [{c.target}] {c.desc}",
                f"    rule:   {rfc(c.rule)}",
                f"    expect: {c.expectation()}"]
        if c.id in EXPECTED_FAILURES:
            out.append(f"    KNOWN DAEMON BUG: {EXPECTED_FAILURES[c.id]}")
    return "\n".join(out)


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--list", action="store_true",
                   help="print every case: id, target, rule, expectation")
    p.add_argument("--case", action="append", default=[], metavar="ID",
                   help="run only case ID, or the cases under ID "
                        "(6.3 runs 6.3.*); repeatable")
    for name in ("echo", "echo-limit", "push", "push-big", "echo-deflate"):
        p.add_argument(f"--{name}", type=int, metavar="PORT",
                       help=f"port of the {name} job")
    p.add_argument("--ctl", help="path of wsbenchctl")
    p.add_argument("--socket", help="the daemon's control socket")
    p.add_argument("--budget", type=float, default=120.0, metavar="S",
                   help="seconds for the whole run (default 120)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="a line per case as it ends")
    return p.parse_args(argv)


def main(argv=None) -> int:
    opts = parse_args(argv)
    cases = all_cases()
    if opts.case:
        cases = [c for c in cases if any(c.id == i or c.id.startswith(i + ".")
                                         for i in opts.case)]
        if not cases:
            print(f"runner: no case matches {' '.join(opts.case)}",
                  file=sys.stderr)
            return 2
    if opts.list:
        print(listing(cases))
        return 0
    ports = {"echo": opts.echo, "echo-limit": opts.echo_limit,
             "push": opts.push, "push-big": opts.push_big, "raw": opts.echo,
             "raw-deflate": opts.echo_deflate}
    opts.ports = {k: v for k, v in ports.items() if v is not None}
    opts.ctl = Ctl(opts.ctl, opts.socket) if opts.ctl and opts.socket else None
    if opts.ctl is None and any(c.target in ("client", "own-echo",
                                             "own-push") for c in cases):
        print("runner: client and own-* cases need --ctl and --socket",
              file=sys.stderr)
        return 2
    t0 = time.monotonic()
    results = run_all(cases, opts)
    print(summary(results, time.monotonic() - t0))
    bad = [r for r in results if not r.ok]
    for r in bad:
        print(details(r))
    for r in results:
        if r.expected and r.ok:
            print(f"xfail {r.case.id}: {EXPECTED_FAILURES[r.case.id]}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
