// Runs the public graphql-http server audit against the URL given as the first argument and prints the results
// as JSON ([{ id, name, status: "ok" | "warn" | "error", reason }]). MUST items report "error" when they fail,
// SHOULD items "warn".
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node run-audit.mjs <graphql-url>');
  process.exit(2);
}

// The server requires a preflight-forcing header on requests without a JSON content type (CSRF protection,
// the GraphQL-Require-Preflight convention); a real client sends it on GET, so the audit's client does too.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if ((init.method ?? 'GET').toUpperCase() === 'GET') headers.set('GraphQL-Require-Preflight', '1');
  return fetch(input, { ...init, headers });
};

const results = await auditServer({ url, fetchFn });
const report = [];
for (const r of results) {
  report.push({ id: r.id, name: r.name, status: r.status, reason: r.status === 'ok' ? undefined : r.reason });
}
console.log(JSON.stringify(report));
