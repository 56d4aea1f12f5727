// scripts/bench-query.mjs: the db function's query against get by id, through local-cloud and @alicloud/fc2 (the FC
// API with the users' STS keys, as the client calls it). Run through scripts/bench-query.sh; a benchmark, not a test:
// it prints numbers and asserts only that every call answered data.
//
// local-cloud serves examples/guestbook/template.yml with --search-lag-ms 0 on a fresh data folder; 100 users log in
// and add 100 rows each to `guestbook` (creator-write; indexed _createdAt, _owner, likes): 10,000 rows. Then, in one
// run, at 1 and at 32 concurrent clients, interleaved per round so a noisy machine shows in every row alike:
//   get            {"op": "get", id}                                   a random row of all 10,000
//   query latest   {"op": "query", orderBy [["_createdAt", "desc"]], limit 20}
//   query owner    {"op": "query", where {_owner: <uid>}, orderBy [["_createdAt", "desc"]], limit 20}
// p50 / p99 in ms of the invoke as the client sees it (fc2 invokeFunction round trip). Loopback only; every wait is
// bounded (a call by fc2's timeout, the start by START_MS).
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud as startLocalCloudJar } from './bench/local-cloud-start.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FC = createRequire(join(root, 'client', 'package.json'))('@alicloud/fc2');
const START_MS = 120_000;
const USERS = 100;
const ROWS_PER_USER = 100;
const SEED_CONCURRENCY = 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
/** Calls per kind per round at each concurrency. */
const CALLS = { 1: 100, 32: 640 };
/** The local-cloud jar to serve (an earlier build's copy, for a before/after): the one built here by default. */
const LOCAL_CLOUD_JAR = process.env.BENCH_LC_JAR || join(root, 'local-cloud', 'target', 'local-cloud.jar');

function startLocalCloud(data) {
  return startLocalCloudJar(LOCAL_CLOUD_JAR, ['--data', data,
    '--template', join(root, 'examples', 'guestbook', 'template.yml'), '--search-lag-ms', '0'], root, START_MS);
}

async function login(ready, name) {
  const answer = await fetch(ready.sessionUrl, { method: 'POST', body: JSON.stringify({ authCode: `bench:${name}` }),
    signal: AbortSignal.timeout(30_000) });
  const l = await answer.json();
  if (!l.sessionId) throw new Error(`login ${name} failed: ${JSON.stringify(l)}`);
  const fc = new FC(ready.accountId, { accessKeyID: l.sts.AccessKeyId, accessKeySecret: l.sts.AccessKeySecret,
    securityToken: l.sts.SecurityToken, region: ready.region, endpoint: ready.endpoint, timeout: 30_000 });
  return { uid: l.userId, sid: l.sessionId, fc };
}

/** One db call's answer data; anything but {"data"} throws. */
async function db(ready, user, event) {
  const answer = await user.fc.invokeFunction(ready.serviceName, ready.dbFunctionName,
    JSON.stringify({ sid: user.sid, ...event }));
  const raw = answer.data;
  const body = typeof raw === 'string' || Buffer.isBuffer(raw) ? JSON.parse(String(raw)) : raw;
  if (!('data' in body)) throw new Error(`${event.op} failed: ${JSON.stringify(body)}`);
  return body.data;
}

/** Runs `tasks` (thunks) with at most `n` at a time; resolves with their results in order. */
async function pool(n, tasks) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }));
  return results;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const data = mkdtempSync(join(tmpdir(), 'bench-query-'));
  const { ready, child } = await startLocalCloud(data);
  try {
    const users = await pool(8, Array.from({ length: USERS }, (_, i) => () => login(ready, `u${i}`)));
    const t0 = Date.now();
    const ids = await pool(SEED_CONCURRENCY, users.flatMap((u, i) => Array.from({ length: ROWS_PER_USER }, (_, j) =>
      async () => (await db(ready, u, { op: 'add', table: 'guestbook',
        obj: { text: `post ${j} of user ${i}`, likes: j % 7 } })).id)));
    const seeded = Date.now() - t0;
    const total = await db(ready, users[0], { op: 'count', table: 'guestbook' });
    process.stdout.write(`seeded ${ids.length} rows of ${USERS} users in ${seeded} ms; count answers ${total}\n`);

    const kinds = {
      get: () => ({ op: 'get', table: 'guestbook', id: pick(ids) }),
      'query latest': () => ({ op: 'query', table: 'guestbook', orderBy: [['_createdAt', 'desc']], limit: 20 }),
      'query owner': () => ({ op: 'query', table: 'guestbook', where: { _owner: pick(users).uid },
        orderBy: [['_createdAt', 'desc']], limit: 20 }),
    };
    const times = {};
    for (const c of [1, 32]) for (const k of Object.keys(kinds)) times[`${k}@${c}`] = [];
    // warm-up: every path once per user before anything is timed
    await pool(8, users.flatMap((u) => Object.values(kinds).map((make) => () => db(ready, u, make(u)))));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of [1, 32]) {
        for (const [k, make] of Object.entries(kinds)) {
          const rows = await pool(c, Array.from({ length: CALLS[c] }, () => async () => {
            const u = pick(users);
            const t = process.hrtime.bigint();
            const answer = await db(ready, u, make(u));
            times[`${k}@${c}`].push(Number(process.hrtime.bigint() - t) / 1e6);
            return answer;
          }));
          if (k !== 'get' && rows.some((r) => !Array.isArray(r) || r.length !== 20)) {
            throw new Error(`${k}: a page without 20 rows`);
          }
        }
      }
    }
    process.stdout.write(`\n| clients | op | calls | p50 ms | p99 ms | p50 / get p50 |\n|---|---|---|---|---|---|\n`);
    for (const c of [1, 32]) {
      const getP50 = percentile([...times[`get@${c}`]].sort((a, b) => a - b), 50);
      for (const k of Object.keys(kinds)) {
        const sorted = [...times[`${k}@${c}`]].sort((a, b) => a - b);
        const p50 = percentile(sorted, 50);
        process.stdout.write(`| ${c} | ${k} | ${sorted.length} | ${p50.toFixed(1)} | ${percentile(sorted, 99).toFixed(1)}`
          + ` | ${(p50 / getP50).toFixed(2)} |\n`);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => { child.once('exit', r); setTimeout(r, 10_000); });
    rmSync(data, { recursive: true, force: true });
  }
}

await main();
