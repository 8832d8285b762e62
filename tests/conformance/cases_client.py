# SPDX-License-Identifier: ISC
"""Categories 12 and 13: our recv client.  A recv job connects to the
runner, which plays the server: the runner checks the job's opening
request, answers it (a valid 101 unless the case says otherwise), then
sends frames and watches what the client does and what its counters say
(`wsbenchctl stats`)."""

import rules as R
from cases_server import KOSME, bin_of, frags, section, text_of
from steps import (B, C, CLOSE, PING, PONG, T, close, control_frames, hangup,
                   pong, quiet, respond, send, stat, stop_job, tcp_closed)
from wire import OP_CLOSE, OP_PONG, OP_TEXT, Frame, accept_for

CONNECTED = [stat("connections", "==", 1), stat("connection_errors", "==", 0)]
FAILED = [stat("connection_errors", ">=", 1), stat("connections", "==", 0)]
CLEAN = [hangup(), stat("connections", "==", 0),
         stat("connection_errors", "==", 0)]


def fresh_pongs(got: list):
    if [(g.op, g.payload) for g in got] != [(OP_PONG, b"1"), (OP_PONG, b"2"),
                                            (OP_PONG, b"3")]:
        return "not the 3 pongs"
    return None if len({g.key for g in got}) == 3 else "a key used twice"


def resp(first: str = "HTTP/1.1 101 Switching Protocols", drop: tuple = (),
         put: dict = None, add: tuple = (), lower: bool = False,
         then: Frame = None):
    """A response maker (key -> bytes): the valid 101, less the fields in
    drop, with the values in put, plus the pairs in add, then the frame
    then in the same write.  In values, {accept} is the right accept,
    {other} that of another key and {key} the request's key."""
    fields = [("Upgrade", "websocket"), ("Connection", "Upgrade"),
              ("Sec-WebSocket-Accept", "{accept}")]
    put = put or {}

    def make(key: str) -> bytes:
        subst = {"accept": accept_for(key), "key": key,
                 "other": accept_for("AAAAAAAAAAAAAAAAAAAAAA==")}
        lines = [first] + [
            f"{n.lower() if lower else n}: {v.format(**subst)}"
            for n, v in [(n, put.get(n, v)) for n, v in fields
                         if n not in drop] + list(add)]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        return head + (then.encode(False, None) if then else b"")
    return make


def handshake() -> list:
    ok = [
        ("a valid 101 (the request was checked: GET, Host, Upgrade, "
         "Connection, a 16-byte key, version 13)", R.CHS_REQUEST + "; " +
         R.CHS_OK, [respond(resp())] + CONNECTED),
        ("a valid 101, one byte per write", R.CHS_OK,
         [respond(resp(), chunk=1)] + CONNECTED),
        ("field names in lower case, 'Upgrade: WebSocket', 'Connection: "
         "keep-alive, Upgrade'", R.CHS_OK,
         [respond(resp(put={"Upgrade": "WebSocket",
                            "Connection": "keep-alive, Upgrade"},
                       lower=True))] + CONNECTED),
        ("a valid 101 and a ping in one write", R.CHS_OK + "; " + R.PING,
         [respond(resp(then=PING(b"early"))), pong(b"early")] + CONNECTED),
        ("a valid 101 and a close 1000 in one write", R.CHS_OK + "; " +
         R.CLOSE, [respond(resp(then=CLOSE(1000))), close(1000, eof=False)]
         + CLEAN),
        ("a valid 101 and a masked text in one write", R.CHS_OK + "; " +
         R.MASKED, [respond(resp(then=T("x", mask=b"abcd"))), close(1002)]),
    ]
    bad = [
        ("a 101 with a wrong Sec-WebSocket-Accept", resp(put={
            "Sec-WebSocket-Accept": "{other}"})),
        ("a 101 with the key as Sec-WebSocket-Accept",
         resp(put={"Sec-WebSocket-Accept": "{key}"})),
        ("a 101 without Sec-WebSocket-Accept",
         resp(drop=("Sec-WebSocket-Accept",))),
        ("a 101 without Upgrade", resp(drop=("Upgrade",))),
        ("a 101 with 'Upgrade: h2c'", resp(put={"Upgrade": "h2c"})),
        ("a 101 without Connection", resp(drop=("Connection",))),
        ("a 101 with 'Connection: keep-alive'",
         resp(put={"Connection": "keep-alive"})),
        ("a 101 with an extension not offered (permessage-deflate)",
         resp(add=[("Sec-WebSocket-Extensions", "permessage-deflate")])),
        ("a 101 with a subprotocol not offered (chat)",
         resp(add=[("Sec-WebSocket-Protocol", "chat")])),
        ("200 OK", resp("HTTP/1.1 200 OK")),
        ("403 Forbidden", resp("HTTP/1.1 403 Forbidden")),
        ("302 Found", resp("HTTP/1.1 302 Found",
                            add=[("Location", "ws://127.0.0.1:1/")])),
        ("an HTTP/1.0 101", resp("HTTP/1.0 101 Switching Protocols")),
        ("'hello' (not HTTP)", lambda key: b"hello\r\n\r\n"),
    ]
    return section("12.1", ok, target="client", handshake=False) + section(
        "12.2", [(f"the server answers {desc}", R.CHS_FAIL,
                  [respond(make), tcp_closed()] + FAILED)
                 for desc, make in bad] + [
            ("the server closes TCP without an answer", R.CHS_FAIL,
             [hangup()] + FAILED)],
        target="client", handshake=False)


def frames() -> list:
    limit = {"job_args": ("--max-message", "1000")}
    counted = ([T("t%d" % i) for i in range(10)] +
               [B(b"b%d" % i) for i in range(10)] +
               frags(OP_TEXT, b"fragmented", 3))
    rows = [
        ("a masked text from the server", R.MASKED,
         [send(T("masked", mask=b"abcd")), close(1002)]),
        ("a masked ping from the server", R.MASKED,
         [send(PING(b"masked", mask=b"\0\0\0\0")), close(1002)]),
        ("invalid UTF-8 text (ED A0 80)", R.UTF8_BAD,
         [send(T(b"\xed\xa0\x80")), close(1007)]),
        ("'kosme' (FIN clear), then ED A0 80 (FIN clear); the rest never "
         "sent", R.UTF8_FAST,
         [send(T(KOSME, fin=False), C(b"\xed\xa0\x80", fin=False)),
          close(1007)]),
        ("fragment E0, then fragment 80", R.UTF8_FAST,
         [send(T(b"\xe0", fin=False), C(b"\x80", fin=False)), close(1007)]),
        ("close 1000", R.CLOSE + "; " + R.CLIENT_WAITS + "; " +
         R.CLIENT_MASKS,
         [send(CLOSE(1000)), close(1000, eof=False),
          quiet(0.5, "TCP left open for the server to close")] + CLEAN),
        ("close 1001 'going away'", R.CLOSE + "; " + R.CLIENT_WAITS,
         [send(CLOSE(1001, b"going away")), close(1001, eof=False),
          quiet(0.2, "TCP left open for the server to close")] + CLEAN),
        ("close with no body", R.CLOSE_EMPTY,
         [send(CLOSE()), close(None, 1000, eof=False)] + CLEAN),
        ("close 3000", R.CLOSE, [send(CLOSE(3000)), close(3000, eof=False)]
         + CLEAN),
        ("close 1000, then close 1001", R.AFTER_CLOSE,
         [send(CLOSE(1000), CLOSE(1001)), close(1000, eof=False),
          quiet(0.2, "nothing more")] + CLEAN),
        ("close with a 1-byte body", R.CLOSE_BODY,
         [send(Frame(OP_CLOSE, b"\x03")), close(1002)]),
        ("close 1005", R.CLOSE_BAD_CODE, [send(CLOSE(1005)), close(1002)]),
        ("close 1000 with a 124-byte reason", R.CONTROL_LEN,
         [send(CLOSE(1000, b"r" * 124)), close(1002)]),
        ("close 1000, reason FF", R.CLOSE_REASON,
         [send(CLOSE(1000, b"\xff")), close(1007)]),
        ("an empty ping", R.PING + "; " + R.CLIENT_MASKS,
         [send(PING()), pong(b"")]),
        ("a ping of 125 bytes", R.PING + "; " + R.CLIENT_MASKS,
         [send(PING(bin_of(125))), pong(bin_of(125))]),
        ("3 pings: 3 pongs, each with a fresh masking key", R.CLIENT_MASKS,
         [send(PING(b"1"), PING(b"2"), PING(b"3")),
          control_frames(3, fresh_pongs, "pongs b'1', b'2', b'3', masked "
                         "with 3 different keys")]),
        ("a ping between the fragments of a text", R.INTERLEAVE,
         [send(T("a", fin=False), PING(b"mid"), C("b")), pong(b"mid")]),
        ("an unsolicited pong, then a ping", R.PONG,
         [send(PONG(b"unsolicited"), PING(b"real")), pong(b"real")],
         {"expect": "no reaction to the pong; pong b'real'"}),
        ("a text with RSV1", R.RSV, [send(T("x", rsv=4)), close(1002)]),
        ("a binary with RSV3", R.RSV, [send(B(b"x", rsv=1)), close(1002)]),
        ("opcode 0x3", R.OPCODE, [send(Frame(3, b"x")), close(1002)]),
        ("opcode 0xb", R.OPCODE, [send(Frame(0xB)), close(1002)]),
        ("a text of 5 bytes with a 16-bit length", R.MINIMAL,
         [send(T("short", form=16)), close(1002)]),
        ("a binary announcing 2^63 + 5 bytes", R.TOP_BIT,
         [send(B(b"", length=1 << 63 | 5, form=64)), close(1002)]),
        ("a continuation, no message started", R.FRAG_ORDER,
         [send(C("x")), close(1002)]),
        ("a text inside a text", R.FRAG_ORDER,
         [send(T("a", fin=False), T("b")), close(1002)]),
        ("a ping of 126 bytes", R.CONTROL_LEN,
         [send(PING(b"x" * 126)), close(1002)]),
        ("a ping with FIN clear", R.CONTROL_FRAG,
         [send(PING(b"x", fin=False)), close(1002)]),
        ("a binary announcing 16 MiB + 1 bytes, header only", R.TOO_BIG,
         [send(B(b"", length=(16 << 20) + 1, form=64)), close(1009)]),
        ("--max-message 1000: 1001 bytes", R.TOO_BIG,
         [send(B(bin_of(1001))), close(1009)], limit),
        ("--max-message 1000: 1001 bytes in fragments of 600", R.TOO_BIG,
         [send(*frags(OP_TEXT, text_of(1001), 600)), close(1009)], limit),
        ("--max-message 1000: 1000 bytes, then a ping", R.BIG_OK,
         [send(B(bin_of(1000)), PING(b"p")), pong(b"p"),
          stat("messages_received", "==", 1)], limit),
        ("21 messages (one fragmented), then a ping", R.FRAG + "; " +
         R.LENGTHS, [send(*counted, PING(b"count")), pong(b"count"),
                     stat("messages_received", "==", 21)] + CONNECTED),
        ("'kosme', one fragment per byte, then a ping", R.UTF8_OK,
         [send(*frags(OP_TEXT, KOSME, 1), PING(b"ok")), pong(b"ok"),
          stat("messages_received", "==", 1)]),
        ("a binary of 1 MiB, then a ping", R.LENGTHS,
         [send(B(bin_of(1 << 20)), PING(b"big")), pong(b"big"),
          stat("messages_received", "==", 1)]),
        ("the job is stopped: the client closes with 1001, masked",
         R.CLOSE + "; " + R.CLIENT_MASKS,
         [stop_job(), close(1001, eof=False), send(CLOSE(1001)), hangup()]),
        ("the job is stopped, the server sends a text and its close",
         R.CLOSE + "; " + R.CLIENT_WAITS,
         [stop_job(), close(1001, eof=False),
          send(T("late"), CLOSE(1001)),
          quiet(0.2, "TCP left open for the server to close"), hangup()]),
        ("the job is stopped, the server sends a ping and its close",
         R.PING_AFTER_CLOSE,
         [stop_job(), close(1001, eof=False), send(PING(b"p"), CLOSE(1001)),
          pong(b"p"), quiet(0.2, "TCP left open for the server to close")]),
    ]
    return section("13.1", rows, target="client")


def cases() -> list:
    return handshake() + frames()
