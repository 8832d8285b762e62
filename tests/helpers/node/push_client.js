#!/usr/bin/env node
// SPDX-License-Identifier: ISC
// A Node `ws` client for the integration tests, against a push server.
//
//   node push_client.js URL [--count N]
//       [--expect-text T | --expect-text-size S | --expect-binary-size S]
//       [--ping] [--abort] [--timeout SECONDS] [--deflate PARAMS]
//
// Connects to URL (no extension and no subprotocol may be negotiated;
// with --deflate, it offers permessage-deflate with PARAMS, see payload.js,
// and the server must agree),
// receives --count messages (default 1000) and checks each one: text equal
// to --expect-text (default "yo"), or text of S bytes, or binary of S
// bytes.  Then (with --ping) pings the server and waits for a pong with
// the same payload, then closes with 1000, reading and checking what was in
// flight, and checks that the server answered the close with 1000.  With
// --abort it drops the TCP connection instead (no close frame).
//
// On success it prints the number of messages it received in all (those in
// flight at the close included) on stdout.
//
// Exit status: 0 on success, 1 if a check fails, 2 on a connection
// problem, 3 when --timeout seconds (default 20) pass.
'use strict';

const WebSocket = require('ws');
const { deflateOptions } = require('./payload');

function log(msg) {
  process.stderr.write(`push_client: ${msg}\n`);
}

function usage(msg) {
  log(msg);
  log('usage: node push_client.js URL [--count N] [--expect-text T | ' +
      '--expect-text-size S | --expect-binary-size S] [--ping] [--abort] ' +
      '[--timeout S]');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { url: null, count: 1000, text: 'yo', textSize: null,
    binarySize: null, ping: false, abort: false, timeout: 20, deflate: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--count') o.count = Number(val());
    else if (a === '--expect-text') o.text = val();
    else if (a === '--expect-text-size') o.textSize = Number(val());
    else if (a === '--expect-binary-size') o.binarySize = Number(val());
    else if (a === '--ping') o.ping = true;
    else if (a === '--abort') o.abort = true;
    else if (a === '--timeout') o.timeout = Number(val());
    else if (a === '--deflate') o.deflate = val();
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (o.url === null) o.url = a;
    else usage(`unexpected argument ${a}`);
  }
  if (o.url === null) usage('no URL');
  if (!Number.isInteger(o.count) || o.count < 1) usage('bad --count');
  return o;
}

const o = parseArgs(process.argv.slice(2));
const want = Buffer.from(o.text, 'utf8');

// The message number n (from 1) must be as expected; a string says why not.
function check(n, data, isBinary) {
  if (o.binarySize !== null) {
    if (!isBinary) return `message ${n}: text, expected binary`;
    if (data.length !== o.binarySize)
      return `message ${n}: ${data.length} bytes, expected ${o.binarySize}`;
    return null;
  }
  if (isBinary) return `message ${n}: binary, expected text`;
  if (o.textSize !== null) {
    if (data.length !== o.textSize)
      return `message ${n}: ${data.length} bytes, expected ${o.textSize}`;
    return null;
  }
  if (!data.equals(want))
    return `message ${n}: ${JSON.stringify(data.toString('utf8').slice(0, 40))}, ` +
      `expected ${JSON.stringify(o.text)}`;
  return null;
}

let finished = false;
function finish(rc, msg) {
  if (finished) return;
  finished = true;
  if (msg) log(msg);
  process.exitCode = rc;
  if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  clearTimeout(timer);
}

const timer = setTimeout(() => finish(3, `FAIL: timed out after ${o.timeout} s`),
  o.timeout * 1000);

const ws = new WebSocket(o.url, { perMessageDeflate:
  o.deflate === null ? false : deflateOptions(o.deflate),
  handshakeTimeout: 10000, maxPayload: 64 << 20 });
let received = 0;
let closing = false;
let pingPayload = null;

ws.on('open', () => {
  log(`connected to ${o.url}`);
  // wsbenchd negotiates no subprotocol, and deflate only if offered.
  const ext = o.deflate === null ? ws.extensions === '' :
    ws.extensions.startsWith('permessage-deflate');
  if (!ext || ws.protocol !== '')
    finish(1, `FAIL: negotiated extensions '${ws.extensions}', ` +
      `subprotocol '${ws.protocol}'`);
});

ws.on('message', (data, isBinary) => {
  if (finished) return;
  received++;
  const bad = check(received, data, isBinary);
  if (bad) return finish(1, `FAIL: ${bad}`);
  if (received !== o.count) return;
  log(`received ${o.count} good messages`);
  if (o.abort) {
    ws._socket.destroy();
    log('dropped the TCP connection without a close frame');
    process.stdout.write(`${received}\n`);
    return finish(0);
  }
  if (o.ping) {
    pingPayload = Buffer.from('wsbench-node-ping');
    ws.ping(pingPayload);
  } else {
    closing = true;
    ws.close(1000);
  }
});

ws.on('pong', (data) => {
  if (finished) return;
  if (pingPayload === null || !data.equals(pingPayload))
    return finish(1, `FAIL: unexpected pong ${JSON.stringify(data.toString())}`);
  log('the server answered a ping');
  pingPayload = null;
  closing = true;
  ws.close(1000);
});

ws.on('close', (code) => {
  if (finished) return;
  if (!closing)
    return finish(1, `FAIL: the server closed with ${code} after ${received} messages`);
  log(`closed with 1000; the server answered ${code} ` +
    `(${received - o.count} more good messages in flight)`);
  if (code !== 1000)
    return finish(1, `FAIL: the server answered the close with ${code}, expected 1000`);
  process.stdout.write(`${received}\n`);
  finish(0);
});

ws.on('error', (err) => finish(2, `FAIL: connection: ${err.message}`));
