// SPDX-License-Identifier: ISC
// Payloads the Node peers of the tests send: recognisable, and for text,
// UTF-8 with characters of 1 to 4 bytes so that cuts fall inside them.
'use strict';

// Text of exactly n bytes of UTF-8.
function text(n) {
  const parts = ['\u00e9', 'a', '\u20ac', '\u{1f600}', 'z'];
  const out = [];
  let len = 0;
  for (let i = 0; ; i++) {
    const p = parts[i % parts.length];
    const b = Buffer.byteLength(p);
    if (len + b > n) break;
    out.push(p);
    len += b;
  }
  return Buffer.from(out.join('') + 'x'.repeat(n - len), 'utf8');
}

function binary(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + 3) % 256;
  return b;
}

// ws's perMessageDeflate options for an offer written as wsbenchctl's
// --deflate-offer takes it ("server_no_context_takeover;
// server_max_window_bits=10", "" for none), every message compressed.
const DEFLATE_PARAMS = {
  server_no_context_takeover: 'serverNoContextTakeover',
  client_no_context_takeover: 'clientNoContextTakeover',
  server_max_window_bits: 'serverMaxWindowBits',
  client_max_window_bits: 'clientMaxWindowBits',
};

function deflateOptions(spec) {
  const o = { threshold: 0, clientMaxWindowBits: false };
  for (const p of spec.split(';').map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = p.split('=');
    if (!(name in DEFLATE_PARAMS))
      throw new Error(`unknown permessage-deflate parameter ${name}`);
    o[DEFLATE_PARAMS[name]] = value === undefined ? true : Number(value);
  }
  return o;
}

module.exports = { text, binary, deflateOptions };
