#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// Push server built on the Node `ws` library, a peer for the wsbench benchmark.
//
//   node push.js --port PORT [--msg TEXT | --size N]
//
// Listens on 127.0.0.1:PORT and sends one fixed message to every connected
// client in an endless loop, as fast as that client reads. `--msg TEXT`
// (default "yo") sends a text message; `--size N` sends a binary message of
// N bytes. Nothing is printed except errors (stderr). SIGTERM/SIGINT exit 0.
//
// Backpressure: per client we send while ws.bufferedAmount (bytes queued in
// user space, i.e. the socket's write buffer) is below HIGH_WATER, then wait
// for the underlying net.Socket's 'drain' event before sending again, so the
// memory held per client stays bounded. (Measured against chaining on the
// send callback instead: no difference beyond noise, so the simpler one.)
'use strict';

const { WebSocketServer } = require('ws');

const HIGH_WATER = 256 * 1024; // bytes buffered per client before we pause
const BURST = 256 * 1024; // bytes sent per client per event-loop turn at most

function usage(msg) {
  if (msg) process.stderr.write(`push.js: ${msg}\n`);
  process.stderr.write('usage: node push.js --port PORT [--msg TEXT | --size N]\n');
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { port: null, msg: 'yo', size: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(val());
    else if (a === '--msg') opts.msg = val();
    else if (a === '--size') opts.size = Number(val());
    else usage(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) usage('bad or missing --port');
  if (opts.size !== null && (!Number.isInteger(opts.size) || opts.size < 0)) usage('bad --size');
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

// Build the payload once. Text is pre-encoded to a Buffer so ws does not
// re-encode the string on every send; `binary: false` keeps it a text frame.
const isBinary = opts.size !== null;
const payload = isBinary ? Buffer.alloc(opts.size, 0x61) : Buffer.from(opts.msg, 'utf8');
const sendOpts = { binary: isBinary, compress: false };
const frameLen = payload.length + 2; // at least; only paces the bursts

const wss = new WebSocketServer({ host: '127.0.0.1', port: opts.port, perMessageDeflate: false });

wss.on('error', (err) => {
  process.stderr.write(`push.js: server error: ${err.message}\n`);
  process.exit(1);
});

wss.on('connection', (ws) => {
  const sock = ws._socket; // the underlying net.Socket
  sock.setNoDelay(true);

  // Whether we may still write. readyState alone is not enough: it only
  // changes on the 'close' event, which cannot run while pump() loops, and a
  // destroyed socket (peer gone) no longer grows bufferedAmount.
  const open = () => ws.readyState === ws.OPEN && sock.writable;

  // Send until HIGH_WATER bytes are buffered, then sleep until the socket
  // drains: past its highWaterMark (16 KiB) socket.write() returns false, so
  // a 'drain' event is sure to follow once the kernel takes the data.
  // Node writes straight to the kernel while it has room, so against a client
  // that reads as fast as we write the buffer may never fill; hence each turn
  // also stops after BURST bytes and yields to the event loop (setImmediate),
  // so other clients, new connections and signals still get their turn.
  function pump() {
    for (let sent = 0; sent < BURST; sent += frameLen) {
      if (!open()) return;
      if (ws.bufferedAmount >= HIGH_WATER) {
        sock.once('drain', pump);
        return;
      }
      ws.send(payload, sendOpts);
    }
    setImmediate(pump);
  }

  // A client going away is normal; just drop it (no output).
  ws.on('error', () => {});
  ws.on('close', () => sock.removeListener('drain', pump));
  pump();
});

for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => process.exit(0));
