# SPDX-License-Identifier: ISC
"""Categories 15 and 16: permessage-deflate (RFC 7692), in the manner of
Autobahn|Testsuite's 12 and 13.

15: the echo job started with --deflate (raw-deflate: the runner writes the
request with its offer and checks the answer), each negotiation parameter
and combination, declined offers, the frame rules (RSV1 on the first frame
of a data message only), and messages of 16 B to 1 MiB echoed through our
compressor: each echo must inflate with the window and context the answer
allows.  The job runs with --max-message 2097152, which bounds inflation.

16: a recv job offering deflate (--deflate, --deflate-offer): its offer,
the answers it must refuse, and compressed frames from the runner as the
server, with and without context, counted before compression; a message
refused while it inflates counts no payload."""

import functools
import zlib

from cases_client import CONNECTED, FAILED, resp
from cases_handshake import KEY, req
from cases_server import KOSME, bin_of, section, text_of
from steps import (C, PING, T, Step, close, echo, http, pong, respond, send,
                   stat, tcp_closed)
from wire import OP_BINARY, OP_CONT, OP_TEXT, CaseFailed, Frame, op_name

MIB = 1 << 20
LIMIT = 2 * MIB                  # the echo-deflate job's --max-message
TAIL = b"\x00\x00\xff\xff"
EXT = "Sec-WebSocket-Extensions"

NEGOTIATE = ("RFC 7692 7.1: a server accepts an offer by answering with "
             "the extension and the parameters the offer asked for "
             "(server_no_context_takeover echoed, server_max_window_bits "
             "the same or smaller, client_max_window_bits only if offered)")
DECLINE = ("RFC 7692 5, 7.1: an offer with an unknown or invalid parameter, "
           "or one the server cannot honour (zlib has no 8-bit window for "
           "raw deflate), is declined: no extension in the answer, the "
           "connection goes on without it")
RSV1 = ("RFC 7692 6: RSV1 is set on the first frame of a compressed "
        "message only, never on continuation or control frames; with the "
        "extension not agreed any RSV bit fails the connection (1002)")
INFLATE = ("RFC 7692 7.2.2: the receiver appends 0x00 0x00 0xff 0xff to "
           "the payload and inflates; data that does not inflate fails "
           "the connection (1007), text that inflates to invalid UTF-8 too")
BOUND = ("RFC 6455 10.4, RFC 7692 8: a message inflating past the "
         "receiver's limit fails the connection (1009), and inflating "
         "stops there")
ECHO = ("RFC 7692 7.2: every message compressed with the agreed window "
        "and context; without context takeover each one inflates alone")
CLIENT = ("RFC 7692 7.1: the client fails the connection on an answer "
          "its offer did not allow: an unknown parameter, one it did not "
          "offer, a larger window, no server_no_context_takeover when it "
          "asked for it, more than one element")


# --- the sender's and the receiver's side, in Python's zlib -----------------

def params(ext: str) -> dict:
    """ "permessage-deflate; a; b=10" -> {"a": True, "b": 10}"""
    out = {}
    for p in ext.split(";")[1:]:
        name, _, value = p.strip().partition("=")
        out[name] = int(value) if value else True
    return out


def compressed(messages: list, bits: int = 15, context: bool = True) -> list:
    """Each payload compressed as the RFC sends it (the tail taken off),
    by one stream (context) or a fresh one each."""
    z, out = None, []
    for m in messages:
        if z is None or not context:
            z = zlib.compressobj(6, zlib.DEFLATED, -bits)
        data = z.compress(m) + z.flush(zlib.Z_SYNC_FLUSH)
        assert data.endswith(TAIL)
        out.append(data[:-4])
    return out


def final_block(m: bytes) -> bytes:
    """m as one deflate stream ending in a final block (BFINAL)."""
    z = zlib.compressobj(6, zlib.DEFLATED, -15)
    return z.compress(m) + z.flush(zlib.Z_FINISH)


@functools.lru_cache(maxsize=None)
def bomb(n: int) -> bytes:
    return compressed([bytes(n)])[0]


def Z(op: int, payload: bytes, **kw) -> Frame:
    """A compressed message in one frame: RSV1 set."""
    return Frame(op, payload, rsv=4, **kw)


# --- steps -------------------------------------------------------------------

def answered(answer) -> Step:
    """The 101 for KEY with answer as its extension (None: declined).
    From then on the connection takes RSV1 if it was agreed."""
    has = {"upgrade": "websocket"}
    if answer is not None:
        has["sec-websocket-extensions"] = answer
    h = http(101, has, () if answer else ("sec-websocket-extensions",),
             accept=KEY)

    def run(ctx):
        h.run(ctx)
        ctx.conn.deflate = answer is not None
    return Step(run, h.expect)


def offered(ext: str) -> Step:
    """Client cases: the request offered exactly ext."""
    what = f"the request offers '{ext}'"

    def run(ctx):
        got = ctx.head.fields.get("sec-websocket-extensions")
        if got != ext:
            raise CaseFailed(f"the request offers {got!r}, expected {ext!r}")
    return Step(run, what)


def _compressed_message(ctx, what: str):
    """The next message: (opcode, payload with the tail put back)."""
    first = ctx.conn.read_frame()
    if first is None:
        raise CaseFailed(f"TCP closed, expected {what}")
    if first.op not in (OP_TEXT, OP_BINARY) or first.rsv != 4:
        raise CaseFailed(f"got {first} (RSV {first.rsv:#x}), expected {what}")
    parts = [first.payload]
    while not first.fin:
        got = ctx.conn.read_frame()
        if got is None or got.op != OP_CONT:
            raise CaseFailed(f"got {got} inside a message, expected {what}")
        parts.append(got.payload)
        first = first._replace(fin=got.fin)
    return first.op, b"".join(parts) + TAIL


def inflated(messages: list, answer: str) -> Step:
    """The echoes of messages [(opcode, payload)], each compressed (RSV1),
    inflated with the server's window from the answer and, without
    server_no_context_takeover, one inflater for all (with it, a fresh
    one each, so a copy that leans on an earlier one fails)."""
    p = params(answer)
    bits = p.get("server_max_window_bits", 15)
    alone = "server_no_context_takeover" in p
    what = (f"{len(messages)} echoes, compressed, inflating with a "
            f"{bits}-bit window" + (" each alone" if alone else ""))

    def run(ctx):
        d = None
        for i, (op, want) in enumerate(messages, 1):
            got_op, data = _compressed_message(ctx, what)
            if d is None or alone:
                d = zlib.decompressobj(-bits)
            try:
                got = d.decompress(data)
            except zlib.error as e:
                raise CaseFailed(f"echo {i}: does not inflate: {e}; "
                                 f"expected {what}") from None
            if (got_op, got) != (op, want):
                raise CaseFailed(f"echo {i}: {op_name(got_op)} of "
                                 f"{len(got)} bytes, expected "
                                 f"{op_name(op)} of {len(want)}")
    return Step(run, what)


# --- 15: our echo server -----------------------------------------------------

def hello(answer: str) -> list:
    """Steps: a compressed text sent the way the answer lets the client
    compress, and its compressed echo."""
    p = params(answer)
    # zlib has no 8-bit raw window; in 13 bytes no distance reaches it.
    z = compressed([b"hello deflate"],
                   max(9, p.get("client_max_window_bits", 15)))
    return [send(Z(OP_TEXT, z[0])),
            inflated([(OP_TEXT, b"hello deflate")], answer)]


def negotiation() -> list:
    pmd = "permessage-deflate"
    accepted = [
        (pmd, pmd),
        (f"{pmd}; client_max_window_bits", pmd),
        (f"{pmd}; client_max_window_bits=10",
         f"{pmd}; client_max_window_bits=10"),
        (f"{pmd}; client_max_window_bits=8",
         f"{pmd}; client_max_window_bits=8"),
        (f"{pmd}; server_no_context_takeover",
         f"{pmd}; server_no_context_takeover"),
        (f"{pmd}; client_no_context_takeover",
         f"{pmd}; client_no_context_takeover"),
        (f"{pmd}; server_max_window_bits=9",
         f"{pmd}; server_max_window_bits=9"),
        (f"{pmd}; server_max_window_bits=\"12\"",
         f"{pmd}; server_max_window_bits=12"),
        (f"{pmd}; server_no_context_takeover; client_no_context_takeover; "
         "server_max_window_bits=10; client_max_window_bits=11",
         f"{pmd}; server_no_context_takeover; client_no_context_takeover; "
         "server_max_window_bits=10; client_max_window_bits=11"),
        (f"{pmd}; server_max_window_bits=8, {pmd}",
         pmd),
        (f"x-webkit-deflate-frame, {pmd}; server_no_context_takeover",
         f"{pmd}; server_no_context_takeover"),
    ]
    declined = [
        f"{pmd}; server_max_window_bits=8",
        f"{pmd}; foo",
        f"{pmd}; server_no_context_takeover; server_no_context_takeover",
        f"{pmd}; server_no_context_takeover=1",
        f"{pmd}; server_max_window_bits",
        f"{pmd}; server_max_window_bits=16",
        f"{pmd}; client_max_window_bits=7",
        "x-webkit-deflate-frame",
    ]
    return section("15.1", [
        (f"offering '{offer}'", NEGOTIATE,
         [send(req(add=[(EXT, offer)])), answered(answer)] + hello(answer),
         {"target": "raw-deflate"})
        for offer, answer in accepted] + [
        (f"offering '{offer}': declined", DECLINE,
         [send(req(add=[(EXT, offer)])), answered(None),
          send(T("plain")), echo(OP_TEXT, b"plain")],
         {"target": "raw-deflate"})
        for offer in declined])


def frame_rules() -> list:
    pmd = "permessage-deflate"
    agreed = [send(req(add=[(EXT, pmd)])), answered(pmd)]
    text = text_of(3000)
    z = compressed([text])[0]
    third = len(z) // 3
    two = compressed([b"first message", b"first message again"])
    return section("15.2", [
        ("a compressed text in 3 fragments, RSV1 on the first only", RSV1,
         agreed + [send(Z(OP_TEXT, z[:third], fin=False),
                        C(z[third:2 * third], fin=False), C(z[2 * third:])),
                   inflated([(OP_TEXT, text)], pmd)]),
        ("an uncompressed text on a deflate connection", RSV1,
         agreed + [send(T("not compressed")),
                   inflated([(OP_TEXT, b"not compressed")], pmd)]),
        ("two texts, the second leaning on the first (context)", ECHO,
         agreed + [send(Z(OP_TEXT, two[0]), Z(OP_TEXT, two[1])),
                   inflated([(OP_TEXT, b"first message"),
                             (OP_TEXT, b"first message again")], pmd)]),
        ("an empty compressed message (payload 00)", INFLATE,
         agreed + [send(Z(OP_BINARY, b"\x00")),
                   inflated([(OP_BINARY, b"")], pmd)]),
        ("a message ending in a final block (BFINAL), then another",
         INFLATE, agreed + [
             send(Z(OP_TEXT, final_block(b"final block")),
                  Z(OP_TEXT, compressed([b"and after"])[0])),
             inflated([(OP_TEXT, b"final block"), (OP_TEXT, b"and after")],
                      pmd)]),
        ("a ping in the middle of a compressed message", RSV1,
         agreed + [send(Z(OP_TEXT, z[:third], fin=False), PING(b"p"),
                        C(z[third:])),
                   pong(b"p"),
                   inflated([(OP_TEXT, text)], pmd)]),
        ("RSV1 on a continuation frame", RSV1,
         agreed + [send(Z(OP_TEXT, z[:third], fin=False),
                        Frame(OP_CONT, z[third:], rsv=4)), close(1002)]),
        ("RSV1 on a ping", RSV1,
         agreed + [send(Frame(0x9, b"x", rsv=4)), close(1002)]),
        ("RSV2 on a text", RSV1,
         agreed + [send(Frame(OP_TEXT, b"x", rsv=2)), close(1002)]),
        ("RSV1 and RSV2 on a text", RSV1,
         agreed + [send(Frame(OP_TEXT, z, rsv=6)), close(1002)]),
        ("RSV1 after the offer was declined", RSV1,
         [send(req(add=[(EXT, f"{pmd}; foo")])), answered(None),
          send(Z(OP_TEXT, z)), close(1002)]),
        ("a compressed text inflating to invalid UTF-8 (ED A0 80)",
         INFLATE, agreed + [
             send(Z(OP_TEXT, compressed([b"ok \xed\xa0\x80"])[0])),
             close(1007)]),
        ("a compressed text ending inside a character ('kosme' cut)",
         INFLATE, agreed + [
             send(Z(OP_TEXT, compressed([KOSME[:-1]])[0])), close(1007)]),
        ("data that does not inflate (block type 3)", INFLATE,
         agreed + [send(Z(OP_BINARY, b"\xff\xff\xff\xff")), close(1007)]),
        ("a stored block whose length check fails", INFLATE,
         agreed + [send(Z(OP_BINARY, b"\x01\x05\x00\x00\x00abcde")),
                   close(1007)]),
        (f"a bomb: {4 * LIMIT // MIB} MiB of zeros in "
         f"{len(bomb(4 * LIMIT))} bytes, over the {LIMIT // MIB} MiB limit",
         BOUND, agreed + [send(Z(OP_BINARY, bomb(4 * LIMIT))), close(1009)]),
        ("exactly the limit, inflated", BOUND,
         agreed + [send(Z(OP_BINARY, bomb(LIMIT))),
                   inflated([(OP_BINARY, bytes(LIMIT))], pmd)],
         {"timeout": 10.0}),
    ], target="raw-deflate")


OFFERS = [
    "permessage-deflate",
    "permessage-deflate; client_no_context_takeover",
    "permessage-deflate; server_no_context_takeover",
    "permessage-deflate; server_no_context_takeover; "
    "client_no_context_takeover",
    "permessage-deflate; server_max_window_bits=9; client_max_window_bits=9",
    "permessage-deflate; server_max_window_bits=12; client_max_window_bits",
]
SIZES = [16, 64, 256, 1024, 4096, 16384, 65536, 262144, MIB]


def echo_matrix() -> list:
    """Like Autobahn 12 and 13: per offer, messages of each size (a text,
    a binary, the text again), compressed as the answer lets the client,
    echoed compressed as it binds the server."""
    out = []
    for i, offer in enumerate(OFFERS, 3):
        p = params(offer)
        # What we answer: the offer, less client_max_window_bits alone.
        answer = offer.replace("; client_max_window_bits", "") \
            if p.get("client_max_window_bits") is True else offer
        a = params(answer)
        bits = a.get("client_max_window_bits", 15)
        ctx = "client_no_context_takeover" not in a
        rows = []
        for n in SIZES:
            msgs = [(OP_TEXT, text_of(n)), (OP_BINARY, bin_of(n)),
                    (OP_TEXT, text_of(n))]
            z = compressed([m for _, m in msgs], bits, ctx)
            rows.append((f"'{offer}': text, binary, text of {n} bytes",
                         ECHO, [send(req(add=[(EXT, offer)])),
                                answered(answer),
                                send(*[Z(op, d) for (op, _), d in
                                       zip(msgs, z)]),
                                inflated(msgs, answer)],
                         {"timeout": 4.0 + 6 * n / MIB}))
        out += section(f"15.{i}", rows, target="raw-deflate")
    return out


# --- 16: our recv client -----------------------------------------------------

def client_offers() -> list:
    pmd = "permessage-deflate"
    good = [
        (("--deflate",), f"{pmd}; client_max_window_bits", pmd),
        (("--deflate",), f"{pmd}; client_max_window_bits",
         f"{pmd}; client_max_window_bits=9"),
        (("--deflate-offer", ""), pmd,
         f"{pmd}; server_no_context_takeover; server_max_window_bits=10"),
        (("--deflate-offer", "server_no_context_takeover; "
          "server_max_window_bits=10"),
         f"{pmd}; server_no_context_takeover; server_max_window_bits=10",
         f"{pmd}; server_no_context_takeover; server_max_window_bits=9"),
        (("--deflate-offer", "client_no_context_takeover"),
         f"{pmd}; client_no_context_takeover",
         f"{pmd}; client_no_context_takeover"),
    ]
    bad = [
        (("--deflate-offer", ""), f"{pmd}; client_max_window_bits=10"),
        (("--deflate-offer", "server_max_window_bits=10"),
         f"{pmd}; server_max_window_bits=11"),
        (("--deflate-offer", "server_max_window_bits=10"), pmd),
        (("--deflate-offer", "server_no_context_takeover"), pmd),
        (("--deflate-offer", "client_max_window_bits=10"),
         f"{pmd}; client_max_window_bits=12"),
        (("--deflate",), f"{pmd}; foo"),
        (("--deflate",), f"{pmd}; server_max_window_bits=16"),
        (("--deflate",), f"{pmd}; client_max_window_bits"),
        (("--deflate",), f"{pmd}, {pmd}"),
        (("--deflate",), "x-webkit-deflate-frame"),
    ]
    def shown(args):
        return " ".join(a or "''" for a in args)
    rows = [(f"{shown(args)} offers '{offer}'; answered "
             f"'{answer}'", NEGOTIATE,
             [offered(offer), respond(resp(add=[(EXT, answer)]))] +
             CONNECTED, {"job_args": args})
            for args, offer, answer in good]
    rows.append(("--deflate; the server declines, then sends RSV1", RSV1,
                 [respond(resp()), stat("connections", "==", 1),
                  send(Z(OP_TEXT, compressed([b"x"])[0])), close(1002)],
                 {"job_args": ("--deflate",)}))
    rows += [(f"{shown(args)}, answered '{answer}'", CLIENT,
              [respond(resp(add=[(EXT, answer)])), tcp_closed()] + FAILED,
              {"job_args": args})
             for args, answer in bad]
    rows.append(("answered with permessage-deflate in two fields", CLIENT,
                 [respond(resp(add=[(EXT, pmd), (EXT, pmd)])),
                  tcp_closed()] + FAILED, {"job_args": ("--deflate",)}))
    return section("16.1", rows, target="client", handshake=False)


def client_frames() -> list:
    pmd = "permessage-deflate"
    msgs = [text_of(n) for n in (16, 300, 5000, 70000)] * 2 + [bin_of(9000)]
    ctx_z = compressed(msgs)
    alone_z = compressed(msgs, context=False)
    total = sum(map(len, msgs))
    big = text_of(100000)
    zb = compressed([big])[0]
    q = len(zb) // 4

    def counted(n: int, size: int) -> list:
        return [stat("messages_received", "==", n),
                stat("payload_bytes_received", "==", size),
                stat("connection_errors", "==", 0)]

    def agreed(answer=pmd):
        return respond(resp(add=[(EXT, answer)]))
    frames = [Z(OP_TEXT, z) for z in ctx_z[:-1]] + [Z(OP_BINARY, ctx_z[-1])]
    alone = [Z(f.op, z) for f, z in zip(frames, alone_z)]
    mixed = compressed([msgs[0], msgs[2]])
    rows = [
        (f"{len(msgs)} messages compressed with context (each leaning on "
         "the last), counted before compression", ECHO,
         [agreed(), send(*frames)] + counted(len(msgs), total)),
        (f"{len(msgs)} messages compressed alone "
         "(server_no_context_takeover)", ECHO,
         [agreed(f"{pmd}; server_no_context_takeover"), send(*alone)] +
         counted(len(msgs), total)),
        ("compressed and plain messages mixed", ECHO,
         [agreed(), send(Z(OP_TEXT, mixed[0]), T(msgs[1]),
                         Z(OP_TEXT, mixed[1]))] +
         counted(3, len(msgs[0]) + len(msgs[1]) + len(msgs[2]))),
        ("a compressed text of 100000 bytes in 4 fragments", RSV1,
         [agreed(), send(Z(OP_TEXT, zb[:q], fin=False),
                         C(zb[q:2 * q], fin=False), C(zb[2 * q:3 * q],
                                                      fin=False),
                         C(zb[3 * q:]))] + counted(1, len(big))),
        ("RSV1 on a continuation frame", RSV1,
         [agreed(), send(Z(OP_TEXT, zb[:q], fin=False),
                         Frame(OP_CONT, zb[q:], rsv=4)), close(1002)]),
        ("RSV1 on a ping", RSV1,
         [agreed(), send(Frame(0x9, b"x", rsv=4)), close(1002)]),
        ("data that does not inflate", INFLATE,
         [agreed(), send(Z(OP_BINARY, b"\xff\xff\xff")), close(1007)]),
        ("a compressed text inflating to invalid UTF-8", INFLATE,
         [agreed(), send(Z(OP_TEXT, compressed([b"\xed\xa0\x80"])[0])),
          close(1007)]),
        # Past the 64 KiB the daemon inflates at a time: the bytes handed
        # on before the limit was crossed must not count either.
        (f"a bomb over --max-message 131072: 1 MiB of zeros in "
         f"{len(bomb(MIB))} bytes, no payload counted", BOUND,
         [agreed(), send(Z(OP_BINARY, bomb(MIB))), close(1009),
          stat("payload_bytes_received", "==", 0)],
         {"job_args": ("--deflate", "--max-message", "131072")}),
    ]
    return section("16.2", rows, target="client", handshake=False,
                   job_args=("--deflate",))


def cases() -> list:
    return (negotiation() + frame_rules() + echo_matrix() +
            client_offers() + client_frames())
