# SPDX-License-Identifier: ISC
"""Category 11: the opening handshake of our echo server.  The runner
opens a bare TCP connection and writes the request itself."""

import rules as R
from cases_server import section
from steps import CLOSE, T, close, echo, http, send
from wire import OP_TEXT

KEY = "dGhlIHNhbXBsZSBub25jZQ=="
FIELDS = [("Host", "127.0.0.1"), ("Upgrade", "websocket"),
          ("Connection", "Upgrade"), ("Sec-WebSocket-Key", KEY),
          ("Sec-WebSocket-Version", "13")]


def req(first: str = "GET / HTTP/1.1", drop: tuple = (), put: dict = None,
        add: tuple = (), lower: bool = False, colon: str = ": ",
        tail: str = "") -> bytes:
    """The request of FIELDS, less drop, with the values in put, plus the
    (name, value) pairs in add; field names in lower case if lower; colon
    between name and value, tail after the value."""
    put = put or {}
    fields = [(n, put.get(n, v)) for n, v in FIELDS if n not in drop]
    lines = [first] + [f"{n.lower() if lower else n}{colon}{v}{tail}"
                       for n, v in fields + list(add)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def padded(size: int) -> bytes:
    """A valid request of size bytes, an X-Pad field making up the size."""
    return req(add=[("X-Pad", "x" * (size - len(req(add=[("X-Pad", "")]))))])


UPGRADE = http(101, {"upgrade": "websocket", "connection": "upgrade"},
               ("sec-websocket-extensions", "sec-websocket-protocol"),
               accept=KEY)


def upgraded() -> list:
    """Steps: the 101 for KEY, then an echo over the connection."""
    return [UPGRADE, send(T("after the upgrade")),
            echo(OP_TEXT, b"after the upgrade")]


def refused(status: int, **fields) -> list:
    return [http(status, {k.replace("_", "-"): v for k, v in fields.items()})]


def handshake() -> list:
    ok = [
        ("a valid request", R.HS_OK, [send(req())] + upgraded()),
        ("a valid request, one byte per write", R.HS_STREAM,
         [send(req(), chunk=1)] + upgraded()),
        ("field names in lower case, 'Upgrade: WebSocket', 'Connection: "
         "keep-alive, Upgrade'", R.HS_OK,
         [send(req(put={"Upgrade": "WebSocket",
                        "Connection": "keep-alive, Upgrade"}, lower=True))]
         + upgraded()),
        ("offering permessage-deflate", R.HS_NO_EXT,
         [send(req(add=[("Sec-WebSocket-Extensions",
                         "permessage-deflate; client_max_window_bits")]))]
         + upgraded()),
        ("offering the subprotocol 'chat'", R.HS_NO_PROTO,
         [send(req(add=[("Sec-WebSocket-Protocol", "chat, superchat")]))]
         + upgraded()),
        ("the request and a first text frame in one write", R.HS_STREAM,
         [send(req(), T("after the upgrade")), UPGRADE,
          echo(OP_TEXT, b"after the upgrade")]),
        ("no space after the colons", R.HS_OK,
         [send(req(colon=":"))] + upgraded()),
        ("tabs and spaces around the values", R.HS_OK,
         [send(req(colon=":\t ", tail=" \t"))] + upgraded()),
        ("the request and a close 1000 in one write", R.HS_STREAM,
         [send(req(), CLOSE(1000)), UPGRADE, close(1000)]),
        ("the request and an unmasked text in one write", R.HS_STREAM +
         "; " + R.UNMASKED,
         [send(req(), T("plain", mask=None)), UPGRADE, close(1002)]),
        ("a head of exactly 8192 bytes", R.HS_SIZE,
         [send(padded(8192))] + upgraded()),
        ("a path with a query, and extra fields (Origin, User-Agent)",
         R.HS_OK, [send(req("GET /a/b?c=d&e HTTP/1.1",
                            add=[("Origin", "http://example.com"),
                                 ("User-Agent", "conformance")]))]
         + upgraded()),
    ]
    bad = [
        ("no Upgrade", R.HS_MISSING, req(drop=("Upgrade",)), refused(400)),
        ("'Upgrade: h2c'", R.HS_MISSING, req(put={"Upgrade": "h2c"}),
         refused(400)),
        ("no Connection", R.HS_MISSING, req(drop=("Connection",)),
         refused(400)),
        ("'Connection: keep-alive'", R.HS_MISSING,
         req(put={"Connection": "keep-alive"}), refused(400)),
        ("no Sec-WebSocket-Key", R.HS_MISSING,
         req(drop=("Sec-WebSocket-Key",)), refused(400)),
        ("no Host", R.HS_MISSING, req(drop=("Host",)), refused(400)),
        ("no Sec-WebSocket-Version", R.HS_VERSION,
         req(drop=("Sec-WebSocket-Version",)),
         refused(426, sec_websocket_version="13")),
        ("Sec-WebSocket-Version: 8", R.HS_VERSION,
         req(put={"Sec-WebSocket-Version": "8"}),
         refused(426, sec_websocket_version="13")),
        ("Sec-WebSocket-Version: 14", R.HS_VERSION,
         req(put={"Sec-WebSocket-Version": "14"}),
         refused(426, sec_websocket_version="13")),
        ("a key without its padding", R.HS_KEY,
         req(put={"Sec-WebSocket-Key": KEY.rstrip("=")}), refused(400)),
        ("a key of 4 characters", R.HS_KEY,
         req(put={"Sec-WebSocket-Key": "AAA="}), refused(400)),
        ("a key of 24 characters that are not base64", R.HS_KEY,
         req(put={"Sec-WebSocket-Key": "!" * 22 + "=="}), refused(400)),
        ("a key of 17 bytes", R.HS_KEY,
         req(put={"Sec-WebSocket-Key": "QUFBQUFBQUFBQUFBQUFBQUE="}),
         refused(400)),
        ("two keys", R.HS_KEY,
         req(add=[("Sec-WebSocket-Key", KEY)]), refused(400)),
        ("POST", R.HS_METHOD, req("POST / HTTP/1.1"),
         refused(405, allow="GET")),
        ("HTTP/1.0", R.HS_HTTP, req("GET / HTTP/1.0"), refused(505)),
        ("a whole head of 8193 bytes", R.HS_SIZE, padded(8193),
         refused(431)),
        ("a head of 8192 bytes with no end", R.HS_SIZE,
         (req()[:-2] + b"X-Pad: " + b"x" * 8192)[:8192], refused(431)),
        ("a bare LF ending one field line", R.HS_BARE_LF,
         req().replace(b"\r\nUpgrade", b"\nUpgrade"), refused(400)),
    ]
    return section("11.1", ok, target="raw") + section(
        "11.2", [(f"refused: {desc}", rule, [send(data)] + steps)
                 for desc, rule, data, steps in bad], target="raw")


def cases() -> list:
    return handshake()
