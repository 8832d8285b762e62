#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Receiving client built on the Node `ws` library, a peer for the wsbench
// benchmark.
//
//   node recv.js --url URL [--connections N]
//
// Opens N (default 1) connections to URL and counts every message received
// on all of them. Every 0.5 s it prints one line to stdout:
//
//   <t> <messages_total> <wire_bytes_total>
//
// where t is CLOCK_MONOTONIC in seconds (process.hrtime.bigint() is
// CLOCK_MONOTONIC on Linux; performance.now() is not) and wire bytes count,
// for each message, its payload length plus the server's frame header length
// (2 if len < 126, 4 if len < 65536, else 10).
//
// A connection that fails or closes is reported on stderr and exits 1.
// SIGTERM/SIGINT exit 0.
'use strict';

const WebSocket = require('ws');

const INTERVAL_MS = 500;

function usage(msg) {
  if (msg) process.stderr.write(`recv.js: ${msg}\n`);
  process.stderr.write('usage: node recv.js --url URL [--connections N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { url: null, connections: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') opts.url = val();
    else if (a === '--connections') opts.connections = Number(val());
    else usage(`unknown argument ${a}`);
  }
  if (!opts.url) usage('missing --url');
  if (!Number.isInteger(opts.connections) || opts.connections < 1) usage('bad --connections');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

let messages = 0;
let wireBytes = 0; // a double: exact up to 2^53 bytes, ample for a benchmark

// Size of the (unmasked) server-to-client frame header for a payload length.
function headerLen(len) {
  return len < 126 ? 2 : len < 65536 ? 4 : 10;
}

// CLOCK_MONOTONIC nanoseconds -> "seconds.micros" without float rounding.
function monotonicSeconds() {
  const ns = process.hrtime.bigint();
  const us = ns / 1000n;
  return `${us / 1000000n}.${String(us % 1000000n).padStart(6, '0')}`;
}

function fail(i, why) {
  process.stderr.write(`recv.js: connection ${i}: ${why}\n`);
  process.exit(1);
}

for (let i = 0; i < opts.connections; i++) {
  const ws = new WebSocket(opts.url, { perMessageDeflate: false });
  // data is a Buffer for both text and binary messages (binaryType
  // 'nodebuffer'), so data.length is the payload length in bytes.
  ws.on('message', (data) => {
    messages++;
    wireBytes += data.length + headerLen(data.length);
  });
  ws.on('error', (err) => fail(i, `error: ${err.message}`));
  ws.on('close', (code, reason) => fail(i, `closed: code ${code} ${reason.toString()}`.trimEnd()));
}

// stdout to a pipe or file is synchronous in Node on Linux, so each line is
// flushed as it is written.
setInterval(() => {
  process.stdout.write(`${monotonicSeconds()} ${messages} ${wireBytes}\n`);
}, INTERVAL_MS);

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
