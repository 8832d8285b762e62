#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""Benchmark wsbench's round trips and echo rate against the loopback floor.

The same method as bench/run.py, whose pieces it uses: each system below
is set up alone, measured for one window and torn down, the systems
taking turns in --samples rounds, and a ratio to the floor is the median
of the paired ratios (a round's figure over the same round's floor), with
their spread (min-max).  Every message is --size 64 bytes, binary,
stamped (src/stamp.h) and timed from its due time on a fixed timetable
(src/pace.h), so that a sender held back shows its wait as latency:

  floor             bench/floor rtt -> bench/floor echo: plain sockets,
                    no WebSocket, the least any round trip can take
  wsbench           a send job -> an echo job, in one wsbenchd
  wsbench-notiming  the same, send --no-timing: what timing costs
  echo-alone        bench/floor rtt --handshake -> a wsbenchd echo job
  node              bench/peers/node rtt.js -> echo.js (the ws package)

Cases: rtt1k (1 connection, 1,000 messages a second), max1 and max100
(--rate 0: as fast as the socket takes them, on 1 and 100 connections)
and rtthalf (1 connection at half of the echo's maximum rate, as max1
measured it: send -> echo, or the echo alone if send could not run).

After --warmup seconds the driver starts the latency window (wsbenchctl
latency send --reset; the clients start theirs themselves, --warmup) and
takes two readings of the echoes received --duration seconds apart; the
window's p50, p99 and max come from `wsbenchctl stats -j send` ("latency"
object, window) or from the client's last line.  A system's figure is
the median over the rounds.

The results go to a table on standard output, with PASS/FAIL for the
project's targets, and to a JSON file.  The exit status is 0 whatever the
targets say.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import run  # noqa: E402 (bench/run.py, beside this file)
from run import Failure, Skip  # noqa: E402

SIZE = 64
SYSTEMS = ["floor", "wsbench", "wsbench-notiming", "echo-alone", "node"]
CASES = {
    "max1": {"connections": 1, "rate": 0,
             "systems": ["floor", "wsbench", "wsbench-notiming",
                         "echo-alone"]},
    "max100": {"connections": 100, "rate": 0,
               "systems": ["floor", "wsbench", "echo-alone"]},
    "rtt1k": {"connections": 1, "rate": 1000,
              "systems": ["floor", "wsbench", "echo-alone", "node"]},
    "rtthalf": {"connections": 1, "rate": None,
                "systems": ["floor", "wsbench", "echo-alone"]},
}
FIGURES = ("messages_per_s", "p50_us", "p99_us", "max_us")
EXIT_MARGIN = 15        # seconds a client may take past its window


# -- the systems ------------------------------------------------------------
# Each start_* function sets a system up in setup until every connection is
# up, and returns a probe: reset() starts the latency window, reading()
# gives (t, echoes, bytes), finish() the last reading and the window's
# latency {"count", "p50_us", "p99_us", "max_us"} (None: not timed).

class ClientProbe:
    """A floor or node timing client, which keeps its own window."""

    def __init__(self, opts, proc):
        self.opts = opts
        self.proc = proc
        self.reading = run.line_reader(proc)

    def reset(self):
        pass

    def finish(self):
        try:
            self.proc.popen.wait(self.opts.duration + EXIT_MARGIN)
        except subprocess.TimeoutExpired:
            raise Failure("%s ran past its window" % self.proc.label)
        if self.proc.popen.returncode != 0:
            raise Failure("%s exited with status %d" % (
                self.proc.label, self.proc.popen.returncode))
        with open(self.proc.out) as f:
            last = [line.split() for line in f
                    if line.startswith("latency ")][-1:]
        if not last:
            raise Failure("%s printed no latency" % self.proc.label)
        fields = last[0][1:]
        lat = {k: float(v) for k, v in zip(fields[::2], fields[1::2])}
        return self.reading(), lat


class DaemonProbe:
    """A send job, whose window wsbenchctl resets and reads."""

    def __init__(self, env, daemon, timing):
        self.env = env
        self.daemon = daemon
        self.timing = timing

    def stats(self):
        return self.env.stats(self.daemon.sock, "send")

    def reading(self):
        t0 = time.monotonic()
        st = self.stats()
        t1 = time.monotonic()
        return (t0 + t1) / 2, st["messages_received"], st["bytes_received"]

    def reset(self):
        if self.timing:
            self.env.ctl(self.daemon.sock, "latency", "send", "--reset")

    def finish(self):
        reading = self.reading()
        if not self.timing:
            return reading, None
        window = self.stats().get("latency", {}).get("window")
        if window is None:
            raise Failure("no latency window in stats -j send")
        return reading, window


def client_argv(env, lang, port, conns, rate, ws):
    timing = ["--connections", str(conns), "--rate", str(rate), "--size",
              str(SIZE), "--warmup", str(env.opts.warmup), "--duration",
              str(env.opts.duration)]
    if lang == "node":
        return run.peer_command(env, "node", "rtt.js") + [
            "--url", "ws://127.0.0.1:%d/" % port] + timing
    return [env.floor, "rtt", "--port", str(port)] + timing + (
        ["--handshake"] if ws else [])


def start_client(env, setup, lang, port, conns, rate, ws=True):
    client = setup.spawn(lang + "-rtt", client_argv(env, lang, port, conns,
                                                    rate, ws))
    run.wait_first_line(setup, client)
    return ClientProbe(env.opts, client)


def start_echo_job(env, daemon):
    out = env.ctl(daemon.sock, "start", "echo", "--port", "0", "--name",
                  "echo")
    # "started echo: echo 127.0.0.1:PORT"
    return int(out.split()[-1].rsplit(":", 1)[1])


def start_floor(env, setup, conns, rate):
    port = run.free_port()
    setup.spawn("floor-echo", [env.floor, "echo", "--port", str(port)])
    run.wait_listening(setup, port)
    return start_client(env, setup, "floor", port, conns, rate, ws=False)


def start_wsbench(env, setup, conns, rate, timing=True):
    daemon = run.Daemon(env, setup, "wsbenchd")
    port = start_echo_job(env, daemon)
    env.ctl(daemon.sock, "start", "send", "ws://127.0.0.1:%d/" % port,
            "--connections", str(conns), "--rate", str(rate), "--size",
            str(SIZE), "--binary", "--name", "send",
            *([] if timing else ["--no-timing"]))
    run.wait_until("%d send connections" % conns,
                   lambda: env.stats(daemon.sock, "send")["connections"]
                   == conns, run.UP_TIMEOUT, setup)
    return DaemonProbe(env, daemon, timing)


def start_echo_alone(env, setup, conns, rate):
    daemon = run.Daemon(env, setup, "wsbenchd")
    port = start_echo_job(env, daemon)
    return start_client(env, setup, "floor", port, conns, rate)


def start_node(env, setup, conns, rate):
    run.check_peer(env, "node")
    port = run.free_port()
    setup.spawn("node-echo", run.peer_command(env, "node", "echo.js")
                + ["--port", str(port)])
    run.wait_listening(setup, port)
    return start_client(env, setup, "node", port, conns, rate)


STARTERS = {
    "floor": start_floor,
    "wsbench": start_wsbench,
    "wsbench-notiming": lambda env, setup, conns, rate: start_wsbench(
        env, setup, conns, rate, timing=False),
    "echo-alone": start_echo_alone,
    "node": start_node,
}


# -- measuring --------------------------------------------------------------

def measure(opts, setup, probe):
    """One window of the system, after the warm-up."""
    time.sleep(opts.warmup)
    probe.reset()
    base = time.monotonic()
    (t0, m0, _) = probe.reading()
    run.sleep_until(base + opts.duration)
    (t1, m1, _), lat = probe.finish()
    if t1 <= t0 or m1 <= m0:
        raise Failure("no echoes in the window: %d then %d" % (m0, m1))
    sample = {"seconds": t1 - t0, "messages_per_s": (m1 - m0) / (t1 - t0)}
    for key in ("count", "p50_us", "p99_us", "max_us"):
        sample[key] = lat and lat[key]
    return sample


def run_system(env, case, system, rate, rnd):
    setup = run.Setup(env.workdir, "%s-%s-%d" % (case, system, rnd))
    conns = CASES[case]["connections"]
    try:
        probe = STARTERS[system](env, setup, conns, rate)
        result = {"status": "ok", "sample": measure(env.opts, setup, probe)}
    except Skip as e:
        result = {"status": "skipped", "reason": str(e)}
    except (Failure, OSError, ValueError, KeyError, IndexError,
            subprocess.SubprocessError) as e:
        result = {"status": "error", "error": str(e) or type(e).__name__,
                  "stderr_tail": setup.stderr_tails()}
    finally:
        setup.teardown()
    result["commands"] = setup.commands()
    return result


def summarize(rounds):
    samples = [r["sample"] for r in rounds]
    result = {"status": "ok", "samples": samples,
              "commands": rounds[-1]["commands"]}
    for key in FIGURES:
        values = [s[key] for s in samples if s[key] is not None]
        result[key] = statistics.median(values) if values else None
    return result


def progress(case, system, rnd, r):
    if r["status"] == "ok":
        s = r["sample"]
        note = "%.0f msgs/s, p50 %s us, p99 %s us" % (
            s["messages_per_s"], run.fmt(s["p50_us"], ".1f"),
            run.fmt(s["p99_us"], ".1f"))
    else:
        note = "%s: %s" % (r["status"], r.get("reason") or r.get("error"))
    print("latency.py: %s round %d %s: %s" % (case, rnd + 1, system, note),
          file=sys.stderr, flush=True)


def half_max_rate(results):
    """Half of the echo's maximum rate on one connection, from max1."""
    for system in ("wsbench", "echo-alone"):
        r = results.get("max1", {}).get(system, {})
        if r.get("status") == "ok":
            return max(1, int(r["messages_per_s"] / 2))
    return None


def run_case(env, case, results):
    rate = CASES[case]["rate"]
    if rate is None:
        rate = half_max_rate(results)
    systems = [s for s in CASES[case]["systems"] if s in env.opts.systems]
    if rate is None:
        return {s: {"status": "skipped", "reason": "no echo rate from max1"}
                for s in systems}
    rounds = {system: [] for system in systems}
    done = {}
    for rnd in range(env.opts.samples):
        for system in systems:
            if system in done:
                continue
            r = run_system(env, case, system, rate, rnd)
            progress(case, system, rnd, r)
            if r["status"] == "ok":
                rounds[system].append(r)
            else:
                done[system] = r
    out = {system: done.get(system) or summarize(rounds[system])
           for system in systems}
    for r in out.values():
        r["rate"] = rate
    return out


# -- reporting --------------------------------------------------------------

def paired(results, case, system, key, base="floor"):
    """The ratios of a system's rounds to the same rounds' base system."""
    a = results.get(case, {}).get(system, {})
    b = results.get(case, {}).get(base, {})
    if a.get("status") != "ok" or b.get("status") != "ok":
        return []
    return [x[key] / y[key] for x, y in zip(a["samples"], b["samples"])
            if x[key] is not None and y[key]]


def add_ratios(results):
    for case, systems in results.items():
        for system, r in systems.items():
            for key in FIGURES[:3]:
                ratios = paired(results, case, system, key)
                if ratios:
                    r["x_floor_" + key] = [statistics.median(ratios),
                                           min(ratios), max(ratios)]


def ratio_of(results, case, system, key, base="floor"):
    ratios = paired(results, case, system, key, base)
    return statistics.median(ratios) if ratios else None


def targets(results):
    return [
        run.target("rtt1k wsbench p50 <= 1.5 x floor p50",
               ratio_of(results, "rtt1k", "wsbench", "p50_us"), 1.5, True),
        run.target("rtt1k wsbench p99 <= 2 x floor p99",
               ratio_of(results, "rtt1k", "wsbench", "p99_us"), 2, True),
        run.target("rtthalf wsbench p99 <= 3 x floor p99",
               ratio_of(results, "rtthalf", "wsbench", "p99_us"), 3, True),
        run.target("max1 wsbench >= 0.5 x floor msgs/s",
               ratio_of(results, "max1", "wsbench", "messages_per_s"), 0.5),
        run.target("max100 wsbench >= 0.5 x floor msgs/s",
               ratio_of(results, "max100", "wsbench", "messages_per_s"),
               0.5),
        run.target("max1 echo-alone >= 0.5 x floor msgs/s",
               ratio_of(results, "max1", "echo-alone", "messages_per_s"),
               0.5),
        run.target("max100 echo-alone >= 0.5 x floor msgs/s",
               ratio_of(results, "max100", "echo-alone", "messages_per_s"),
               0.5),
        run.target("max1 send timed >= 0.9 x send --no-timing msgs/s",
               ratio_of(results, "max1", "wsbench", "messages_per_s",
                        "wsbench-notiming"), 0.9),
    ]


def ratio_text(r, key):
    x = r.get("x_floor_" + key)
    if x is None:
        return "%-19s" % "-"
    return "%6.2f %-12s" % (x[0], "%.2f-%.2f" % (x[1], x[2]))


HEAD = "%-8s %-17s %9s %12s %10s %10s %10s  %-19s %-19s %-19s"


def table_row(case, system, r):
    if r["status"] != "ok":
        note = r.get("reason") or r.get("error")
        for label, text in r.get("stderr_tail", {}).items():
            note += "; %s: %s" % (label, text.splitlines()[-1])
        return "%-8s %-17s %s: %s" % (case, system, r["status"], note)
    return HEAD % (
        case, system, r["rate"] or "max",
        run.fmt(r["messages_per_s"], ",.0f"), run.fmt(r["p50_us"], ".1f"),
        run.fmt(r["p99_us"], ".1f"), run.fmt(r["max_us"], ".1f"),
        ratio_text(r, "messages_per_s"), ratio_text(r, "p50_us"),
        ratio_text(r, "p99_us"))


def print_table(results, goals):
    print(HEAD % ("case", "system", "rate/conn", "msgs/s", "p50 us",
                  "p99 us", "max us", "msgs/s x floor", "p50 x floor",
                  "p99 x floor"))
    for case, systems in results.items():
        for system, r in systems.items():
            print(table_row(case, system, r))
    print("\n(x floor: median of the paired ratios, then their min-max)")
    print("\ntargets")
    for i, g in enumerate(goals, 1):
        verdict = {True: "PASS", False: "FAIL", None: "N/A "}[g["pass"]]
        print("  %d. %s  %s  (%s)" % (i, verdict, g["target"],
                                      run.fmt(g["value"], ".3f")))


# -- driver -----------------------------------------------------------------

def parse_args():
    return run.bench_args(__doc__, CASES, SYSTEMS, "latency.json", 3, 1, 0.5,
                          warmup_positive=True)


def main():
    opts = parse_args()
    run.raise_nofile()
    run.signal.signal(run.signal.SIGTERM, run.on_signal)
    run.signal.signal(run.signal.SIGINT, run.on_signal)
    results, interrupted = {}, False
    with tempfile.TemporaryDirectory(prefix="wsbench-latency.") as workdir:
        env = run.Env(opts, workdir)
        env.floor = os.path.join(opts.build, "bench", "floor")
        for path in (env.wsbenchd, env.wsbenchctl, env.floor):
            if not os.access(path, os.X_OK):
                sys.exit("latency.py: %s: not an executable; build first"
                         % path)
        try:
            for case in opts.cases:
                results[case] = run_case(env, case, results)
        except run.Interrupted as e:
            print("latency.py: interrupted by %s" % e, file=sys.stderr)
            interrupted = True
    add_ratios(results)
    goals = targets(results)
    run.write_json(opts, run.machine_info(opts), results, goals, interrupted,
                   {"size": SIZE})
    print_table(results, goals)
    print("\nresults written to %s" % opts.out)
    return 130 if interrupted else 0


if __name__ == "__main__":
    sys.exit(main())
