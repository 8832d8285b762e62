# SPDX-License-Identifier: ISC
"""The RFC 6455 rules the cases check: section and a short quote or
paraphrase.  "Fail" is the RFC's _Fail the WebSocket Connection_ (7.1.7):
send a close frame with the reason's code if possible, then close TCP."""

LENGTHS = ("5.2: the payload length is 0-125 in 7 bits, or 126 then 16 "
           "bits, or 127 then 64 bits; every form must be taken (the echo "
           "job sends each message back whole, of its type)")
STREAM = ("5.2, 5.4: a frame is a byte sequence on the TCP stream, in "
          "whatever pieces it arrives; several may arrive in one piece")
PING = ("5.5.2: upon receipt of a Ping frame, an endpoint MUST send a Pong "
        "frame in response; 5.5.3: with the identical Application data")
PING_AFTER_CLOSE = ("5.5.2: upon receipt of a Ping frame, an endpoint MUST "
                    "send a Pong frame in response, unless it already "
                    "received a Close frame (having sent one is no "
                    "exception: 5.5.1 forbids only data frames after it)")
PONG = ("5.5.3: a Pong frame MAY be sent unsolicited; a response to an "
        "unsolicited Pong frame is not expected")
CONTROL_LEN = ("5.5: all control frames MUST have a payload length of 125 "
               "bytes or less; otherwise Fail (1002)")
CONTROL_FRAG = ("5.5: all control frames MUST NOT be fragmented "
                "(FIN clear); otherwise Fail (1002)")
INTERLEAVE = ("5.4: an endpoint MUST be capable of handling control frames "
              "in the middle of a fragmented message")
RSV = ("5.2: RSV1-3 MUST be 0 unless an extension defining them was "
       "negotiated (none is); if a nonzero value is received, the "
       "receiving endpoint MUST Fail (1002)")
OPCODE = ("5.2: opcodes 0x3-0x7 (non-control) and 0xB-0xF (control) are "
          "reserved; if an unknown opcode is received, the receiving "
          "endpoint MUST Fail (1002)")
FRAG = ("5.4: a fragmented message is a frame with FIN clear and an "
        "opcode, zero or more continuations, and a continuation with FIN "
        "set; the message is the concatenation of the payloads (any of "
        "which may be empty)")
FRAG_ORDER = ("5.4: fragments of one message MUST NOT be interleaved with "
              "another message's; a continuation only continues a started "
              "message; otherwise Fail (1002)")
UTF8_OK = ("5.6, 8.1: a text message is UTF-8 (RFC 3629); a valid one is "
           "delivered whatever its characters and fragmentation")
UTF8_BAD = ("8.1: when an endpoint is to interpret a byte stream as UTF-8 "
            "but finds it is not valid (RFC 3629: overlongs, surrogates, "
            "above U+10FFFF, stray or missing continuation bytes), it MUST "
            "Fail (7.4.1: code 1007)")
UTF8_FAST = ("8.1, as Autobahn 6.4 (fail fast): validated as the bytes "
             "arrive, the connection fails on the byte that makes the "
             "sequence invalid, before the rest of the message is sent")
CLOSE = ("5.5.1: an endpoint receiving a Close frame it did not send first "
         "MUST send a Close frame in response, typically echoing the status "
         "code; 7.1.1: the server closes TCP first")
CLOSE_EMPTY = ("5.5.1: a Close frame MAY have no body; the answer is a "
               "Close with no code or 1000 (7.1.5: none is 1005, never sent)")
CLOSE_BAD_CODE = ("7.4.1, 7.4.2: 0-999 are unused, 1004 is reserved, 1005, "
                  "1006 and 1015 MUST NOT be sent, 1016-2999 are unassigned "
                  "in RFC 6455 (1012-1014 were registered with IANA later; "
                  "ws_close_code_valid keeps to the RFC's set), 5000+ is "
                  "invalid; such a code is a protocol error: Fail (1002)")
CLOSE_BODY = ("5.5.1: if there is a body, the first two bytes MUST be the "
              "status code; a body of one byte is malformed: Fail (1002)")
CLOSE_REASON = ("5.5.1: after the code, the body is a UTF-8 reason; 8.1: "
                "invalid UTF-8 there fails the connection (1007)")
AFTER_CLOSE = ("5.5.1: after sending a Close frame, the endpoint MUST NOT "
               "send any more data frames; 1.4: frames after the close are "
               "discarded")
SERVER_FIRST = ("5.5.1: after sending and receiving a Close message, an "
                "endpoint MUST close TCP; 7.1.1: the server closes it first")
SERVER_CLOSES = ("7.1.2, 7.1.1: an endpoint that starts the closing "
                 "handshake waits for the other's Close, then (the server) "
                 "closes TCP; 5.5.1: it sends no data frame after its Close")
CLIENT_WAITS = ("7.1.1: the TCP connection SHOULD be closed first by the "
                "server; the client SHOULD wait for the server to close it")
TOO_BIG = ("10.4: implementations SHOULD impose a limit on frame and "
           "message size; 7.4.1: 1009 is for a message too big to process; "
           "the limit is checked as soon as a header announces the size")
BIG_OK = ("10.4: up to the limit (16 MiB by default, --max-message) a "
          "message of any size is taken whole")
UNMASKED = ("5.1: a client MUST mask all frames it sends; a server MUST "
            "close the connection upon receiving a frame that is not "
            "masked (MAY send 1002)")
MASKED = ("5.1: a server MUST NOT mask any frames it sends; a client MUST "
          "close the connection if it detects a masked frame (1002)")
MASK_KEY = ("5.3: the masking key is any 32-bit value the client picks "
            "(0 included); the server unmasks with it")
CLIENT_MASKS = ("5.3: a client MUST mask every frame it sends, a close or a "
                "pong too, with a fresh key")
MINIMAL = ("5.2: the minimal number of bytes MUST be used to encode the "
           "length; a longer form is a protocol error: Fail (1002)")
TOP_BIT = ("5.2: with 127, the 64-bit length's most significant bit MUST "
           "be 0: Fail (1002)")
HS_OK = ("4.2.2: a valid request is answered with 101, Upgrade: websocket, "
         "Connection: Upgrade, and Sec-WebSocket-Accept = base64(SHA-1(key "
         "+ GUID)); field names and tokens are case-insensitive")
HS_MISSING = ("4.2.1: a request without Host, Upgrade: websocket, "
              "Connection: Upgrade or Sec-WebSocket-Key is refused with an "
              "error such as 400 Bad Request")
HS_VERSION = ("4.2.2, 4.4: a missing or unsupported Sec-WebSocket-Version "
              "gets 426 Upgrade Required with Sec-WebSocket-Version: 13")
HS_KEY = ("4.1: Sec-WebSocket-Key is 16 bytes, base64-encoded (24 "
          "characters); 4.2.1: anything else is a bad request (400)")
HS_METHOD = ("4.1, 4.2.1: the request MUST be a GET; other methods get 405 "
             "with Allow: GET (RFC 7231 6.5.5)")
HS_HTTP = ("4.1: HTTP/1.1 or higher is required; the server speaks 1.1, so "
           "1.0 gets 505 HTTP Version Not Supported")
HS_SIZE = ("RFC 6585 5: 431 Request Header Fields Too Large (the head is "
           "limited to 8 KiB)")
HS_BARE_LF = ("4.1: the handshake is HTTP/1.1, lines end in CRLF (RFC 7230 "
              "3); a bare LF is refused as malformed (400), not guessed at")
HS_NO_EXT = ("9.1: an extension is used only if the server's response "
             "names it; the server supports none, so it answers without "
             "Sec-WebSocket-Extensions")
HS_NO_PROTO = ("4.2.2: a server agreeing to none of the offered "
               "subprotocols MUST NOT send Sec-WebSocket-Protocol")
HS_STREAM = ("RFC 7230 3: the request is a byte stream, whatever its "
             "pieces; 4.2.2: frames may follow the head at once")
CHS_REQUEST = ("4.1: the client sends GET path HTTP/1.1 with Host, Upgrade: "
               "websocket, Connection: Upgrade, a Sec-WebSocket-Key of 16 "
               "random bytes in base64 and Sec-WebSocket-Version: 13")
CHS_OK = ("4.1: a 101 with Upgrade: websocket, Connection: Upgrade and the "
          "right Sec-WebSocket-Accept establishes the connection")
CHS_FAIL = ("4.1: if the status is not 101, or Upgrade is not websocket, "
            "Connection is not Upgrade, Sec-WebSocket-Accept is missing or "
            "wrong, or an extension or subprotocol was not offered by the "
            "client, the client MUST Fail the WebSocket Connection")
PUSH = ("5.5.2, 5.5.1: control frames are answered in the middle of a "
        "server's own stream of data frames")
