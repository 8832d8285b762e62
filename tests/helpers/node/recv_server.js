#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// A Node `ws` server that pushes a fixed number of messages, for the recv
// job's interoperability matrix (tests/peer_recv_matrix.sh).
//
//   node recv_server.js --type text|binary --size N --messages M
//       [--fragmented [--ping-between]] [--serve K] [--timeout SECONDS]
//
// Binds 127.0.0.1:0 and prints the port on stdout (one line).  Each of the
// first K connections (default 1) gets exactly M messages, text or binary
// of N bytes, each whole or, with --fragmented, in fragments sent with
// ws.send(chunk, {fin: false}) and a last one with fin: true, cut at 1,
// 125 and 126 bytes and 64 KiB, then the rest (text cut at those byte
// offsets, so inside UTF-8 characters).  With --ping-between, a ping goes
// between every two fragments (RFC 6455 5.4: control frames may come in
// the middle of a fragmented message), and the close waits (5 s at most)
// until every ping has its pong.  Then the connection is closed with
// 1000.  After that close handshake it prints
//
//     served I MESSAGES PAYLOAD_BYTES FRAME_BYTES CLOSE_CODE UNANSWERED
//
// where FRAME_BYTES is the bytes of the data and ping frames on the wire,
// CLOSE_CODE the code the client answered the close with and UNANSWERED
// the number of pings without a pong.  Later
// connections get nothing and stay open until the client closes them; each
// prints `idle I` when it opens.  Events go to stderr.
//
// Text is UTF-8 of exactly N bytes, with characters of 1 to 4 bytes.
// Runs until SIGTERM or SIGINT (exit 0) or --timeout seconds (exit 3).
'use strict';

const { WebSocketServer } = require('ws');
const { text, binary } = require('./payload');

const CUTS = [1, 125, 126, 65536];

function log(msg) {
  process.stderr.write(`recv_server.js: ${msg}\n`);
}

function usage(msg) {
  log(msg);
  log('usage: node recv_server.js --type text|binary --size N --messages M ' +
      '[--fragmented] [--serve K] [--timeout S]');
  process.exit(2);
}

const o = { type: null, size: null, messages: null, fragmented: false,
  pingBetween: false, serve: 1, timeout: 60 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  const val = () => {
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    return argv[++i];
  };
  if (a === '--type') o.type = val();
  else if (a === '--size') o.size = Number(val());
  else if (a === '--messages') o.messages = Number(val());
  else if (a === '--fragmented') o.fragmented = true;
  else if (a === '--ping-between') o.pingBetween = true;
  else if (a === '--serve') o.serve = Number(val());
  else if (a === '--timeout') o.timeout = Number(val());
  else usage(`unknown argument ${a}`);
}
if (o.type !== 'text' && o.type !== 'binary') usage('--type text or binary');
if (!Number.isInteger(o.size) || o.size < 0) usage('bad --size');
if (!Number.isInteger(o.messages) || o.messages < 0) usage('bad --messages');
if (!Number.isInteger(o.serve) || o.serve < 0) usage('bad --serve');
if (o.pingBetween && !o.fragmented) usage('--ping-between needs --fragmented');

const headerLen = (n) => (n < 126 ? 2 : n < 65536 ? 4 : 10);

const isBinary = o.type === 'binary';
const payload = isBinary ? binary(o.size) : text(o.size);
const pieces = [];
if (o.fragmented) {
  let pos = 0;
  for (const c of CUTS) {
    if (pos + c >= payload.length) break;
    pieces.push(payload.subarray(pos, pos + c));
    pos += c;
  }
  pieces.push(payload.subarray(pos));
} else {
  pieces.push(payload);
}
const frameBytes = pieces.reduce((s, p) => s + p.length + headerLen(p.length), 0);
log(`${o.messages} x ${o.type} of ${o.size} bytes a connection, ` +
  `${pieces.length} frame(s) of [${pieces.map((p) => p.length)}] a message` +
  (o.pingBetween ? `, a ping between every two` : ''));

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0,
  perMessageDeflate: false, maxPayload: 1 << 20 });
wss.on('listening', () => {
  process.stdout.write(`${wss.address().port}\n`);
  log(`listening on 127.0.0.1:${wss.address().port}`);
});
wss.on('error', (err) => {
  log(`error: ${err.message}`);
  process.exit(2);
});

function sendFrame(ws, data, fin) {
  return new Promise((resolve, reject) => {
    ws.send(data, { binary: isBinary, fin, compress: false },
      (err) => (err ? reject(err) : resolve()));
  });
}

let conns = 0;
wss.on('connection', async (ws) => {
  const i = ++conns;
  ws.on('error', (err) => log(`connection ${i}: error: ${err.message}`));
  if (i > o.serve) {
    process.stdout.write(`idle ${i}\n`);
    log(`connection ${i}: idle`);
    ws.on('close', (code) => log(`connection ${i}: closed by the client with ${code}`));
    return;
  }
  const closed = new Promise((resolve) => ws.on('close', resolve));
  let sent = 0;
  let pings = 0;
  let pingBytes = 0;
  let pongs = 0;
  ws.on('pong', () => pongs++);
  try {
    for (let m = 0; m < o.messages; m++) {
      for (let k = 0; k < pieces.length; k++) {
        const fin = k === pieces.length - 1;
        await sendFrame(ws, pieces[k], fin);
        if (o.pingBetween && !fin) {
          const ping = Buffer.from(`${m}.${k}`);
          ws.ping(ping);
          pings++;
          pingBytes += 2 + ping.length;
        }
      }
      sent++;
    }
    for (let t = 0; t < 100 && pongs < pings; t++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    if (pings) log(`connection ${i}: ${pings} pings, ${pongs} pongs`);
    ws.close(1000);
  } catch (err) {
    log(`connection ${i}: closed early: ${err.message}`);
  }
  const code = await closed;
  log(`connection ${i}: sent ${sent} messages, closed with 1000, answered with ${code}`);
  process.stdout.write(`served ${i} ${sent} ${sent * o.size} ${sent * frameBytes + pingBytes} ${code} ` +
    `${pings - pongs}\n`);
});

setTimeout(() => {
  log(`no signal in ${o.timeout} s, giving up`);
  process.exit(3);
}, o.timeout * 1000);
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
