#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// A Node `ws` echo server, for the latency test across peers
// (tests/latency_peers.sh).
//
//   node echo_server.js
//
// Binds 127.0.0.1:0 and prints the port on stdout (one line), then sends
// every message back as it came, text as text and binary as binary.  On
// SIGTERM or SIGINT it prints "echoed N" on stdout and exits 0.
'use strict';

const { WebSocketServer } = require('ws');

let echoed = 0;
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0,
  perMessageDeflate: false });
wss.on('listening', () => {
  process.stdout.write(`${wss.address().port}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => {
    ws.send(data, { binary: isBinary });
    echoed++;
  });
  ws.on('error', (e) => process.stderr.write(`echo_server.js: ${e.message}\n`));
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => {
    process.stdout.write(`echoed ${echoed}\n`, () => process.exit(0));
  });
}
