# SPDX-License-Identifier: ISC
"""Cases against our servers: the runner is the client of the echo job
(echo: default 16 MiB limit; echo-limit: --max-message 1000) or of the
push job (push: 'yo'; push-big: --size 70000), after a valid opening
handshake.  Categories 1-7, 9, 10 (as Autobahn numbers them) and 14."""

import functools
import random

import rules as R
from steps import (B, C, CLOSE, PING, PONG, Case, T, close, data_frames, echo,
                   echo_all, pong, quiet, send, stop_job, tcp_closed)
from wire import OP_BINARY, OP_CLOSE, OP_TEXT, Frame, op_name

MIB = 1 << 20


def section(prefix: str, rows: list, **common) -> list:
    """Cases prefix.1, prefix.2, ... from rows of (desc, rule, steps[,
    {Case keyword: value}])."""
    return [Case(f"{prefix}.{i}", row[0], row[1], row[2],
                 **{**common, **(row[3] if len(row) > 3 else {})})
            for i, row in enumerate(rows, 1)]


@functools.lru_cache(maxsize=None)
def text_of(n: int) -> bytes:
    return (b"abcdefghijklmnopqrstuvwxyz0123456789" * (n // 36 + 1))[:n]


@functools.lru_cache(maxsize=None)
def bin_of(n: int) -> bytes:
    return (bytes(range(256)) * (n // 256 + 1))[:n]


def frags(op: int, payload: bytes, size: int, **kw) -> list:
    """payload as a fragmented message of size-byte fragments."""
    parts = [payload[i:i + size]
             for i in range(0, len(payload), size)] or [b""]
    return [Frame(op if i == 0 else 0, p, fin=i == len(parts) - 1, **kw)
            for i, p in enumerate(parts)]


def fails(code: int, *items, chunk=None) -> list:
    """Steps: send items, expect the close with code and the TCP close."""
    return [send(*items, chunk=chunk), close(code)]


def big(n: int) -> dict:
    return {"timeout": 3.0 + n / (2 * MIB)}


# --- 1 framing ---------------------------------------------------------------

LENGTHS = [0, 1, 125, 126, 127, 128, 65535, 65536, MIB]
KINDS = [(OP_TEXT, text_of), (OP_BINARY, bin_of)]


def one_message(op: int, payload: bytes, pieces: bool) -> tuple:
    """A row: the message in one write, or byte by byte if small, or in
    4093-byte writes; echoed."""
    n = len(payload)
    chunk = None if not pieces else 1 if n <= 128 else 4093
    how = {None: "in one write", 1: "byte by byte"}.get(
        chunk, f"in {chunk}-byte writes")
    return (f"{op_name(op)} message of {n} byte{'s' * (n != 1)}, {how}",
            R.STREAM if pieces else R.LENGTHS,
            [send(Frame(op, payload), chunk=chunk), echo(op, payload)],
            big(n))


def framing() -> list:
    """1.1 text and 1.2 binary in one write, 1.3 and 1.4 in pieces."""
    cases, sub = [], 0
    for pieces in (False, True):
        for op, fill in KINDS:
            sub += 1
            cases += section(f"1.{sub}", [one_message(op, fill(n), pieces)
                                          for n in LENGTHS])
    cases += section("1.5", [
        (f"text of {n} bytes, each header byte in its own write, 2 ms apart",
         R.STREAM, [send(T(text_of(n)), chunk=1, pause=0.002, upto=14),
                    echo(OP_TEXT, text_of(n))])
        for n in (5, 300, 70000)])
    mixed = [(OP_TEXT if i % 2 else OP_BINARY, bin_of(i) if i % 2 == 0
              else text_of(i)) for i in range(300)]
    cases += section("1.6", [
        ("text, binary and text messages in one write", R.STREAM,
         [send(T("one"), B(b"\x00two"), T("three")),
          echo_all([(OP_TEXT, b"one"), (OP_BINARY, b"\x00two"),
                    (OP_TEXT, b"three")], "echo: the 3 messages in order")]),
        ("300 messages of 0..299 bytes, text and binary, in one write",
         R.STREAM, [send(*[Frame(op, p) for op, p in mixed]),
                    echo_all(mixed, "echo: the 300 messages in order")]),
        ("300 messages of 0..299 bytes in 1000-byte writes", R.STREAM,
         [send(*[Frame(op, p) for op, p in mixed], chunk=1000),
          echo_all(mixed, "echo: the 300 messages in order")]),
    ])
    return cases


# --- 2 ping/pong -------------------------------------------------------------

PINGS = [("empty", b""), ("of 1 byte", b"x"), ("'Hello, world!'", b"Hello, "
         b"world!"), ("of bytes 0x00..0x7c", bytes(range(125))),
         ("of 124 bytes", b"*" * 124), ("of 125 bytes", b"P" * 125),
         ("of 0xfe 0xff bytes", b"\xfe\xff" * 20)]


def ping_pong() -> list:
    cases = section("2.1", [(f"ping {name}", R.PING, [send(PING(p)), pong(p)])
                            for name, p in PINGS])
    cases += section("2.2", [
        ("ping of 126 bytes", R.CONTROL_LEN, fails(1002, PING(b"x" * 126))),
        ("ping of 1000 bytes", R.CONTROL_LEN, fails(1002, PING(b"x" * 1000))),
        ("ping announcing 70000 bytes, header only", R.CONTROL_LEN,
         fails(1002, PING(b"x" * 70000, cut=0))),
        ("pong of 126 bytes", R.CONTROL_LEN, fails(1002, PONG(b"x" * 126))),
    ])
    cases += section("2.3", [
        ("ping with FIN clear", R.CONTROL_FRAG,
         fails(1002, PING(b"ab", fin=False))),
        ("ping with FIN clear, then a continuation with FIN", R.CONTROL_FRAG,
         fails(1002, PING(b"ab", fin=False), C(b"cd"))),
        ("pong with FIN clear", R.CONTROL_FRAG,
         fails(1002, PONG(b"ab", fin=False))),
    ])
    cases += section("2.4", [
        ("unsolicited empty pong, then a text", R.PONG,
         [send(PONG(), T("after")), echo(OP_TEXT, b"after")],
         {"expect": "no reaction to the pong; echo: text b'after'"}),
        ("unsolicited pong of 125 bytes, then a text", R.PONG,
         [send(PONG(b"p" * 125), T("after")), echo(OP_TEXT, b"after")],
         {"expect": "no reaction to the pong; echo: text b'after'"}),
        ("10 unsolicited pongs, then a ping", R.PONG,
         [send(*[PONG(b"%d" % i) for i in range(10)], PING(b"real")),
          pong(b"real")],
         {"expect": "no reaction to the pongs; pong b'real'"}),
        ("unsolicited pong, nothing after it", R.PONG,
         [send(PONG(b"alone")), quiet(0.3)]),
    ])
    cases += section("2.5", [
        ("ping between the 2 fragments of a text", R.INTERLEAVE,
         [send(T("frag", fin=False), PING(b"mid"), C("ment")), pong(b"mid"),
          echo(OP_TEXT, b"fragment")]),
        ("pings between the 3 fragments of a binary", R.INTERLEAVE,
         [send(B(b"a", fin=False), PING(b"1"), C(b"b", fin=False),
               PING(b"2"), C(b"c")),
          pong(b"1"), pong(b"2"), echo(OP_BINARY, b"abc")]),
        ("ping between fragments, each frame in its own write", R.INTERLEAVE,
         [send(T("frag", fin=False)), send(PING(b"mid")), pong(b"mid"),
          send(C("ment")), echo(OP_TEXT, b"fragment")]),
    ])
    many = [b"ping %d" % i for i in range(10)]
    cases += section("2.6", [
        ("10 pings in one write", R.PING,
         [send(*[PING(p) for p in many])] + [pong(p) for p in many],
         {"expect": "pongs b'ping 0' .. b'ping 9', in order"}),
        ("ping of 125 bytes, byte by byte", R.STREAM + "; " + R.PING,
         [send(PING(b"q" * 125), chunk=1), pong(b"q" * 125)]),
        ("ping, then close", R.PING, [send(PING(b"first"), CLOSE(1000)),
                                      pong(b"first"), close(1000)]),
        ("126 pings of 0..125 bytes in one write", R.PING,
         [send(*[PING(bin_of(n)) for n in range(126)])] +
         [pong(bin_of(n)) for n in range(126)],
         {"expect": "126 pongs of 0..125 bytes, in order"}),
    ])
    return cases


# --- 3 reserved bits ---------------------------------------------------------

def reserved_bits() -> list:
    kinds = [("binary", lambda r: B(b"\x00\xff", rsv=r)),
             ("ping", lambda r: PING(b"ping", rsv=r)),
             ("pong", lambda r: PONG(b"pong", rsv=r)),
             ("close", lambda r: CLOSE(1000, rsv=r))]
    cases = section("3.1", [(f"text with RSV {r:03b}", R.RSV,
                             fails(1002, T("Hello", rsv=r)))
                            for r in range(1, 8)])
    cases += section("3.2", [(f"{name} with RSV{4 - r.bit_length()}", R.RSV,
                              fails(1002, make(r)))
                             for name, make in kinds for r in (4, 2, 1)])
    cases += section("3.3", [
        ("a continuation with RSV1", R.RSV,
         fails(1002, T("a", fin=False), C("b", rsv=4))),
        ("a valid text, then a text with RSV1, then a valid text, one write",
         R.RSV, [send(T("ok"), T("bad", rsv=4), T("not echoed")),
                 echo(OP_TEXT, b"ok"), close(1002)]),
    ] + [(f"a valid text echoed, then a text with RSV{4 - r.bit_length()}",
          R.RSV, [send(T("ok")), echo(OP_TEXT, b"ok")] +
          fails(1002, T("bad", rsv=r))) for r in (4, 2, 1)])
    return cases


# --- 4 opcodes ---------------------------------------------------------------

def opcodes() -> list:
    data, control = range(3, 8), range(0xB, 0x10)

    def rows(ops, after):
        return [(f"opcode {op:#x}" + (", with a payload, after a valid text"
                                      if after else ", empty"), R.OPCODE,
                 ([send(T("ok")), echo(OP_TEXT, b"ok")] if after else []) +
                 fails(1002, Frame(op, b"reserved" if after else b"")))
                for op in ops]
    cases = section("4.1", rows(data, False))
    cases += section("4.2", rows(data, True))
    cases += section("4.3", rows(control, False))
    cases += section("4.4", rows(control, True))
    cases += section("4.5", [
        ("opcode 0x3 between the fragments of a text", R.OPCODE,
         fails(1002, T("a", fin=False), Frame(3, b"x"), C("b"))),
        ("opcode 0xb between the fragments of a text", R.OPCODE,
         fails(1002, T("a", fin=False), Frame(0xB, b"x"), C("b"))),
    ])
    return cases


# --- 5 fragmentation ---------------------------------------------------------

def fragmentation() -> list:
    hello = b"Hello, fragmented world!"
    cases = section("5.1", [
        (f"{op_name(op)} of {len(hello)} bytes in {n} fragments", R.FRAG,
         [send(*frags(op, hello, -(-len(hello) // n))), echo(op, hello)])
        for op in (OP_TEXT, OP_BINARY) for n in (2, 3, 24)])
    cases += section("5.2", [
        ("text in 1000 fragments of 1 byte", R.FRAG,
         [send(*frags(OP_TEXT, text_of(1000), 1)),
          echo(OP_TEXT, text_of(1000))]),
        ("binary of 1 MiB in 16 fragments of 64 KiB", R.FRAG,
         [send(*frags(OP_BINARY, bin_of(MIB), 65536)),
          echo(OP_BINARY, bin_of(MIB))], big(MIB)),
        ("text of 1 MiB in fragments of 65535 bytes", R.FRAG,
         [send(*frags(OP_TEXT, text_of(MIB), 65535)),
          echo(OP_TEXT, text_of(MIB))], big(MIB)),
        ("text in 3 fragments, each in its own write, 10 ms apart", R.FRAG,
         [send(*frags(OP_TEXT, hello, 9), chunk=15, pause=0.01),
          echo(OP_TEXT, hello)]),
        ("a fragmented text and a whole binary in one write", R.FRAG,
         [send(*frags(OP_TEXT, hello, 5), B(b"next")),
          echo(OP_TEXT, hello), echo(OP_BINARY, b"next")]),
    ])
    cases += section("5.3", [
        ("text of 2 empty fragments", R.FRAG,
         [send(T("", fin=False), C("")), echo(OP_TEXT, b"")]),
        ("binary of 2 empty fragments", R.FRAG,
         [send(B(b"", fin=False), C(b"")), echo(OP_BINARY, b"")]),
        ("empty, 'abc', empty fragments", R.FRAG,
         [send(T("", fin=False), C("abc", fin=False), C("")),
          echo(OP_TEXT, b"abc")]),
        ("100 empty fragments, then 'x'", R.FRAG,
         [send(T("", fin=False), *[C("", fin=False)] * 99, C("x")),
          echo(OP_TEXT, b"x")]),
    ])
    cases += section("5.4", [
        ("unsolicited pong between fragments", R.INTERLEAVE + "; " + R.PONG,
         [send(T("ab", fin=False), PONG(b"p"), C("cd")),
          echo(OP_TEXT, b"abcd")]),
        ("ping and pong between fragments", R.INTERLEAVE,
         [send(B(b"ab", fin=False), PONG(b"p"), PING(b"q"), C(b"cd")),
          pong(b"q"), echo(OP_BINARY, b"abcd")]),
        ("close between fragments", R.INTERLEAVE + "; " + R.AFTER_CLOSE,
         [send(T("ab", fin=False), CLOSE(1000), C("cd")), close(1000)],
         {"expect": "close 1000 (no echo), then TCP closed by it"}),
    ])
    cases += section("5.5", [
        ("continuation with FIN, no message started", R.FRAG_ORDER,
         fails(1002, C("x"))),
        ("continuation without FIN, no message started", R.FRAG_ORDER,
         fails(1002, C("x", fin=False))),
        ("a whole text, then a continuation", R.FRAG_ORDER,
         [send(T("whole"), C("more")), echo(OP_TEXT, b"whole"),
          close(1002)]),
        ("empty continuation, no message started", R.FRAG_ORDER,
         fails(1002, C(""))),
    ])
    cases += section("5.6", [
        (f"{op_name(a)} fragment, then a {op_name(b)} frame"
         f"{'' if fin else ' without FIN'}", R.FRAG_ORDER,
         fails(1002, Frame(a, b"one", fin=False), Frame(b, b"two", fin=fin)))
        for a, b, fin in [(OP_TEXT, OP_TEXT, True), (OP_TEXT, OP_BINARY, True),
                          (OP_BINARY, OP_TEXT, False),
                          (OP_BINARY, OP_BINARY, False)]])
    return cases


# --- 6 UTF-8 -----------------------------------------------------------------

AUTOBAHN_62 = "Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!" \
    .encode()
VALID = [
    ("ASCII 'Hello, world!'", b"Hello, world!"),
    ("Autobahn 6.2: " + AUTOBAHN_62.decode(), AUTOBAHN_62),
    ("Greek 'kosme'", "\u03ba\u1f79\u03c3\u03bc\u03b5".encode()),
    ("U+0000", b"\x00"),
    ("U+007F, the last 1-byte character", b"\x7f"),
    ("U+0080, the first 2-byte character", b"\xc2\x80"),
    ("U+07FF, the last 2-byte character", b"\xdf\xbf"),
    ("U+0800, the first 3-byte character", b"\xe0\xa0\x80"),
    ("U+D7FF, below the surrogates", b"\xed\x9f\xbf"),
    ("U+E000, above the surrogates", b"\xee\x80\x80"),
    ("U+FFFD", b"\xef\xbf\xbd"),
    ("U+FFFE, a noncharacter", b"\xef\xbf\xbe"),
    ("U+FFFF, the last 3-byte character", b"\xef\xbf\xbf"),
    ("U+10000, the first 4-byte character", b"\xf0\x90\x80\x80"),
    ("U+1F600", b"\xf0\x9f\x98\x80"),
    ("U+10FFFF, the last code point", b"\xf4\x8f\xbf\xbf"),
    ("a BOM, then text", b"\xef\xbb\xbfabc"),
    ("1-, 2-, 3- and 4-byte characters mixed",
     "a\u00e9\u20ac\U0001F600".encode() * 4),
    ("17 ASCII bytes, then U+00E9", b"a" * 17 + b"\xc3\xa9"),
    ("126 bytes of U+00E9", b"\xc3\xa9" * 63),
    ("64 KiB of U+20AC and one 'a'", b"\xe2\x82\xac" * 21845 + b"a"),
]


def surrogate(cp: int) -> bytes:
    return bytes([0xE0 | cp >> 12, 0x80 | cp >> 6 & 0x3F, 0x80 | cp & 0x3F])


KOSME = "\u03ba\u1f79\u03c3\u03bc\u03b5".encode()
INVALID = [
    ("a lone continuation byte 80", b"\x80"),
    ("a lone continuation byte BF", b"\xbf"),
    ("text, then continuation bytes 80 BF 80", b"abc\x80\xbf\x80"),
    ("overlong '/' in 2 bytes, C0 AF", b"\xc0\xaf"),
    ("overlong '/' in 3 bytes, E0 80 AF", b"\xe0\x80\xaf"),
    ("overlong '/' in 4 bytes, F0 80 80 AF", b"\xf0\x80\x80\xaf"),
    ("overlong '/' in 5 bytes, F8 80 80 80 AF", b"\xf8\x80\x80\x80\xaf"),
    ("overlong '/' in 6 bytes, FC 80 80 80 80 AF",
     b"\xfc\x80\x80\x80\x80\xaf"),
    ("overlong NUL in 2 bytes, C0 80", b"\xc0\x80"),
    ("overlong NUL in 3 bytes, E0 80 80", b"\xe0\x80\x80"),
    ("overlong NUL in 4 bytes, F0 80 80 80", b"\xf0\x80\x80\x80"),
    ("largest 2-byte overlong, C1 BF", b"\xc1\xbf"),
    ("largest 3-byte overlong, E0 9F BF", b"\xe0\x9f\xbf"),
    ("largest 4-byte overlong, F0 8F BF BF", b"\xf0\x8f\xbf\xbf"),
] + [(f"surrogate U+{cp:04X}", surrogate(cp))
     for cp in (0xD800, 0xDB7F, 0xDB80, 0xDBFF, 0xDC00, 0xDF80, 0xDFFF)] + [
    ("surrogate pair U+D800 U+DC00 (CESU-8)", b"\xed\xa0\x80\xed\xb0\x80"),
    ("U+110000, F4 90 80 80", b"\xf4\x90\x80\x80"),
    ("U+13FFFF, F4 BF BF BF", b"\xf4\xbf\xbf\xbf"),
    ("U+1FFFFF, F7 BF BF BF", b"\xf7\xbf\xbf\xbf"),
    ("F5 80 80 80", b"\xf5\x80\x80\x80"),
] + [(f"a lone {b:02X} byte", bytes([b]))
     for b in (0xC0, 0xC1, 0xF5, 0xF8, 0xFC, 0xFE, 0xFF)] + [
    ("a 2-byte sequence cut by the message end, C2", b"abc\xc2"),
    ("a 3-byte sequence cut by the message end, E2 82", b"abc\xe2\x82"),
    ("a 4-byte sequence cut by the message end, F0 9F 98", b"abc\xf0\x9f\x98"),
    ("C2 then ASCII instead of a continuation", b"\xc2A"),
    ("E2 82 then ASCII", b"\xe2\x82A"),
    ("F0 9F 98 then ASCII", b"\xf0\x9f\x98A"),
    ("Autobahn 6.3.1: 'kosme', ED A0 80, 'edited'",
     KOSME + b"\xed\xa0\x80edited"),
    ("FE after 16 ASCII bytes", b"a" * 16 + b"\xfe"),
    ("FF after 200 valid bytes", b"a" * 200 + b"\xffbbb"),
    ("C0 AF deep in a 70000-byte text",
     b"a" * 40000 + b"\xc0\xaf" + b"a" * 29998),
]


SPLIT_VALID = {"Greek 'kosme'", "U+10FFFF, the last code point", "U+1F600",
               "1-, 2-, 3- and 4-byte characters mixed"}
SPLIT_INVALID = {"surrogate U+D800", "overlong '/' in 2 bytes, C0 AF",
                 "Autobahn 6.3.1: 'kosme', ED A0 80, 'edited'"}


def utf8() -> list:
    cases = section("6.1", [(f"text: {name}", R.UTF8_OK,
                             [send(T(p)), echo(OP_TEXT, p)])
                            for name, p in VALID])
    cases += section("6.2", [
        (f"text: {name}, one fragment per byte", R.UTF8_OK + "; " + R.FRAG,
         [send(*frags(OP_TEXT, p, 1)), echo(OP_TEXT, p)])
        for name, p in VALID if name in SPLIT_VALID] + [
        ("text: 'kosme', one byte per write", R.UTF8_OK + "; " + R.STREAM,
         [send(T(KOSME), chunk=1), echo(OP_TEXT, KOSME)]),
        ("text: U+20AC split E2 | 82 AC by a ping between the fragments",
         R.UTF8_OK + "; " + R.INTERLEAVE,
         [send(T(b"\xe2", fin=False), PING(b"mid"), C(b"\x82\xac")),
          pong(b"mid"), echo(OP_TEXT, b"\xe2\x82\xac")]),
        ("binary: bytes invalid as UTF-8 (binary is not validated)",
         R.UTF8_OK, [send(B(b"\xff\xfe\xed\xa0\x80\xc0\xaf")),
                     echo(OP_BINARY, b"\xff\xfe\xed\xa0\x80\xc0\xaf")])])
    cases += section("6.3", [(f"text: {name}", R.UTF8_BAD,
                              fails(1007, T(p))) for name, p in INVALID])
    cases += section("6.4", [
        (desc, R.UTF8_FAST, fails(1007, *items)) for desc, items in [
            ("'kosme' (FIN clear), then ED A0 80 (FIN clear); 'edited' "
             "never sent",
             [T(KOSME, fin=False), C(b"\xed\xa0\x80", fin=False)]),
            ("a first fragment FF (FIN clear)", [T(b"\xff", fin=False)]),
            ("fragment E0, then fragment 80 (overlong)",
             [T(b"ab\xe0", fin=False), C(b"\x80", fin=False)]),
            ("fragment F4, then fragment 90 (above U+10FFFF)",
             [T(b"\xf4", fin=False), C(b"\x90", fin=False)]),
            ("fragment ED, then fragment A0 (surrogate)",
             [T(b"\xed", fin=False), C(b"\xa0", fin=False)]),
            ("a frame announcing 20 bytes, only 'ab' FF sent",
             [T(b"ab\xff" + b"c" * 17, cut=3)]),
            ("'hello' (FIN clear), then a continuation announcing 100 bytes, "
             "only 'x' C0 sent", [T("hello", fin=False),
                                  C(b"x\xc0" + b"y" * 98, cut=2)]),
        ]])
    cases += section("6.5", [
        (f"text: {name}, one fragment per byte", R.UTF8_BAD,
         fails(1007, *frags(OP_TEXT, p, 1)))
        for name, p in INVALID if name in SPLIT_INVALID] + [
        ("text: 'ab' C2, then an empty final fragment", R.UTF8_BAD,
         fails(1007, T(b"ab\xc2", fin=False), C(b"")))])
    return cases


# --- 7 close -----------------------------------------------------------------

VALID_CODES = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011,
               3000, 3999, 4000, 4999]
INVALID_CODES = [0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016,
                 1100, 2000, 2999, 5000, 65535]


def closing() -> list:
    cases = section("7.1", [(f"close {c}", R.CLOSE,
                             [send(CLOSE(c)), close(c)]) for c in VALID_CODES])
    cases += section("7.2", [(f"close {c}", R.CLOSE_BAD_CODE,
                              fails(1002, CLOSE(c))) for c in INVALID_CODES])
    reason = "\u03ba\u1f79\u03c3\u03bc\u03b5".encode()
    cases += section("7.3", [
        ("close with no body", R.CLOSE_EMPTY,
         [send(CLOSE()), close(None, 1000)]),
        ("close with a 1-byte body", R.CLOSE_BODY,
         fails(1002, Frame(OP_CLOSE, b"\x03"))),
        ("close 1000 'Hello World!'", R.CLOSE,
         [send(CLOSE(1000, b"Hello World!")), close(1000)]),
        ("close 1000 with a 123-byte reason", R.CLOSE,
         [send(CLOSE(1000, b"r" * 123)), close(1000)]),
        ("close 1000 with a 124-byte reason (126-byte body)", R.CONTROL_LEN,
         fails(1002, CLOSE(1000, b"r" * 124))),
        ("close 1000 with reason 'kosme'", R.CLOSE,
         [send(CLOSE(1000, reason)), close(1000)]),
        ("close 1000, reason 'kosme' ED A0 80", R.CLOSE_REASON,
         fails(1007, CLOSE(1000, reason + b"\xed\xa0\x80"))),
        ("close 1000, reason ending in E2 82", R.CLOSE_REASON,
         fails(1007, CLOSE(1000, b"abc\xe2\x82"))),
        ("close 1000, reason FF", R.CLOSE_REASON,
         fails(1007, CLOSE(1000, b"\xff"))),
    ])
    cases += section("7.4", [
        ("close 1000, then close 1001, one write", R.AFTER_CLOSE,
         [send(CLOSE(1000), CLOSE(1001)), close(1000)],
         {"expect": "one close 1000, then TCP closed by it"}),
        ("close, then a text, one write", R.AFTER_CLOSE,
         [send(CLOSE(1000), T("late")), close(1000)],
         {"expect": "close 1000 (no echo), then TCP closed by it"}),
        ("close, then a ping, one write", R.AFTER_CLOSE,
         [send(CLOSE(1000), PING(b"late")), close(1000)],
         {"expect": "close 1000 (no pong), then TCP closed by it"}),
        ("a text, then close, one write", R.CLOSE,
         [send(T("before"), CLOSE(1000)), echo(OP_TEXT, b"before"),
          close(1000)]),
        ("the server closes TCP first: close 1000, our side stays open",
         R.SERVER_FIRST, [send(CLOSE(1000)), close(1000)]),
        ("close with FIN clear", R.CONTROL_FRAG,
         fails(1002, CLOSE(1000, fin=False))),
        ("close 1000, byte by byte", R.STREAM + "; " + R.CLOSE,
         fails(1000, CLOSE(1000, b"bye"), chunk=1)),
        ("close 1000 masked with key 00000000", R.MASK_KEY + "; " + R.CLOSE,
         fails(1000, CLOSE(1000, mask=b"\0\0\0\0"))),
    ])
    cases += section("7.5", [
        ("the job is stopped: close 1001 from the server, our close",
         R.SERVER_CLOSES, [stop_job(), close(1001, eof=False),
                           send(CLOSE(1001)), tcp_closed()]),
        ("the job is stopped, we send a text, then our close",
         R.SERVER_CLOSES + "; " + R.AFTER_CLOSE,
         [stop_job(), close(1001, eof=False), send(T("late"), CLOSE(1000)),
          tcp_closed()], {"expect": "close 1001; no echo of the text; "
                                    "TCP closed, nothing sent"}),
        ("the job is stopped, we send a ping and our close, one write",
         R.PING_AFTER_CLOSE, [stop_job(), close(1001, eof=False),
                              send(PING(b"p"), CLOSE(1001)), pong(b"p"),
                              tcp_closed()]),
        ("the job is stopped mid-message: we send the rest, then our close",
         R.SERVER_CLOSES + "; " + R.AFTER_CLOSE,
         [send(T("first half ", fin=False)), stop_job(),
          close(1001, eof=False), send(C("second half"), CLOSE(1001)),
          tcp_closed()], {"expect": "close 1001; no echo of the message; "
                                    "TCP closed, nothing sent"}),
        ("the job is stopped, we never answer its close", R.SERVER_CLOSES,
         [stop_job(), close(1001, eof=False), tcp_closed()],
         {"timeout": 5.0, "expect": "close 1001; TCP closed by the server "
                                    "within its close timeout (2 s)"}),
    ], target="own-echo")
    return cases


# --- 9 limits ----------------------------------------------------------------

def limits() -> list:
    cases = section("9.1", [
        (f"{op_name(op)} of {n} bytes", R.BIG_OK,
         [send(Frame(op, fill(n))), echo(op, fill(n))], big(n))
        for op, fill, n in [(OP_BINARY, bin_of, 4 * MIB),
                            (OP_TEXT, text_of, 4 * MIB),
                            (OP_BINARY, bin_of, 16 * MIB - 1),
                            (OP_TEXT, text_of, 16 * MIB - 1),
                            (OP_BINARY, bin_of, 16 * MIB)]] + [
        ("binary of 16 MiB in 256 fragments of 64 KiB", R.BIG_OK,
         [send(*frags(OP_BINARY, bin_of(16 * MIB), 65536)),
          echo(OP_BINARY, bin_of(16 * MIB))], big(16 * MIB))])
    cases += section("9.2", [
        (f"{what} announcing {n} bytes, header only", R.TOO_BIG,
         fails(1009, Frame(op, b"", length=n, form=64)))
        for what, op, n in [("binary", OP_BINARY, 16 * MIB + 1),
                            ("text", OP_TEXT, 16 * MIB + 1),
                            ("binary", OP_BINARY, 1 << 62)]] + [
        ("fragments of 8 MiB + 8 MiB + 1 byte, the last header only",
         R.TOO_BIG, fails(1009, B(bin_of(8 * MIB), fin=False),
                          C(bin_of(8 * MIB), fin=False), C(b"x", cut=0)),
         big(16 * MIB))])
    lim = {"target": "echo-limit"}
    cases += section("9.3", [
        ("1000 bytes, at the --max-message 1000 limit", R.BIG_OK,
         [send(T(text_of(1000))), echo(OP_TEXT, text_of(1000))]),
        ("1001 bytes, all sent", R.TOO_BIG, fails(1009, B(bin_of(1001)))),
        ("1001 bytes announced, header only", R.TOO_BIG,
         fails(1009, B(bin_of(1001), cut=0))),
        ("fragments of 500 and 501 bytes", R.TOO_BIG,
         fails(1009, *frags(OP_TEXT, text_of(1001), 500))),
        ("fragments of 1000 and 0 bytes", R.BIG_OK,
         [send(T(text_of(1000), fin=False), C(b"")),
          echo(OP_TEXT, text_of(1000))]),
        ("1001 fragments of 1 byte", R.TOO_BIG,
         fails(1009, *frags(OP_BINARY, bin_of(1001), 1))),
        ("a ping of 125 bytes (control frames are not messages)", R.PING,
         [send(PING(b"p" * 125)), pong(b"p" * 125)]),
        ("two messages of 1000 bytes (the limit is per message)", R.BIG_OK,
         [send(B(bin_of(1000)), B(bin_of(1000))),
          echo(OP_BINARY, bin_of(1000), times=2)]),
    ], **lim)
    small = [(OP_TEXT, b"m%d" % i) for i in range(10000)]
    sized = [(OP_TEXT if i % 2 else OP_BINARY, text_of(i))
             for i in range(1000)]
    cases += section("9.4", [
        ("10000 small texts in one write", R.STREAM,
         [send(*[Frame(op, p) for op, p in small]),
          echo_all(small, "echo: the 10000 texts in order")], {"timeout": 6}),
        ("1000 messages of 0..999 bytes in one write", R.STREAM,
         [send(*[Frame(op, p) for op, p in sized]),
          echo_all(sized, "echo: the 1000 messages in order")],
         {"timeout": 6}),
        ("1000 pings in one write", R.PING,
         [send(*[PING(b"%d" % i) for i in range(1000)])] +
         [pong(b"%d" % i) for i in range(1000)],
         {"expect": "1000 pongs, in order", "timeout": 6}),
    ])
    return cases


# --- 10 misc: masking and length encodings -----------------------------------

KEYS = [b"\0\0\0\0", b"\xff\xff\xff\xff", b"Hell"] + \
       [random.Random(6455 + i).randbytes(4) for i in range(5)]


def misc() -> list:
    cases = section("10.1", [
        ("unmasked text", R.UNMASKED, fails(1002, T("plain", mask=None))),
        ("unmasked binary", R.UNMASKED, fails(1002, B(b"\x01", mask=None))),
        ("unmasked ping", R.UNMASKED, fails(1002, PING(b"p", mask=None))),
        ("unmasked close", R.UNMASKED, fails(1002, CLOSE(1000, mask=None))),
        ("unmasked empty text", R.UNMASKED, fails(1002, T("", mask=None))),
        ("a text echoed, then an unmasked text", R.UNMASKED,
         [send(T("ok")), echo(OP_TEXT, b"ok")] +
         fails(1002, T("plain", mask=None))),
        ("masked fragment, then an unmasked continuation", R.UNMASKED,
         fails(1002, T("a", fin=False), C("b", mask=None))),
    ])
    cases += section("10.2", [
        (f"text 'Hello, world!' masked with key {k.hex()}", R.MASK_KEY,
         [send(T("Hello, world!", mask=k)), echo(OP_TEXT, b"Hello, world!")])
        for k in KEYS])
    cases += section("10.3", [
        (f"{op_name(f.op)} of {len(f.payload)} bytes with a {f.form}-bit "
         "length", R.MINIMAL, fails(1002, f))
        for f in [T(text_of(0), form=16), T(text_of(125), form=16),
                  B(bin_of(0), form=64), B(bin_of(125), form=64),
                  T(text_of(126), form=64), B(bin_of(65535), form=64),
                  PING(b"ping", form=16), CLOSE(1000, form=64)]])
    cases += section("10.4", [
        (f"binary announcing {n:#x} bytes (top bit set)", R.TOP_BIT,
         fails(1002, Frame(OP_BINARY, b"", length=n, form=64)))
        for n in (1 << 63 | 5, (1 << 64) - 1)])
    return cases


# --- 14 push -----------------------------------------------------------------

def is_yo(got):
    return None if (got.op, got.payload, got.fin) == (OP_TEXT, b"yo", True) \
        else "not a whole text 'yo'"


def is_big(got):
    return None if (got.op, got.payload, got.fin) == (
        OP_TEXT, text_of(70000), True) else "not the 70000-byte text"


def push() -> list:
    cases = section("14.1", [
        ("push frames: 1000 whole texts 'yo', unmasked", R.MASKED,
         [data_frames(1000, is_yo, "1000 texts 'yo', FIN, unmasked")]),
        ("a ping while frames arrive", R.PUSH + "; " + R.PING,
         [send(PING(b"push ping")), pong(b"push ping")]),
        ("3 pings while frames arrive", R.PUSH + "; " + R.PING,
         [send(PING(b"1"), PING(b"2"), PING(b"3")),
          pong(b"1"), pong(b"2"), pong(b"3")]),
        ("a close 1000 while frames arrive", R.PUSH + "; " + R.CLOSE,
         [send(CLOSE(1000)), close(1000)]),
        ("a close 1001 while frames arrive", R.PUSH + "; " + R.CLOSE,
         [send(CLOSE(1001, b"going")), close(1001)]),
        ("a text from the client (ignored), then a ping", R.PUSH,
         [send(T("hello push"), PING(b"after")), pong(b"after")]),
        ("an unmasked text from the client", R.UNMASKED,
         fails(1002, T("plain", mask=None))),
        ("an unmasked ping from the client", R.UNMASKED,
         fails(1002, PING(b"p", mask=None))),
        ("invalid UTF-8 from the client", R.UTF8_BAD,
         fails(1007, T(b"\xed\xa0\x80"))),
        ("a text with RSV1 from the client", R.RSV,
         fails(1002, T("x", rsv=4))),
    ], target="push")
    cases += section("14.2", [
        ("push --size 70000 frames: 5 texts with a 64-bit length, unmasked",
         R.LENGTHS + "; " + R.MASKED,
         [data_frames(5, is_big, "5 texts of 70000 bytes, minimal length")]),
        ("a ping while 70000-byte frames arrive", R.PUSH + "; " + R.PING,
         [send(PING(b"big ping")), pong(b"big ping")]),
        ("a close while 70000-byte frames arrive", R.PUSH + "; " + R.CLOSE,
         [send(CLOSE(1000)), close(1000)]),
    ], target="push-big")
    cases += section("14.3", [
        ("the job is stopped: frames, close 1001, our close",
         R.SERVER_CLOSES, [stop_job(), close(1001, eof=False),
                           send(CLOSE(1001)), tcp_closed()]),
    ], target="own-push")
    return cases


def cases() -> list:
    return (framing() + ping_pong() + reserved_bits() + opcodes() +
            fragmentation() + utf8() + closing() + limits() + misc() + push())
