// Drives the reference graphql-ws client (graphql-transport-ws) against the URL given as the first argument and
// prints what it saw as one JSON object: a query's result, a subscription's results until complete, and the close
// event of a connection whose connection_init the server refuses.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.argv[2];
if (!url) {
  console.error('usage: node run-client.mjs <ws-url>');
  process.exit(2);
}

const client = (connectionParams) =>
  createClient({ url, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });

const run = (c, payload) =>
  new Promise((resolve, reject) => {
    const results = [];
    c.subscribe(payload, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) });
  });

const out = {};
const alice = client({ user: 'alice' });
out.query = await run(alice, { query: '{ whoami }' });
out.events = await run(alice, { query: 'subscription { events { value } }' });
await alice.dispose();

const refused = client({ refuse: true });
out.refused = await new Promise((resolve) => {
  refused.on('closed', (event) => resolve({ code: event.code, reason: event.reason }));
  refused.subscribe({ query: '{ hello }' }, { next() {}, error() {}, complete() {} });
});

console.log(JSON.stringify(out));
process.exit(0);
