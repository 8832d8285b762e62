#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Benchmark wsbench against the loopback ceiling and against peers.

For each case (a message and a number of connections) each system below
is set up alone on the machine, measured for one window and torn down --
processes are killed by PID and waited for -- before the next one starts.
The systems take turns in rounds (ceiling, wsbench, ..., then ceiling,
wsbench, ... again), --samples rounds, so that a change in the machine's
load falls on all of them rather than on whichever ran at the time:

  ceiling     bench/limit write -> bench/limit read: plain sockets, no
              WebSocket library, the rate nothing on these sockets beats
  wsbench     one wsbenchd holding a push job and a recv job
  wsbench-2d  two wsbenchd, the push job in one, the recv job in the other
  push-alone  a wsbenchd push job -> limit read --handshake
  recv-alone  limit write --handshake -> a wsbenchd recv job
  node        bench/peers/node push.js -> recv.js (the ws package)
  python      bench/peers/python push.py -> recv.py (websockets)

Cases: yo1 ("yo", 1 connection), kib1 (1024 bytes, 1 connection), yo100
("yo", 100 connections) and yo10k ("yo", 5000 client connections to 5000
server connections, 10,000 sockets in the daemon of the wsbench system).
With permessage-deflate, run by wsbench and wsbench-2d only: yo1z (the
push job --deflate, the recv job offering context takeover, so push
compresses every copy) and yo1zn (the recv job offering
server_no_context_takeover, so push sends one precompressed frame); the
report compares them with yo1: rate and CPU time per message.

Once every connection is up, the driver waits --warmup seconds, then
takes two readings --duration seconds apart of the receiving side's
totals: messages and wire bytes received, from the lines that limit read
and the peer clients print every half second (with their own
CLOCK_MONOTONIC time), or from `wsbenchctl -j stats` (timed around the
call).  Each round's window gives a rate; a system's rate is the median
over the rounds.  Its ratio to the ceiling is the median of the paired
ratios (a round's rate over the same round's ceiling), shown with their
spread (min-max), and the targets are judged on that median.  With each
reading the driver also sums the CPU time of the system's processes
(/proc/PID/stat), giving CPU seconds per million messages, and the
largest over the rounds of the sum of their peak resident sizes (VmHWM).
For wsbench in yo10k it also records, in the last round, the daemon's
resident size per connection and the latency of the control socket and
of the metrics endpoint under load.

The results go to a table on standard output, with PASS/FAIL for the
project's targets, and to a JSON file.  The exit status is 0 whatever the
targets say; it is not 0 only when the driver itself fails.
"""

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

SYSTEMS = ["ceiling", "wsbench", "wsbench-2d", "push-alone", "recv-alone",
           "node", "python"]
PEERS = ("node", "python")
CASES = {
    "yo1": (["--msg", "yo"], 1),
    "kib1": (["--size", "1024"], 1),
    "yo100": (["--msg", "yo"], 100),
    "yo10k": (["--msg", "yo"], 5000),
    "yo1z": (["--msg", "yo"], 1),
    "yo1zn": (["--msg", "yo"], 1),
}
# The deflate cases: what the recv job offers (the push job has --deflate).
DEFLATE = {"yo1z": "client_max_window_bits",
           "yo1zn": "server_no_context_takeover"}
DEFLATE_SYSTEMS = ("wsbench", "wsbench-2d")
PEER_MAX_CONNECTIONS = 100
UP_TIMEOUT = 30          # seconds for every connection of a system
START_TIMEOUT = 15       # seconds for a daemon or a server to listen
STOP_TIMEOUT = 10        # seconds between SIGTERM and SIGKILL
PYTHON = "/usr/bin/python3"
CLK_TCK = os.sysconf("SC_CLK_TCK")


class Failure(Exception):
    """A system could not be set up or measured."""


class Skip(Exception):
    """A system cannot run here, or not in this case."""


class Interrupted(Exception):
    """The driver got SIGTERM or SIGINT."""


# -- processes --------------------------------------------------------------

class Proc:
    """A child process, its standard output and error in files."""

    def __init__(self, label, argv, workdir):
        self.label = label
        self.argv = argv
        self.out = os.path.join(workdir, label + ".out")
        self.err = os.path.join(workdir, label + ".err")
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                          stdout=out, stderr=err)
        self.pid = self.popen.pid

    def alive(self):
        return self.popen.poll() is None

    def stop(self):
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(STOP_TIMEOUT)
                return
            except subprocess.TimeoutExpired:
                self.popen.kill()
        self.popen.wait()

    def stderr_tail(self, lines=8):
        return tail(self.err, lines)


def tail(path, lines):
    try:
        with open(path, "rb") as f:
            f.seek(max(0, os.path.getsize(path) - 4096))
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class Setup:
    """The processes of one system under test, stopped in reverse order."""

    def __init__(self, workdir, label):
        self.workdir = os.path.join(workdir, label)
        os.makedirs(self.workdir)
        self.procs = []

    def spawn(self, label, argv):
        proc = Proc(label, argv, self.workdir)
        self.procs.append(proc)
        return proc

    def pids(self):
        return [p.pid for p in self.procs]

    def check_alive(self):
        for p in self.procs:
            if not p.alive():
                raise Failure("%s exited with status %s"
                              % (p.label, p.popen.returncode))

    def teardown(self):
        # A second signal must not leave a process behind: it waits until
        # all are stopped.
        stopping = {signal.SIGTERM, signal.SIGINT}
        signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
        try:
            for p in reversed(self.procs):
                p.stop()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, stopping)

    def stderr_tails(self):
        return {p.label: p.stderr_tail() for p in self.procs
                if p.stderr_tail()}

    def commands(self):
        return [p.argv for p in self.procs]


def wait_until(what, ready, timeout, setup):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        setup.check_alive()
        if ready():
            return
        time.sleep(0.05)
    raise Failure("%s: not within %d s" % (what, timeout))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def wait_listening(setup, port):
    wait_until("server on port %d" % port, lambda: listening(port),
               START_TIMEOUT, setup)


# -- readings ---------------------------------------------------------------

def last_line_reading(path):
    """The last complete "<t> <messages> <bytes>" line of path, or None."""
    with open(path, "rb") as f:
        f.seek(max(0, os.path.getsize(path) - 4096))
        lines = f.read().split(b"\n")[:-1]
    for line in reversed(lines):
        fields = line.split()
        try:
            return float(fields[0]), int(fields[1]), int(fields[2])
        except (IndexError, ValueError):
            continue
    return None


def line_reader(proc):
    def read():
        reading = last_line_reading(proc.out)
        if reading is None:
            raise Failure("%s printed no reading" % proc.label)
        return reading
    return read


def wait_first_line(setup, proc):
    wait_until("first line of %s" % proc.label,
               lambda: last_line_reading(proc.out) is not None,
               UP_TIMEOUT, setup)


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        # Fields 14 and 15 (utime, stime), counted after the command name,
        # which may hold spaces and ends at the last ')'.
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def status_kib(pid, key):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


# -- wsbenchd ---------------------------------------------------------------

class Env:
    """Paths of the programs under test and the driver's scratch space."""

    def __init__(self, opts, workdir):
        self.opts = opts
        self.workdir = workdir
        self.wsbenchd = os.path.join(opts.build, "src", "wsbenchd")
        self.wsbenchctl = os.path.join(opts.build, "src", "wsbenchctl")
        self.limit = os.path.join(opts.build, "bench", "limit")
        self.peers = os.path.join(opts.srcdir, "bench", "peers")
        self.peer_checked = {}

    def ctl(self, sock, *args, timeout=30):
        cp = subprocess.run([self.wsbenchctl, "-s", sock, *args],
                            stdin=subprocess.DEVNULL, capture_output=True,
                            text=True, timeout=timeout)
        if cp.returncode != 0:
            raise Failure("wsbenchctl %s: %s" % (" ".join(args),
                                                 cp.stderr.strip()))
        return cp.stdout

    def ctl_ok(self, sock, *args):
        try:
            self.ctl(sock, *args, timeout=5)
            return True
        except (Failure, subprocess.TimeoutExpired):
            return False

    def stats(self, sock, job):
        for entry in json.loads(self.ctl(sock, "-j", "stats", job)):
            if entry["name"] == job:
                return entry
        raise Failure("no job %s in stats" % job)


class Daemon:
    def __init__(self, env, setup, label):
        self.sock = os.path.join(setup.workdir, label + ".sock")
        self.mport = free_port()
        self.proc = setup.spawn(label, [
            env.wsbenchd, "-f", "/dev/null", "-s", self.sock,
            "-m", "127.0.0.1:%d" % self.mport])
        wait_until("%s control socket" % label,
                   lambda: env.ctl_ok(self.sock, "version"),
                   START_TIMEOUT, setup)
        self.idle_rss_kib = status_kib(self.proc.pid, "VmRSS")


def start_push_job(env, daemon, case):
    """Starts the push job on a port the system picks; returns the port."""
    msg_args, _ = CASES[case]
    if case in DEFLATE:
        msg_args = msg_args + ["--deflate"]
    out = env.ctl(daemon.sock, "start", "push", *msg_args, "--port", "0",
                  "--name", "push")
    # "started push: push 127.0.0.1:PORT"
    return int(out.split()[-1].rsplit(":", 1)[1])


def start_recv_job(env, setup, daemon, port, conns, offer=None):
    deflate = ["--deflate-offer", offer] if offer is not None else []
    env.ctl(daemon.sock, "start", "recv", "ws://127.0.0.1:%d/" % port,
            "--connections", str(conns), "--name", "recv", *deflate)
    wait_until("%d recv connections" % conns,
               lambda: env.stats(daemon.sock, "recv")["connections"]
               == conns, UP_TIMEOUT, setup)


def ctl_reader(env, daemon):
    def read():
        t0 = time.monotonic()
        st = env.stats(daemon.sock, "recv")
        t1 = time.monotonic()
        return (t0 + t1) / 2, st["messages_received"], st["bytes_received"]
    return read


# -- the systems ------------------------------------------------------------
# Each start_* function sets a system up in setup until every connection is
# up, and returns a function taking a reading and the daemon to probe (or
# None).

def start_limit_read(env, setup, port, conns, handshake):
    argv = [env.limit, "read", "--port", str(port), "--connections",
            str(conns)] + (["--handshake"] if handshake else [])
    reader = setup.spawn("limit-read", argv)
    wait_first_line(setup, reader)
    return line_reader(reader)


def start_limit_write(env, setup, case, handshake):
    port = free_port()
    argv = [env.limit, "write", "--port", str(port)] + CASES[case][0]
    setup.spawn("limit-write", argv + (["--handshake"] if handshake else []))
    wait_listening(setup, port)
    return port


def start_ceiling(env, setup, case):
    port = start_limit_write(env, setup, case, False)
    return start_limit_read(env, setup, port, CASES[case][1], False), None


def start_wsbench(env, setup, case):
    daemon = Daemon(env, setup, "wsbenchd")
    port = start_push_job(env, daemon, case)
    start_recv_job(env, setup, daemon, port, CASES[case][1],
                   DEFLATE.get(case))
    return ctl_reader(env, daemon), daemon


def start_wsbench_2d(env, setup, case):
    pusher = Daemon(env, setup, "wsbenchd-push")
    receiver = Daemon(env, setup, "wsbenchd-recv")
    port = start_push_job(env, pusher, case)
    start_recv_job(env, setup, receiver, port, CASES[case][1],
                   DEFLATE.get(case))
    return ctl_reader(env, receiver), None


def start_push_alone(env, setup, case):
    daemon = Daemon(env, setup, "wsbenchd")
    port = start_push_job(env, daemon, case)
    return start_limit_read(env, setup, port, CASES[case][1], True), None


def start_recv_alone(env, setup, case):
    port = start_limit_write(env, setup, case, True)
    daemon = Daemon(env, setup, "wsbenchd")
    start_recv_job(env, setup, daemon, port, CASES[case][1])
    return ctl_reader(env, daemon), None


def peer_command(env, lang, script):
    path = os.path.join(env.peers, lang, script)
    return ["node", path] if lang == "node" else [PYTHON, path]


def check_node(env):
    if shutil.which("node") is None:
        raise Skip("node not found")
    peer_dir = os.path.join(env.peers, "node")
    for script in ("push.js", "recv.js"):
        if not os.path.exists(os.path.join(peer_dir, script)):
            raise Skip("%s/%s missing" % (peer_dir, script))
    if os.path.isdir(os.path.join(peer_dir, "node_modules")):
        return
    try:
        cp = subprocess.run(["npm", "ci", "--prefix", peer_dir, "--no-audit",
                             "--no-fund"], stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Skip("npm ci: %s" % e)
    if cp.returncode != 0:
        raise Skip("npm ci failed: %s" % cp.stderr.strip()[-500:])


def check_python(env):
    peer_dir = os.path.join(env.peers, "python")
    for script in ("push.py", "recv.py"):
        if not os.path.exists(os.path.join(peer_dir, script)):
            raise Skip("%s/%s missing" % (peer_dir, script))
    cp = subprocess.run([PYTHON, "-c", "import websockets"],
                        stdin=subprocess.DEVNULL, capture_output=True,
                        text=True)
    if cp.returncode != 0:
        raise Skip("%s cannot import websockets" % PYTHON)


def check_peer(env, lang):
    """Checks once per run whether the peer can run; raises Skip if not."""
    if lang not in env.peer_checked:
        try:
            (check_node if lang == "node" else check_python)(env)
            env.peer_checked[lang] = None
        except Skip as e:
            env.peer_checked[lang] = str(e)
    if env.peer_checked[lang] is not None:
        raise Skip(env.peer_checked[lang])


def start_peer(env, setup, case, lang):
    msg_args, conns = CASES[case]
    if conns > PEER_MAX_CONNECTIONS:
        raise Skip("peers run up to %d connections" % PEER_MAX_CONNECTIONS)
    check_peer(env, lang)
    ext = ".js" if lang == "node" else ".py"
    port = free_port()
    setup.spawn(lang + "-push", peer_command(env, lang, "push" + ext)
                + ["--port", str(port)] + msg_args)
    wait_listening(setup, port)
    client = setup.spawn(lang + "-recv", peer_command(env, lang, "recv" + ext)
                         + ["--url", "ws://127.0.0.1:%d/" % port,
                            "--connections", str(conns)])
    wait_first_line(setup, client)
    return line_reader(client), None


STARTERS = {
    "ceiling": start_ceiling,
    "wsbench": start_wsbench,
    "wsbench-2d": start_wsbench_2d,
    "push-alone": start_push_alone,
    "recv-alone": start_recv_alone,
    "node": lambda env, setup, case: start_peer(env, setup, case, "node"),
    "python": lambda env, setup, case: start_peer(env, setup, case,
                                                  "python"),
}


# -- measuring --------------------------------------------------------------

def sleep_until(t):
    delay = t - time.monotonic()
    if delay > 0:
        time.sleep(delay)


def window(first, last):
    """The rates of one window between two (reading, cpu seconds) pairs."""
    (t0, m0, b0), c0 = first
    (t1, m1, b1), c1 = last
    if t1 <= t0 or m1 < m0:
        raise Failure("readings went nowhere: %r then %r"
                      % (first[0], last[0]))
    msgs = m1 - m0
    return {
        "seconds": t1 - t0, "messages": msgs, "bytes": b1 - b0,
        "cpu_seconds": c1 - c0,
        "messages_per_s": msgs / (t1 - t0),
        "bytes_per_s": (b1 - b0) / (t1 - t0),
        "cpu_s_per_million": (c1 - c0) / (msgs / 1e6) if msgs else None,
    }


def measure(opts, setup, read):
    """One window of the system, after the warm-up."""
    time.sleep(opts.warmup)
    base = time.monotonic()
    points = []
    for i in range(2):
        sleep_until(base + i * opts.duration)
        setup.check_alive()
        points.append((read(), cpu_seconds(setup.pids())))
    return [window(a, b) for a, b in zip(points, points[1:])]


def median_of(samples, key):
    values = [s[key] for s in samples if s[key] is not None]
    return statistics.median(values) if values else None


def summarize(rounds):
    """A system's result from its rounds, each one window ("samples"
    keeps them in round order, for the pairing with the ceiling)."""
    samples = [r["samples"][0] for r in rounds]
    result = {
        "status": "ok",
        "messages_per_s": median_of(samples, "messages_per_s"),
        "bytes_per_s": median_of(samples, "bytes_per_s"),
        "cpu_s_per_million": median_of(samples, "cpu_s_per_million"),
        "peak_rss_mib": max(r["peak_rss_mib"] for r in rounds),
        "samples": samples,
        "commands": rounds[-1]["commands"],
    }
    if "probe" in rounds[-1]:
        result["probe"] = rounds[-1]["probe"]
    return result


def timed_ms(action, times=5):
    """Wall times of action in ms; a failed call is kept as an error."""
    result, errors = [], []
    for _ in range(times):
        t0 = time.monotonic()
        try:
            action()
        except (Failure, OSError, subprocess.SubprocessError) as e:
            errors.append(str(e) or type(e).__name__)
            continue
        result.append((time.monotonic() - t0) * 1000)
    return {"median": statistics.median(result) if result else None,
            "max": max(result) if result else None,
            "all": result, "errors": errors}


def fetch_metrics(port):
    url = "http://127.0.0.1:%d/metrics" % port
    with urllib.request.urlopen(url, timeout=10) as resp:
        resp.read()


def probe_daemon(env, daemon, sockets):
    """Memory per connection and control latencies, under load."""
    rss = status_kib(daemon.proc.pid, "VmRSS")
    return {
        "sockets": sockets,
        "daemon_rss_kib": rss,
        "daemon_idle_rss_kib": daemon.idle_rss_kib,
        "rss_per_connection_kib": rss / sockets,
        "rss_per_connection_over_idle_kib":
            (rss - daemon.idle_rss_kib) / sockets,
        "control_latency_ms": timed_ms(
            lambda: env.ctl(daemon.sock, "stats", timeout=10)),
        "metrics_latency_ms": timed_ms(lambda: fetch_metrics(daemon.mport)),
    }


def run_system(env, case, system, rnd):
    """Sets one system up, measures one window of it (round rnd) and
    tears it down; never raises but for Interrupted."""
    setup = Setup(env.workdir, "%s-%s-%d" % (case, system, rnd))
    try:
        if case in DEFLATE and system not in DEFLATE_SYSTEMS:
            raise Skip("permessage-deflate cases run %s only"
                       % " and ".join(DEFLATE_SYSTEMS))
        read, daemon = STARTERS[system](env, setup, case)
        samples = measure(env.opts, setup, read)
        result = {"status": "ok", "samples": samples, "peak_rss_mib": sum(
            status_kib(pid, "VmHWM") for pid in setup.pids()) / 1024}
        if system == "wsbench" and case == "yo10k" and \
                rnd == env.opts.samples - 1:
            result["probe"] = probe_daemon(env, daemon, 2 * CASES[case][1])
    except Skip as e:
        result = {"status": "skipped", "reason": str(e)}
    except (Failure, OSError, ValueError, KeyError,
            subprocess.SubprocessError) as e:
        result = {"status": "error", "error": str(e) or type(e).__name__,
                  "stderr_tail": setup.stderr_tails()}
    finally:
        setup.teardown()
    result["commands"] = setup.commands()
    return result


# -- reporting --------------------------------------------------------------

def rate(results, case, system, key="messages_per_s"):
    r = results.get(case, {}).get(system, {})
    return r.get(key) if r.get("status") == "ok" else None


def ratio(a, b):
    return a / b if a is not None and b else None


def best_peer(results, case):
    rates = [rate(results, case, p) for p in PEERS]
    rates = [r for r in rates if r is not None]
    return max(rates) if rates else None


def paired(results, case, system, key="messages_per_s"):
    """The ratios of a system's rounds to the same rounds' ceiling."""
    if rate(results, case, system) is None or \
            rate(results, case, "ceiling") is None:
        return []
    return [ratio(a[key], c[key]) for a, c in zip(
        results[case][system]["samples"],
        results[case]["ceiling"]["samples"])]


def paired_median(results, case, system, key="messages_per_s"):
    ratios = [x for x in paired(results, case, system, key) if x is not None]
    return statistics.median(ratios) if ratios else None


def add_ratios(results):
    for case, systems in results.items():
        peer = best_peer(results, case)
        for system, r in systems.items():
            ratios = [x for x in paired(results, case, system)
                      if x is not None]
            if ratios:
                r["x_ceiling"] = statistics.median(ratios)
                r["x_ceiling_min"], r["x_ceiling_max"] = min(ratios), \
                    max(ratios)
            if r["status"] == "ok":
                r["x_best_peer"] = ratio(r["messages_per_s"], peer)
            if r["status"] == "ok" and case in DEFLATE:
                # What compression costs: against the same system on yo1.
                r["x_plain"] = ratio(r["messages_per_s"],
                                     rate(results, "yo1", system))
                r["cpu_x_plain"] = ratio(r["cpu_s_per_million"], rate(
                    results, "yo1", system, "cpu_s_per_million"))


def probe(results, key):
    r = results.get("yo10k", {}).get("wsbench", {})
    p = r.get("probe") if r.get("status") == "ok" else None
    return p and (p[key] if key in p else None)


def max_latency(results):
    """The worst latency in ms; infinite if a call failed."""
    ctl, metrics = probe(results, "control_latency_ms"), probe(
        results, "metrics_latency_ms")
    if not ctl or not metrics:
        return None
    if ctl["errors"] or metrics["errors"]:
        return float("inf")
    return max(ctl["max"], metrics["max"])


def target(desc, value, threshold, at_most=False):
    if value is None:
        ok = None
    else:
        ok = value <= threshold if at_most else value >= threshold
    return {"target": desc, "value": value if value != float("inf")
            else "failed call", "threshold": threshold, "at_most": at_most,
            "pass": ok}


def targets(results):
    ws_yo1 = rate(results, "yo1", "wsbench")
    return [
        target("yo1 wsbench >= 0.30 x ceiling",
               paired_median(results, "yo1", "wsbench"), 0.30),
        target("yo1 wsbench >= 100 x best peer",
               ratio(ws_yo1, best_peer(results, "yo1")), 100),
        target("yo1 push-alone >= 0.50 x ceiling",
               paired_median(results, "yo1", "push-alone"), 0.50),
        target("yo1 recv-alone >= 0.50 x ceiling",
               paired_median(results, "yo1", "recv-alone"), 0.50),
        target("kib1 wsbench bytes/s >= 0.60 x ceiling bytes/s",
               paired_median(results, "kib1", "wsbench", "bytes_per_s"),
               0.60),
        target("yo100 wsbench >= 0.80 x yo1 wsbench",
               ratio(rate(results, "yo100", "wsbench"), ws_yo1), 0.80),
        target("yo10k wsbench RSS per connection <= 16 KiB",
               probe(results, "rss_per_connection_kib"), 16, True),
        target("yo10k control and /metrics max latency <= 100 ms",
               max_latency(results), 100, True),
    ]


def fmt(value, spec):
    return "-" if value is None else format(value, spec)


def table_row(case, system, r):
    if r["status"] != "ok":
        note = r.get("reason") or r.get("error")
        for label, text in r.get("stderr_tail", {}).items():
            note += "; %s: %s" % (label, text.splitlines()[-1])
        return "%-6s %-11s %s: %s" % (case, system, r["status"], note)
    return "%-6s %-11s %15s %10s %10s %9s %9s %13s %11s" % (
        case, system, fmt(r["messages_per_s"], ",.0f"),
        fmt(r["bytes_per_s"] and r["bytes_per_s"] / 1e6, ".1f"),
        fmt(r["cpu_s_per_million"], ".4f"), fmt(r["peak_rss_mib"], ".1f"),
        fmt(r.get("x_ceiling"), ".3f"), spread_text(r),
        fmt(r.get("x_best_peer"), ".1f"))


def spread_text(r):
    if r.get("x_ceiling_min") is None:
        return "-"
    return "%.3f-%.3f" % (r["x_ceiling_min"], r["x_ceiling_max"])


def print_noise(results):
    """How much the ceiling itself moved from round to round: the noise
    of the machine during the run."""
    parts = []
    for case in results:
        c = results[case].get("ceiling", {})
        rates = [s["messages_per_s"] for s in c.get("samples", [])]
        if c.get("status") == "ok" and len(rates) > 1:
            parts.append("%s %.0f%%" % (case, 100 * (max(rates) - min(
                rates)) / statistics.median(rates)))
    if parts:
        print("\nthe ceiling's own spread, (max - min) / median over the "
              "rounds: " + ", ".join(parts))


def latency_text(what, lat):
    text = "%s median %s ms max %s ms" % (what, fmt(lat["median"], ".1f"),
                                          fmt(lat["max"], ".1f"))
    if lat["errors"]:
        text += " (%d of 5 failed: %s)" % (len(lat["errors"]),
                                           lat["errors"][0])
    return text


def print_probe(results):
    print("\nyo10k wsbench under load: %.2f KiB RSS per connection, "
          "%.2f KiB over the idle daemon's (%d sockets)" % (
              probe(results, "rss_per_connection_kib"),
              probe(results, "rss_per_connection_over_idle_kib"),
              probe(results, "sockets")))
    print("  " + latency_text("wsbenchctl stats",
                              probe(results, "control_latency_ms")))
    print("  " + latency_text("GET /metrics",
                              probe(results, "metrics_latency_ms")))


def print_deflate(results):
    rows = [(case, system, r) for case, systems in results.items()
            if case in DEFLATE for system, r in systems.items()
            if r["status"] == "ok"]
    if not rows:
        return
    print("\npermessage-deflate against yo1 (plain), same system:")
    for case, system, r in rows:
        print("  %-6s %-11s offer %-27s msgs/s x %s, CPU s/M x %s" % (
            case, system, DEFLATE[case], fmt(r.get("x_plain"), ".3f"),
            fmt(r.get("cpu_x_plain"), ".2f")))


def print_table(results, goals):
    print("%-6s %-11s %15s %10s %10s %9s %9s %13s %11s" % (
        "case", "system", "msgs/s", "MB/s", "CPU s/M", "RSS MiB",
        "x ceiling", "min-max", "x best peer"))
    for case, systems in results.items():
        for system, r in systems.items():
            print(table_row(case, system, r))
    print_noise(results)
    if probe(results, "control_latency_ms"):
        print_probe(results)
    print_deflate(results)
    print("\ntargets")
    for i, g in enumerate(goals, 1):
        verdict = {True: "PASS", False: "FAIL", None: "N/A "}[g["pass"]]
        value = g["value"]
        if not isinstance(value, str):
            value = fmt(value, ".3f")
        print("  %d. %s  %s  (%s)" % (i, verdict, g["target"], value))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def git_describe(srcdir):
    try:
        cp = subprocess.run(["git", "-C", srcdir, "describe", "--always",
                             "--dirty", "--tags"], capture_output=True,
                            text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return cp.stdout.strip() if cp.returncode == 0 else None


def machine_info(opts):
    u = os.uname()
    return {
        "nproc": os.cpu_count(),
        "kernel": "%s %s %s" % (u.sysname, u.release, u.machine),
        "cpu_model": cpu_model(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec="seconds"),
        "git_describe": git_describe(opts.srcdir),
        "nofile_limit": resource.getrlimit(resource.RLIMIT_NOFILE)[0],
    }


def write_json(opts, info, results, goals, interrupted, config=None):
    """Writes the run's record to opts.out; config adds a driver's own
    settings to the common ones."""
    doc = {
        "machine": info,
        "config": {"duration": opts.duration, "samples": opts.samples,
                   "warmup": opts.warmup, "cases": opts.cases,
                   "systems": opts.systems, "build": opts.build,
                   "srcdir": opts.srcdir, **(config or {})},
        "results": results,
        "targets": goals,
        "interrupted": interrupted,
    }
    os.makedirs(os.path.dirname(os.path.abspath(opts.out)), exist_ok=True)
    with open(opts.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


# -- driver -----------------------------------------------------------------

def names(text, known, what):
    chosen = [n for n in text.split(",") if n]
    for n in chosen:
        if n not in known:
            raise argparse.ArgumentTypeError("unknown %s %r (known: %s)"
                                             % (what, n, ",".join(known)))
    return chosen


def bench_args(doc, cases, systems, out, duration, warmup, quick_warmup,
               warmup_positive=False):
    """The options of a bench driver (this one, latency.py), parsed: the
    build, the rounds and their windows, the cases and systems."""
    ap = argparse.ArgumentParser(description=doc.split("\n")[0])
    ap.add_argument("--build", required=True, help="the build directory")
    ap.add_argument("--srcdir", required=True, help="the source directory")
    ap.add_argument("--out", help="JSON output (BUILD/bench/%s)" % out)
    ap.add_argument("--duration", type=float, default=duration)
    ap.add_argument("--samples", type=int, default=3,
                    help="rounds: one window of each system a round")
    ap.add_argument("--warmup", type=float, default=warmup)
    ap.add_argument("--cases", default=",".join(cases),
                    type=lambda s: names(s, list(cases), "case"))
    ap.add_argument("--systems", default=",".join(systems),
                    type=lambda s: names(s, systems, "system"))
    ap.add_argument("--quick", action="store_true",
                    help="a smoke run: --duration 1 --samples 1 --warmup %g"
                    % quick_warmup)
    opts = ap.parse_args()
    if opts.quick:
        opts.duration, opts.samples, opts.warmup = 1, 1, quick_warmup
    bad_warmup = opts.warmup <= 0 if warmup_positive else opts.warmup < 0
    if opts.duration <= 0 or opts.samples < 1 or bad_warmup:
        ap.error("need --duration > 0, --samples >= 1, --warmup %s"
                 % ("> 0" if warmup_positive else ">= 0"))
    opts.out = opts.out or os.path.join(opts.build, "bench", out)
    return opts


def parse_args():
    return bench_args(__doc__, CASES, SYSTEMS, "results.json", 5, 2, 1)


def raise_nofile():
    """10,000 sockets in one process need more than the usual 1024."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 65536:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (65536, 65536))
            return
        except (ValueError, OSError):
            pass
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def check_programs(env):
    for path in (env.wsbenchd, env.wsbenchctl, env.limit):
        if not os.access(path, os.X_OK):
            sys.exit("run.py: %s: not an executable; build first" % path)


def progress(case, system, rnd, r):
    if r["status"] == "ok":
        note = "%.0f msgs/s" % r["samples"][0]["messages_per_s"]
    else:
        note = "%s: %s" % (r["status"], r.get("reason") or r.get("error"))
    print("run.py: %s round %d %s: %s" % (case, rnd + 1, system, note),
          file=sys.stderr, flush=True)


def run_case(env, case):
    """The systems in turn, round after round; one that is skipped or
    fails in a round is not run again."""
    rounds = {system: [] for system in env.opts.systems}
    done = {}
    for rnd in range(env.opts.samples):
        for system in env.opts.systems:
            if system in done:
                continue
            r = run_system(env, case, system, rnd)
            progress(case, system, rnd, r)
            if r["status"] == "ok":
                rounds[system].append(r)
            else:
                done[system] = r
    return {system: done.get(system) or summarize(rounds[system])
            for system in env.opts.systems}


def run_all(env, results):
    for case in env.opts.cases:
        results[case] = run_case(env, case)


def main():
    opts = parse_args()
    raise_nofile()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    info = machine_info(opts)
    results, interrupted = {}, False
    with tempfile.TemporaryDirectory(prefix="wsbench-run.") as workdir:
        env = Env(opts, workdir)
        check_programs(env)
        try:
            run_all(env, results)
        except Interrupted as e:
            print("run.py: interrupted by %s" % e, file=sys.stderr)
            interrupted = True
    add_ratios(results)
    goals = targets(results)
    write_json(opts, info, results, goals, interrupted)
    print_table(results, goals)
    print("\nresults written to %s" % opts.out)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
