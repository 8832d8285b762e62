#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Checks an echo server with the Node `ws` client.
//
//   node echo_client.js URL [--timeout SECONDS] [--corrupt]
//       [--deflate PARAMS]
//
// Sends text and binary messages of 0, 1, 2, 125, 126, 127, 65535, 65536
// and 1 MiB bytes, each whole and then (from 2 bytes on) fragmented with
// ws.send(chunk, {fin: false}): in three parts cut at byte offsets (text
// cut inside UTF-8 characters), then an empty final fragment, with a ping
// between every two fragments (RFC 6455 5.4); then a pipelined burst of
// small text and binary messages.  Every echo must come back equal, of the
// same type, in order, and every ping must get its pong.  Then it closes with 1000, which
// the server must answer with 1000.  Prints the number of messages it sent
// on stdout.  --corrupt expects one byte more than it sent in the first
// message (the check must then fail: a test of the test).  --deflate
// offers permessage-deflate with PARAMS (see payload.js), which the server
// must agree to; every message is then sent compressed.
//
// Exit status: 0 on success, 1 if a check fails, 2 on a connection
// problem, 3 when --timeout seconds (default 60) pass.
'use strict';

const WebSocket = require('ws');
const { text, binary, deflateOptions } = require('./payload');

const SIZES = [0, 1, 2, 125, 126, 127, 65535, 65536, 1 << 20];
const BURST = 2000;

function log(msg) {
  process.stderr.write(`echo_client: ${msg}\n`);
}

const args = process.argv.slice(2);
let url = null;
let timeout = 60;
let corrupt = false;
let deflate = null;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--timeout') timeout = Number(args[++i]);
  else if (args[i] === '--corrupt') corrupt = true;
  else if (args[i] === '--deflate') deflate = args[++i];
  else url = args[i];
}
if (!url) {
  log('usage: node echo_client.js URL [--timeout S] [--corrupt]');
  process.exit(2);
}

// The messages: {data: Buffer, binary: bool, frags: [Buffer] | null}.
function messages() {
  const out = [];
  for (const n of SIZES) {
    for (const isBinary of [false, true]) {
      const data = isBinary ? binary(n) : text(n);
      out.push({ data, binary: isBinary, frags: null });
      if (n >= 2) {
        const a = Math.max(1, Math.floor(n / 3));
        const b = Math.max(a + 1, Math.floor((2 * n) / 3));
        out.push({ data, binary: isBinary,
          frags: [data.subarray(0, a), data.subarray(a, b), data.subarray(b),
            Buffer.alloc(0)] });
      }
    }
  }
  return out;
}

let timer = null;
let finished = false;
function done(rc, msg) {
  if (finished) return;
  finished = true;
  if (msg) log(msg);
  clearTimeout(timer);
  process.exitCode = rc;
  ws.terminate();
}

const ws = new WebSocket(url, { perMessageDeflate:
  deflate === null ? false : deflateOptions(deflate), maxPayload: 64 << 20,
  handshakeTimeout: 10000 });
timer = setTimeout(() => done(3, `FAIL: timed out after ${timeout} s`), timeout * 1000);

// The echoes, in arrival order, handed to whoever waits.
const queue = [];
let waiter = null;
let closed = null;
let pings = 0;
let pongs = 0;
ws.on('pong', () => pongs++);
ws.on('message', (data, isBinary) => {
  queue.push({ data, isBinary });
  if (waiter) { const w = waiter; waiter = null; w(); }
});
ws.on('close', (code) => {
  closed = code;
  if (waiter) { const w = waiter; waiter = null; w(); }
});
ws.on('error', (err) => done(2, `FAIL: connection: ${err.message}`));

async function next() {
  while (queue.length === 0) {
    if (closed !== null) throw new Error(`connection closed with ${closed}`);
    await new Promise((r) => { waiter = r; });
  }
  return queue.shift();
}

class CheckFailed extends Error {}

async function expect(want, isBinary, what) {
  const got = await next();
  if (got.isBinary !== isBinary || !got.data.equals(want))
    throw new CheckFailed(`${what}: echo differs: expected ${isBinary ? 'binary' : 'text'} ` +
      `of ${want.length} bytes, got ${got.isBinary ? 'binary' : 'text'} of ` +
      `${got.data.length} bytes`);
}

function send(data, opts) {
  return new Promise((resolve, reject) => {
    ws.send(data, { compress: deflate !== null, ...opts },
      (err) => (err ? reject(err) : resolve()));
  });
}

async function run() {
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  if (deflate !== null && !ws.extensions.startsWith('permessage-deflate'))
    return done(1, `FAIL: permessage-deflate not agreed: '${ws.extensions}'`);
  let sent = 0;
  for (const m of messages()) {
    let want = m.data;
    if (corrupt && sent === 0) want = Buffer.concat([want, Buffer.from('!')]);
    if (m.frags === null) {
      await send(m.data, { binary: m.binary });
    } else {
      for (let i = 0; i < m.frags.length; i++) {
        const fin = i === m.frags.length - 1;
        await send(m.frags[i], { binary: m.binary, fin });
        if (!fin) {
          ws.ping(Buffer.from(`${sent}.${i}`));
          pings++;
        }
      }
    }
    const what = `${m.binary ? 'binary' : 'text'} of ${m.data.length}` +
      (m.frags ? ` in ${m.frags.length} fragments` : ' whole');
    await expect(want, m.binary, what);
    sent++;
  }
  log(`${sent} messages echoed equal`);
  // A pipelined burst, text and binary in turn.
  const burst = [];
  for (let i = 0; i < BURST; i++)
    burst.push({ data: Buffer.from(`m${i}`), binary: i % 2 === 1 });
  const writes = burst.map((m) => send(m.data, { binary: m.binary }));
  for (let i = 0; i < BURST; i++)
    await expect(burst[i].data, burst[i].binary, `burst message ${i}`);
  await Promise.all(writes);
  sent += BURST;
  log(`a burst of ${BURST} echoed equal and in order`);
  for (let t = 0; t < 50 && pongs < pings; t++)
    await new Promise((r) => setTimeout(r, 100));
  if (pongs !== pings) throw new CheckFailed(`${pings} pings between fragments, ${pongs} pongs`);
  log(`${pings} pings between fragments, each answered`);
  ws.close(1000);
  while (closed === null) await new Promise((r) => { waiter = r; });
  if (closed !== 1000) throw new CheckFailed(`close answered with ${closed}, expected 1000`);
  return sent;
}

run().then((sent) => {
  process.stdout.write(`${sent}\n`);
  done(0, 'closed with 1000, answered with 1000');
}, (err) => {
  done(err instanceof CheckFailed ? 1 : 2, `FAIL: ${err.message}`);
});
