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

module.exports = { text, binary };
