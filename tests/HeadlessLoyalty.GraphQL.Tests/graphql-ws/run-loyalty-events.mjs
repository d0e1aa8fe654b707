// The reference graphql-ws client against the loyalty API (used by the API tests, Events/Live/RealClientTests.cs):
// subscribes to loyaltyEvents from a cursor with a bearer token in connectionParams, collects `count` events, then
// completes; prints them (and any error) as one JSON object.
//   node run-loyalty-events.mjs <ws-url> <jwt> <after> <count>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, jwt, after, count] = process.argv.slice(2);
if (!url || !jwt || after === undefined || !count) {
  console.error('usage: node run-loyalty-events.mjs <ws-url> <jwt> <after> <count>');
  process.exit(2);
}

const client = createClient({ url, webSocketImpl: WebSocket, connectionParams: { Authorization: `Bearer ${jwt}` }, retryAttempts: 0, lazy: true });
const out = { events: [] };
await new Promise((resolve) => {
  let unsubscribe = () => {};
  unsubscribe = client.subscribe(
    { query: 'subscription($after: String) { loyaltyEvents(after: $after) { __typename position type member { email } } }', variables: { after } },
    {
      next: (result) => {
        if (result.errors) out.errors = result.errors;
        else out.events.push(result.data.loyaltyEvents);
        if (out.events.length >= Number(count) || result.errors) { unsubscribe(); resolve(); }
      },
      error: (e) => { out.error = String(e?.reason ?? e?.message ?? e); resolve(); },
      complete: resolve,
    });
});
await client.dispose();
console.log(JSON.stringify(out));
process.exit(0);
