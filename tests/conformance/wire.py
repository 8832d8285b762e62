# SPDX-License-Identifier: ISC
"""RFC 6455 on the wire, for the conformance runner: frames as we send them
(any of them, including the ones the RFC forbids), frames as we receive
them (checked against what the RFC lets the other side send), masking,
the opening handshake, and a socket wrapper whose every read has a
deadline.  Standard library only."""

import base64
import hashlib
import os
import select
import socket
import time
from dataclasses import dataclass
from typing import NamedTuple, Optional

OP_CONT, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
OP_NAMES = {OP_CONT: "continuation", OP_TEXT: "text", OP_BINARY: "binary",
            OP_CLOSE: "close", OP_PING: "ping", OP_PONG: "pong"}
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
AUTO = "auto"           # Frame.mask: masked if the sender is a client


class CaseFailed(Exception):
    """The case's expectation does not hold; the message says why."""


def op_name(op: int) -> str:
    return OP_NAMES.get(op, f"opcode {op:#x}")


def show(data: bytes, limit: int = 24) -> str:
    """A payload, short enough for a one-line message."""
    if len(data) <= limit:
        return repr(bytes(data))
    return f"{len(data)} bytes ({bytes(data[:8])!r}...)"


def mask(data: bytes, key: bytes) -> bytes:
    """XOR with the 4-byte key, repeated; fast on megabytes (one big int)."""
    n = len(data)
    if n == 0 or key == b"\0\0\0\0":
        return bytes(data)
    keys = (key * (n // 4 + 1))[:n]
    return (int.from_bytes(data, "little") ^
            int.from_bytes(keys, "little")).to_bytes(n, "little")


def accept_for(key: str) -> str:
    """Sec-WebSocket-Accept for a Sec-WebSocket-Key (RFC 6455 4.2.2)."""
    digest = hashlib.sha1(key.encode() + GUID).digest()
    return base64.b64encode(digest).decode()


def close_payload(code: Optional[int], reason: bytes = b"") -> bytes:
    return b"" if code is None else code.to_bytes(2, "big") + reason


@dataclass(frozen=True)
class Frame:
    """A frame to send.  mask is AUTO (masked when we are the client),
    None (unmasked) or a 4-byte key.  form forces the length encoding
    (7, 16 or 64 bits, minimal when None); length announces a length other
    than the payload's; cut sends only that many payload bytes."""
    op: int
    payload: bytes = b""
    fin: bool = True
    rsv: int = 0
    mask: object = AUTO
    form: Optional[int] = None
    length: Optional[int] = None
    cut: Optional[int] = None

    def encode(self, client: bool, rng) -> bytes:
        key = self.mask
        if key == AUTO:
            key = rng.randbytes(4) if client else None
        n = len(self.payload) if self.length is None else self.length
        form = self.form or (7 if n <= 125 else 16 if n <= 0xFFFF else 64)
        head = bytes([(0x80 if self.fin else 0) | self.rsv << 4 | self.op])
        bit = 0x80 if key is not None else 0
        if form == 7:
            head += bytes([bit | n])
        elif form == 16:
            head += bytes([bit | 126]) + n.to_bytes(2, "big")
        else:
            head += bytes([bit | 127]) + n.to_bytes(8, "big")
        body = self.payload if key is None else mask(self.payload, key)
        if key is not None:
            head += key
        return head + body[:self.cut]


class Got(NamedTuple):
    """A frame received, unmasked (key: its masking key, or b"")."""
    fin: bool
    op: int
    payload: bytes
    masked: bool
    key: bytes = b""
    rsv: int = 0

    def __str__(self) -> str:
        what = op_name(self.op)
        if self.op == OP_CLOSE:
            what += f" {close_code(self.payload)}"
        return f"{what}{'' if self.fin else ' (FIN=0)'} {show(self.payload)}"


def close_code(payload: bytes) -> Optional[int]:
    return int.from_bytes(payload[:2], "big") if len(payload) >= 2 else None


def request(key: str, path: str) -> bytes:
    """A valid client opening handshake (RFC 6455 4.1)."""
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "\r\n").encode()


def response(key: str) -> bytes:
    """A valid server 101 for key (RFC 6455 4.2.2)."""
    return ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Accept: {accept_for(key)}"
            "\r\n\r\n").encode()


class Head(NamedTuple):
    """An HTTP head: its first line and its fields (names lowercased)."""
    first: str
    fields: dict

    def status(self) -> int:
        parts = self.first.split(" ")
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else -1


class Conn:
    """One TCP connection, us on one side.  client: we mask what we send
    and the other side must not mask; otherwise the reverse.  Every read
    ends by the deadline (time.monotonic()) with CaseFailed."""

    def __init__(self, sock: socket.socket, client: bool, deadline: float,
                 rng, log):
        self.sock = sock
        self.client = client
        self.deadline = deadline
        self.rng = rng
        self.log = log
        self.buf = bytearray()
        self.pos = 0
        self.eof = False
        self.deflate = False    # permessage-deflate agreed: RSV1 allowed
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(max(0.1, deadline - time.monotonic()))

    # --- sending ---------------------------------------------------------

    def encode(self, item) -> bytes:
        return item.encode(self.client, self.rng) if isinstance(item, Frame) \
            else bytes(item)

    def send(self, data: bytes, chunk: Optional[int] = None,
             pause: float = 0.0, upto: Optional[int] = None) -> None:
        """All of data: in pieces of chunk bytes if given (only its first
        upto bytes, if given, the rest in one piece), pause seconds apart.
        A peer that has already closed may reset us: the reads judge."""
        upto = len(data) if upto is None else min(upto, len(data))
        step = chunk or upto or 1
        pieces = [data[i:i + step] for i in range(0, upto, step)]
        if upto < len(data):
            pieces.append(data[upto:])
        try:
            for piece in pieces:
                self.sock.sendall(piece)
                if pause:
                    time.sleep(pause)
        except (BrokenPipeError, ConnectionResetError) as e:
            self.log(f"send: {e.strerror} (the peer has closed)")
        except socket.timeout:
            raise CaseFailed("send blocked until the case timed out "
                             "(the peer stopped reading)") from None

    # --- receiving -------------------------------------------------------

    def fill(self, until: float) -> bool:
        """Reads more; False at EOF.  CaseFailed when until passes."""
        if self.eof:
            return False
        left = until - time.monotonic()
        if left <= 0 or not select.select([self.sock], [], [], left)[0]:
            raise CaseFailed("nothing came before the case's timeout")
        try:
            data = self.sock.recv(1 << 20)
        except ConnectionResetError:
            self.log("recv: connection reset")
            data = b""
        if not data:
            self.eof = True
            return False
        if self.pos > (1 << 20):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += data
        return True

    def _take(self, n: int) -> Optional[bytes]:
        """n bytes, or None if the stream ends first."""
        while len(self.buf) - self.pos < n:
            if not self.fill(self.deadline):
                return None
        out = bytes(self.buf[self.pos:self.pos + n])
        self.pos += n
        return out

    def skip_copies(self, unit: bytes) -> None:
        """Skips the whole copies of unit (a frame's bytes) at the read
        position: a quick way through a stream of identical frames."""
        for block in (unit * max(1, 65536 // len(unit)), unit):
            while self.buf.startswith(block, self.pos):
                self.pos += len(block)

    def unread(self) -> bytes:
        return bytes(self.buf[self.pos:])

    def read_head(self) -> Optional[Head]:
        """An HTTP head up to its blank line, or None at EOF."""
        while (end := self.buf.find(b"\r\n\r\n", self.pos)) < 0:
            if not self.fill(self.deadline):
                return None
        text = self.buf[self.pos:end].decode("latin-1")
        self.pos = end + 4
        first, *lines = text.split("\r\n")
        fields = {}
        for line in lines:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        return Head(first, fields)

    def read_frame(self) -> Optional[Got]:
        """The next frame, or None at EOF (also mid-frame).  A frame the
        RFC does not let the other side send fails the case."""
        head = self._take(2)
        if head is None:
            return None
        fin, rsv, op = head[0] >> 7, head[0] >> 4 & 7, head[0] & 0xF
        masked, n = head[1] >> 7, head[1] & 0x7F
        ext = {126: 2, 127: 8}.get(n, 0)
        if ext:
            raw = self._take(ext)
            if raw is None:
                return None
            n = int.from_bytes(raw, "big")
        key = self._take(4) if masked else b""
        payload = self._take(n) if n else b""
        if key is None or payload is None:
            return None
        got = Got(bool(fin), op, mask(payload, key) if masked else payload,
                  bool(masked), key, rsv)
        self._check(got, rsv, ext, n)
        return got

    def _check(self, got: Got, rsv: int, ext: int, n: int) -> None:
        who = "our server" if self.client else "our client"
        problems = []
        if got.masked == self.client:
            problems.append("masked" if got.masked else "unmasked")
        # RSV1 marks a compressed message's first frame once
        # permessage-deflate is agreed (RFC 7692 section 6).
        if rsv and not (self.deflate and rsv == 4 and
                        got.op in (OP_TEXT, OP_BINARY)):
            problems.append(f"RSV bits {rsv:#x}")
        if got.op not in OP_NAMES:
            problems.append(f"reserved opcode {got.op:#x}")
        if got.op >= 8 and (not got.fin or n > 125):
            problems.append("a fragmented or too long control frame")
        if (ext == 2 and n <= 125) or (ext == 8 and n <= 0xFFFF):
            problems.append("a length not in its shortest form")
        if problems:
            raise CaseFailed(f"{who} sent a frame with "
                             f"{', '.join(problems)}: {got}")

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


def connect(port: int, deadline: float, rcvbuf: int = 0) -> socket.socket:
    """A TCP connection to 127.0.0.1:port; a small rcvbuf (set before the
    connect, so the window is small too) bounds what a server that never
    stops sending has queued for us."""
    sock = socket.socket()
    try:
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        sock.connect(("127.0.0.1", port))
        return sock
    except OSError as e:
        sock.close()
        raise CaseFailed(f"cannot connect to 127.0.0.1:{port}: {e}") from None


def new_key() -> str:
    return base64.b64encode(os.urandom(16)).decode()
