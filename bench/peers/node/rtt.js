#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Timing client built on the Node `ws` library, a peer for the wsbench
// latency benchmark: the counterpart of `floor rtt --handshake`.
//
//   node rtt.js --url URL [--connections N] [--rate R] [--size N]
//               [--warmup SECONDS] [--duration SECONDS]
//
// Each of N (default 1) connections sends binary messages of --size bytes
// (default 64) at R (default 1000) a second on a fixed timetable: message
// k is due at t0 + k/R, and its round trip is timed from that due time,
// however late the timer let it go (the correction for coordinated
// omission). Each message starts with wsbench's stamp,
// "wsb1:<seq, 16 hex>:<due time, ns since the epoch, 16 hex>;". Every
// 0.5 s it prints "<t> <messages> <bytes>" (CLOCK_MONOTONIC seconds,
// echoes received and their payload bytes); the round trips after --warmup
// seconds (default 0) are kept, and after --duration more (or on
// SIGTERM/SIGINT) it prints
//
//   latency count N p50_us X p99_us X max_us X
//
// and exits. A connection that fails or closes, or an echo that is not
// the stamp sent, exits 1.
'use strict';

const WebSocket = require('ws');

const INTERVAL_MS = 500;
const STAMP_LEN = 39;

function usage(msg) {
  if (msg) process.stderr.write(`rtt.js: ${msg}\n`);
  process.stderr.write('usage: node rtt.js --url URL [--connections N] [--rate R] [--size N]\n' +
    '                   [--warmup SECONDS] [--duration SECONDS]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { url: null, connections: 1, rate: 1000, size: 64, warmup: 0, duration: 0 };
  const numeric = { '--connections': 'connections', '--rate': 'rate', '--size': 'size',
    '--warmup': 'warmup', '--duration': 'duration' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (i + 1 >= argv.length) usage(`${a} needs a value`);
    if (a === '--url') opts.url = argv[++i];
    else if (a in numeric) opts[numeric[a]] = Number(argv[++i]);
    else usage(`unknown argument ${a}`);
  }
  if (!opts.url) usage('missing --url');
  if (!Number.isInteger(opts.connections) || opts.connections < 1) usage('bad --connections');
  if (!Number.isInteger(opts.rate) || opts.rate < 1) usage('bad --rate');
  if (!Number.isInteger(opts.size) || opts.size < STAMP_LEN) usage('bad --size');
  if (!(opts.warmup >= 0) || !(opts.duration >= 0)) usage('bad --warmup or --duration');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const now = () => process.hrtime.bigint(); // CLOCK_MONOTONIC, ns
// CLOCK_REALTIME minus CLOCK_MONOTONIC, fixed at the start (ms precision
// is enough: it cancels out of every round trip).
const offset = BigInt(Date.now()) * 1000000n - now();
const intervalNs = 1000000000n / BigInt(opts.rate);

let messages = 0;
let bytes = 0;
let recording = opts.warmup === 0;
const rtts = []; // ns, as Numbers

function fail(i, why) {
  process.stderr.write(`rtt.js: connection ${i}: ${why}\n`);
  process.exit(1);
}

function hex16(n) {
  return n.toString(16).padStart(16, '0');
}

function onEcho(i, data) {
  const t = now();
  const stamp = data.toString('latin1', 0, STAMP_LEN);
  if (data.length < STAMP_LEN || !stamp.startsWith('wsb1:') || stamp[21] !== ':' || stamp[38] !== ';') {
    fail(i, 'an echo without the stamp sent');
  }
  messages++;
  bytes += data.length;
  if (recording) rtts.push(Number(t - (BigInt('0x' + stamp.slice(22, 38)) - offset)));
}

function quantile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

function monotonicSeconds() {
  const us = now() / 1000n;
  return `${us / 1000000n}.${String(us % 1000000n).padStart(6, '0')}`;
}

function report() {
  process.stdout.write(`${monotonicSeconds()} ${messages} ${bytes}\n`);
}

function finish() {
  report();
  const sorted = Float64Array.from(rtts).sort();
  const us = (ns) => (ns / 1000).toFixed(3);
  process.stdout.write(`latency count ${sorted.length} p50_us ${us(quantile(sorted, 0.5))} ` +
    `p99_us ${us(quantile(sorted, 0.99))} max_us ${us(quantile(sorted, 1))}\n`);
  process.exit(0);
}

// Sends what every connection owes by now, then sleeps until the next
// due time (setTimeout's resolution is a millisecond: the lateness it
// adds is the client's and counts).
function pace(conns, t0) {
  const t = now();
  const owed = (t - t0) / intervalNs + 1n;
  for (const c of conns) {
    for (; c.next < owed; c.next++) {
      c.buf.write(`wsb1:${hex16(c.next)}:${hex16(t0 + c.next * intervalNs + offset)};`, 0, 'latin1');
      c.ws.send(Buffer.from(c.buf), { binary: true });
    }
  }
  const wait = Number(t0 + owed * intervalNs - now()) / 1e6;
  setTimeout(() => pace(conns, t0), Math.max(0, wait));
}

function start(conns) {
  setInterval(report, INTERVAL_MS);
  report();
  const t0 = now();
  pace(conns, t0);
  setTimeout(() => { recording = true; }, opts.warmup * 1000);
  if (opts.duration > 0) setTimeout(finish, (opts.warmup + opts.duration) * 1000);
}

const conns = [];
let open = 0;
for (let i = 0; i < opts.connections; i++) {
  const buf = Buffer.alloc(opts.size, 'a');
  const ws = new WebSocket(opts.url, { perMessageDeflate: false });
  conns.push({ ws, buf, next: 0n });
  ws.on('open', () => { if (++open === opts.connections) start(conns); });
  ws.on('message', (data) => onEcho(i, data));
  ws.on('error', (err) => fail(i, `error: ${err.message}`));
  ws.on('close', (code, reason) => fail(i, `closed: code ${code} ${reason.toString()}`.trimEnd()));
}

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, finish);
