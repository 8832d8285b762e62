#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Echo server built on the Node `ws` library, a peer for the wsbench
// latency benchmark.
//
//   node echo.js --port PORT
//
// Listens on 127.0.0.1:PORT and sends every message back to its sender as
// it came, text as text and binary as binary. Prints nothing but errors;
// SIGTERM/SIGINT exit 0.
'use strict';

const WebSocket = require('ws');

function usage(msg) {
  if (msg) process.stderr.write(`echo.js: ${msg}\n`);
  process.stderr.write('usage: node echo.js --port PORT\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { port: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port' && i + 1 < argv.length) opts.port = Number(argv[++i]);
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) usage('bad --port');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const wss = new WebSocket.Server({ host: '127.0.0.1', port: opts.port, perMessageDeflate: false });

wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
  ws.on('error', (err) => process.stderr.write(`echo.js: ${err.message}\n`));
});
wss.on('error', (err) => {
  process.stderr.write(`echo.js: ${err.message}\n`);
  process.exit(1);
});

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
