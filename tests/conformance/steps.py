# SPDX-License-Identifier: ISC
"""The case model: a Case is a list of steps played in order on one
connection.  A step either acts (sends bytes, answers a handshake, stops a
job) or expects (the echo of a message, a pong, a close with a code, the
TCP close, silence, an HTTP status, a counter of the job); an expectation
that does not hold raises CaseFailed.  The expectations also describe
themselves, which gives every case its documented outcome (--list).

Frames from the side under test are read in order.  For a push server,
whose data frames never stop, data frames are skipped while a control
frame is awaited; anywhere else an unexpected frame fails the case (for
example an echo of a frame that should have failed the connection)."""

import operator
import time
from dataclasses import dataclass, field
from typing import Callable, NamedTuple, Optional

from wire import (OP_BINARY, OP_CLOSE, OP_CONT, OP_PING, OP_PONG, OP_TEXT,
                  CaseFailed, Frame, accept_for, close_code, close_payload,
                  op_name, show)


class Step(NamedTuple):
    run: Callable              # run(ctx)
    expect: Optional[str] = None   # what it expects, None for an action


@dataclass
class Case:
    """target: echo, echo-limit, push, push-big (a connection after a
    valid opening handshake), own-echo, own-push (the same to a job started
    for the case with job_args), raw (a TCP connection to the echo job, no
    handshake), client (a recv job, started with job_args, connects to us;
    we play the server; unless handshake is False, a valid 101 is sent
    first), raw-deflate (a TCP connection to the echo job started with
    --deflate, no handshake)."""
    id: str
    desc: str
    rule: str
    steps: list
    target: str = "echo"
    timeout: float = 3.0
    job_args: tuple = ()
    handshake: bool = True
    expect: str = ""

    def expectation(self) -> str:
        return self.expect or "; ".join(s.expect for s in self.steps
                                        if s.expect)

    @property
    def category(self) -> str:
        return self.id.split(".")[0]


@dataclass
class Ctx:
    """What the steps of one case share."""
    conn: object                # wire.Conn
    skip_data: bool = False     # push target: data frames are background
    key: str = ""               # client cases: the request's key
    job: str = ""               # client and own-* cases: the job's name
    ctl: object = None          # runner.Ctl
    notes: list = field(default_factory=list)
    head: object = None         # client cases: the request (wire.Head)


# --- reading helpers ---------------------------------------------------------

def _frame(ctx: Ctx, wanted: str, control: bool = False):
    """The next frame (skipping background data if control is wanted)."""
    while True:
        try:
            got = ctx.conn.read_frame()
        except CaseFailed as e:
            raise CaseFailed(f"{e}, expected {wanted}") from None
        if got is None:
            raise CaseFailed(f"TCP closed, expected {wanted}")
        if control and ctx.skip_data and got.op < 8:
            # Background data: its copies are skipped unparsed (the bytes of
            # a frame the reader has checked, unmasked, length minimal).
            ctx.conn.skip_copies(Frame(got.op, got.payload, got.fin,
                                       mask=None).encode(False, None))
            continue
        return got


def _message(ctx: Ctx, wanted: str):
    """The next message, reassembled: (opcode, payload)."""
    first = _frame(ctx, wanted)
    if first.op not in (OP_TEXT, OP_BINARY):
        raise CaseFailed(f"got {first}, expected {wanted}")
    parts = [first.payload]
    while not first.fin:
        got = _frame(ctx, wanted)
        if got.op != OP_CONT:
            raise CaseFailed(f"got {got} inside a message, expected {wanted}")
        parts.append(got.payload)
        first = first._replace(fin=got.fin)
    return first.op, b"".join(parts)


def _diff(got: bytes, want: bytes) -> str:
    if len(got) != len(want):
        return f"{len(got)} bytes instead of {len(want)}"
    at = next(i for i in range(len(got)) if got[i] != want[i])
    return f"differs at byte {at}: {show(got[at:at + 8])}"


# --- actions -----------------------------------------------------------------

def send(*items, chunk: Optional[int] = None, pause: float = 0.0,
         upto: Optional[int] = None) -> Step:
    """Frames (wire.Frame) and raw bytes, in one write or in chunks (see
    wire.Conn.send)."""
    def run(ctx):
        ctx.conn.send(b"".join(ctx.conn.encode(i) for i in items),
                      chunk, pause, upto)
    return Step(run)


def respond(make: Callable[[str], bytes], chunk: Optional[int] = None,
            pause: float = 0.0) -> Step:
    """Client cases: answers the request with make(its key)."""
    return Step(lambda ctx: ctx.conn.send(make(ctx.key), chunk, pause))


def hangup() -> Step:
    """We close TCP."""
    return Step(lambda ctx: ctx.conn.close())


def stop_job() -> Step:
    """Client and own-* cases: `wsbenchctl stop` the case's job."""
    return Step(lambda ctx: ctx.ctl.run("stop", ctx.job))


# --- expectations ------------------------------------------------------------

def echo_all(messages: list, what: str) -> Step:
    """The echoes of messages, [(opcode, payload)], in order."""
    def run(ctx):
        for i, (op, payload) in enumerate(messages):
            got_op, got = _message(ctx, what)
            if (got_op, got) != (op, payload):
                raise CaseFailed(
                    f"message {i + 1} of {len(messages)}: got "
                    f"{op_name(got_op)} {show(got)}, expected "
                    f"{op_name(op)} {show(payload)}"
                    + (f" ({_diff(got, payload)})" if got_op == op else ""))
    return Step(run, what)


def echo(op: int, payload: bytes, times: int = 1) -> Step:
    return echo_all([(op, payload)] * times,
                    f"echo: {op_name(op)} {show(payload, 16)}"
                    + (f" x {times}, in order" if times > 1 else ""))


def pong(payload: bytes) -> Step:
    what = f"pong {show(payload, 16)}"

    def run(ctx):
        got = _frame(ctx, what, control=True)
        if got.op != OP_PONG or got.payload != payload:
            raise CaseFailed(f"got {got}, expected {what}")
    return Step(run, what)


def close(*codes, eof: bool = True) -> Step:
    """A close frame with one of codes (None: no code), then (eof) the TCP
    close by the side under test, with nothing after the close frame."""
    names = " or ".join("no code" if c is None else str(c) for c in codes)
    what = f"close {names}" + (", then TCP closed by it" if eof else "")

    def run(ctx):
        got = _frame(ctx, what, control=True)
        if got.op != OP_CLOSE:
            raise CaseFailed(f"got {got}, expected {what}")
        if len(got.payload) == 1 or close_code(got.payload) not in codes:
            raise CaseFailed(f"got {got}, expected {what}")
        try:
            got.payload[2:].decode("utf-8")
        except UnicodeDecodeError:
            raise CaseFailed(f"close reason is not UTF-8: {got}") from None
        if eof:
            _closed(ctx, "after its close frame")
    return Step(run, what)


def _closed(ctx: Ctx, when: str) -> None:
    try:
        got = ctx.conn.read_frame()
    except CaseFailed:
        raise CaseFailed(f"TCP still open {when}") from None
    if got is not None:
        raise CaseFailed(f"got {got} {when}, expected the TCP close")


def tcp_closed() -> Step:
    """TCP closed by the side under test, with no frame and no byte."""
    def run(ctx):
        try:
            more = ctx.conn.fill(ctx.conn.deadline)
        except CaseFailed:
            raise CaseFailed("TCP still open, expected it closed") from None
        if more or ctx.conn.unread():
            raise CaseFailed(f"got {show(ctx.conn.unread())}, "
                             f"expected the TCP close and nothing else")
    return Step(run, "TCP closed, nothing sent")


def quiet(seconds: float, what: str = "no reaction") -> Step:
    """Nothing arrives and TCP stays open for seconds."""
    def run(ctx):
        if ctx.conn.unread():
            raise CaseFailed(f"got {show(ctx.conn.unread())}, "
                             f"expected {what}")
        try:
            more = ctx.conn.fill(time.monotonic() + seconds)
        except CaseFailed:
            return              # the timeout is the pass
        got = show(ctx.conn.unread()) if more else "the TCP close"
        raise CaseFailed(f"got {got}, expected {what} ({seconds} s)")
    return Step(run, f"{what} for {seconds} s")


def http(status: int, has: Optional[dict] = None, lacks: tuple = (),
         accept: Optional[str] = None) -> Step:
    """An HTTP response head with status; fields in has (lowercased name:
    value, compared without case), none named in lacks, and the right
    Sec-WebSocket-Accept for key accept.  A status other than 101 must be
    followed by the TCP close."""
    has = dict(has or {})
    if accept is not None:
        has["sec-websocket-accept"] = accept_for(accept)
    what = f"HTTP {status}" + "".join(f", {k}: {v}" for k, v in has.items()
                                      if k != "sec-websocket-accept")
    what += ", the right Sec-WebSocket-Accept" if accept else ""
    what += "".join(f", no {k}" for k in lacks)
    what += "" if status == 101 else ", then TCP closed"

    def run(ctx):
        try:
            head = ctx.conn.read_head()
        except CaseFailed as e:
            raise CaseFailed(f"{e}, expected {what}") from None
        if head is None:
            raise CaseFailed(f"TCP closed, expected {what}")
        problems = [f"status line '{head.first}'"] \
            if head.status() != status else []
        for name, value in has.items():
            got = head.fields.get(name)
            if got is None or got.lower() != value.lower():
                problems.append(f"{name}: {got!r}, expected {value!r}")
        problems += [f"has {name}: {head.fields[name]}" for name in lacks
                     if name in head.fields]
        if problems:
            raise CaseFailed(f"expected {what}; got " + "; ".join(problems))
        if status != 101:
            _drain_to_eof(ctx)
    return Step(run, what)


def _drain_to_eof(ctx: Ctx) -> None:
    try:
        while ctx.conn.fill(ctx.conn.deadline):
            pass
    except CaseFailed:
        raise CaseFailed("TCP still open after the error response") from None


_OPS = {"==": operator.eq, ">=": operator.ge, "<=": operator.le}


def stat(key: str, op: str, value: int) -> Step:
    """Client cases: the recv job's counter key, compared with op, holds
    within the case's time (polled)."""
    what = f"job {key} {op} {value}"

    def run(ctx):
        while True:
            got = ctx.ctl.stats(ctx.job).get(key)
            if got is not None and _OPS[op](got, value):
                return
            if time.monotonic() > ctx.conn.deadline:
                raise CaseFailed(f"{what} does not hold: {key} is {got}")
            time.sleep(0.02)
    return Step(run, what)


def control_frames(count: int, check: Callable, what: str) -> Step:
    """The next count control frames (background data skipped) pass
    check(list of them), which returns an error message or None."""
    def run(ctx):
        got = [_frame(ctx, what, control=True) for _ in range(count)]
        if (problem := check(got)) is not None:
            raise CaseFailed(f"got {', '.join(map(str, got))}: {problem}; "
                             f"expected {what}")
    return Step(run, what)


def data_frames(count: int, check: Callable, what: str) -> Step:
    """The next count frames are data frames passing check(got)."""
    def run(ctx):
        for i in range(count):
            got = _frame(ctx, what)
            if got.op >= 8 or (problem := check(got)) is not None:
                raise CaseFailed(f"frame {i + 1}: got {got}: "
                                 f"{'not data' if got.op >= 8 else problem}; "
                                 f"expected {what}")
    return Step(run, what)


# --- frame shorthands --------------------------------------------------------

def T(payload, **kw) -> Frame:
    return Frame(OP_TEXT, payload.encode() if isinstance(payload, str)
                 else payload, **kw)


def B(payload: bytes, **kw) -> Frame:
    return Frame(OP_BINARY, payload, **kw)


def C(payload, **kw) -> Frame:
    return Frame(OP_CONT, payload.encode() if isinstance(payload, str)
                 else payload, **kw)


def PING(payload: bytes = b"", **kw) -> Frame:
    return Frame(OP_PING, payload, **kw)


def PONG(payload: bytes = b"", **kw) -> Frame:
    return Frame(OP_PONG, payload, **kw)


def CLOSE(code: Optional[int] = None, reason: bytes = b"", **kw) -> Frame:
    return Frame(OP_CLOSE, close_payload(code, reason), **kw)
