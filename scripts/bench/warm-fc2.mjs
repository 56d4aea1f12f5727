// Warm p50/p99 through a running local-cloud, for scripts/bench-fc-cold-start.sh: login over the session's HTTP
// trigger and db put through @alicloud/fc2 (the client's devDependency), with 1 and with 32 concurrent clients.
// Usage: node scripts/bench/warm-fc2.mjs 'READY-json' [REQUESTS_PER_CLIENT_AT_1=200] [REQUESTS_PER_CLIENT_AT_32=10]
import { createRequire } from "node:module";
const require = createRequire(new URL("../../client/package.json", import.meta.url));
const FC = require("@alicloud/fc2");
const ready = JSON.parse(process.argv[2]);
const counts = { 1: Number(process.argv[3] || 200), 32: Number(process.argv[4] || 10) };
const timeoutMs = 15000;
let codes = 0;
const run = Date.now(); // authCodes work once: unique per run, so the script can run again on the same local-cloud
const failures = [];

async function login() {
  const res = await fetch(ready.sessionUrl, { method: "POST", body: JSON.stringify({ authCode: `warm:${run}-${codes++}` }),
    signal: AbortSignal.timeout(timeoutMs) });
  const body = await res.json();
  if (!body.sessionId) throw new Error(`login failed: ${JSON.stringify(body.error)}`);
  return body;
}

function dbClient(l) {
  return new FC(ready.accountId, { accessKeyID: l.sts.AccessKeyId, accessKeySecret: l.sts.AccessKeySecret,
    securityToken: l.sts.SecurityToken, region: ready.region, endpoint: ready.endpoint, timeout: timeoutMs });
}

// a failed request is counted and reported (and fails the script at the end), never timed
async function timed(list, fn) {
  const t = process.hrtime.bigint();
  try {
    await fn();
    list.push(Number(process.hrtime.bigint() - t) / 1e6);
  } catch (e) {
    failures.push(e.message.split("\n")[0]);
  }
}

const pct = (xs, p) => { if (!xs.length) return "n/a"; const s = [...xs].sort((a, b) => a - b); return s[Math.ceil(s.length * p) - 1].toFixed(1); };

for (const clients of [1, 32]) {
  const logins = [], puts = [];
  await Promise.all(Array.from({ length: clients }, async (_, c) => {
    let l;
    try {
      l = await login(); // warms each client's connection and gives its session
    } catch (e) {
      failures.push(e.message.split("\n")[0]);
      return;
    }
    const fc = dbClient(l);
    await timed([], () => fc.invokeFunction(ready.serviceName, ready.dbFunctionName,
      JSON.stringify({ sid: l.sessionId, op: "put", obj: { id: `w${c}` } })));
    for (let i = 0; i < counts[clients]; i++) {
      await timed(logins, login);
      await timed(puts, () => fc.invokeFunction(ready.serviceName, ready.dbFunctionName,
        JSON.stringify({ sid: l.sessionId, op: "put", obj: { id: `w${c}-${i}` } })));
    }
  }));
  console.log(`through local-cloud, ${clients} client(s), ${logins.length} requests per op: ` +
    `login p50 ${pct(logins, 0.5)} ms p99 ${pct(logins, 0.99)} ms; db put (fc2) p50 ${pct(puts, 0.5)} ms p99 ${pct(puts, 0.99)} ms`);
}
if (failures.length) {
  console.log(`${failures.length} request(s) failed; first: ${failures[0]}`);
  process.exitCode = 1;
}
