// scripts/bench-launch.mjs: app launch (createClient) to the first data (a db list answer) through the real Node
// client, with each function genuinely cold where the row says so. Run through scripts/bench-launch.sh (it builds
// the instance runner); a benchmark, not a test: it prints numbers and asserts only that every launch answered data
// and which requests it took.
//
// One local-cloud (fresh data folder, loopback) serves the stand-ins (Alipay, STS, Tablestore, OSS); its
// --fun-local files give each function the environment and execution key local-cloud would give it. The functions
// do not run inside local-cloud (its instances live in its own warm JVM and run their initializers at its start):
// the client's endpoint is a front here that speaks the FC API paths the client sends (the session function's HTTP
// trigger, the db function's InvokeFunction) and hands each event to that function's instance, started on the
// first request for it as FC starts one: a fresh `java -Xmx410m` (scripts/bench/LaunchInstance: the deployed handler,
// its initializer, then events one at a time) with `env -i` plus the function's environment, pinned to a CPU of its
// own (session 0, db 1: two FC instances do not share a core). After each row every instance is stopped, so the
// next row starts cold again. The front does not check FC's request signatures (local-cloud's FC API does; it is
// loopback work of well under a millisecond and not what is measured); every request is counted by kind.
//
// Rows, interleaved per round (BENCH_ROUNDS, default 5), each with a fresh user:
//   base        the session function's cold login alone (createClient → login answered): the baseline of (c)
//   c           a new user, both functions cold: createClient → login → db.list answered
//   c+wake@login  as c, and the front sends the db function a warm-up event (WAKE_EVENT) the moment it hands the
//               login to the session instance: what an async invoke fired at the start of login does, minus the
//               session's own cost of sending it, so the gain the warm-up experiment can have at best
//   c+wake@start  as c, the warm-up sent when the session instance starts (a wake from the session initializer, at
//               best)
//   a-cold / a-warm  a returning user whose stored STS credentials are valid (storage filled by an earlier login):
//               createClient → db.list; cold: the db instance stopped first; warm: instances left running
//   b-cold / b-warm  the same past the STS expiry (the stored sts.Expiration moved an hour back): refresh + db.list
// The a/b rows need the client's `storage` option (stay signed in); without it they are skipped with a note.
// BENCH_WAKE=0 leaves the two wake rows out. Loopback only; every wait is bounded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalCloud as startLocalCloudJar } from './bench/local-cloud-start.mjs';
import { performance } from 'node:perf_hooks';
import { createClient } from '../client/src/index.js';
import { fetchRequest } from '../client/src/transport.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAUNCH_JAR = process.argv[2];
const ROUNDS = Number(process.env.BENCH_ROUNDS || 5);
const WAKE = process.env.BENCH_WAKE !== '0';
/** FC's InstanceConcurrency for both functions (BENCH_INSTANCE_CONCURRENCY; template.yml sets none: 1). */
const CONCURRENCY = Number(process.env.BENCH_INSTANCE_CONCURRENCY || 1);
const XMX = process.env.BENCH_XMX || '410m'; // assumption (as bench-fc-cold-start): ~80 % of a 512 MB instance
const START_MS = 120_000;
const INSTANCE_START_MS = 60_000;
/**
 * What the simulated wake sends the db function: an ordinary op with a well-formed session id no login made, so the
 * db function of today reads the session table once (a GetRow that finds nothing: the Tablestore client's first
 * connection and the op's path are warmed) and answers UNAUTHENTICATED, the same body as for any bad session.
 */
const WAKE_EVENT = { sid: 'w'.repeat(43), op: 'list' };
const FUNCTIONS = {
  session: { jar: 'session-function/target/session-function.jar',
    handler: 'com.fcminiapp.session.SessionHttpHandler', cpu: 0 },
  db: { jar: 'db-function/target/db-function.jar', handler: 'com.fcminiapp.db.DbHandler', cpu: 1 },
};
if (cpus().length < 2) FUNCTIONS.db.cpu = 0;

function startLocalCloud(data, fun) {
  return startLocalCloudJar(join(root, 'local-cloud', 'target', 'local-cloud.jar'),
    ['--data', data, '--fun-local', fun, '--fun-local-host', '127.0.0.1'], root, START_MS);
}

/**
 * A function's environment as local-cloud serves it (its --fun-local template.override.yml: double-quoted YAML
 * scalars, which JSON reads), plus the execution key, account and region of fun's profile (.env) as FC sets them.
 */
function functionEnv(fun, name) {
  const env = {};
  let on = false;
  for (const line of readFileSync(join(fun, 'template.override.yml'), 'utf8').split('\n')) {
    if (/^ {4}"/.test(line)) on = line === `    "${name}":`;
    const m = on && /^ {10}("(?:[^"\\]|\\.)*"): ("(?:[^"\\]|\\.)*")$/.exec(line);
    if (m) env[JSON.parse(m[1])] = JSON.parse(m[2]);
  }
  const profile = Object.fromEntries(readFileSync(join(fun, '.env'), 'utf8').split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  for (const k of ['ACCESS_KEY_ID', 'ACCESS_KEY_SECRET', 'SECURITY_TOKEN']) env[k] = profile[k];
  env.FC_ACCOUNT_ID = profile.ACCOUNT_ID;
  env.FC_REGION = profile.REGION;
  return env;
}

/** Starts one cold instance of `name`; resolves with its port and how long it took to answer-ready. */
function launchInstance(name, env, procs) {
  const f = FUNCTIONS[name];
  const t0 = performance.now();
  const child = spawn('taskset', ['-c', String(f.cpu), 'java', `-Xmx${XMX}`, '-cp',
    `${LAUNCH_JAR}:${join(root, f.jar)}`, 'LaunchInstance', f.handler, String(CONCURRENCY)],
  { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  procs.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${name} instance gave no LISTENING in ${INSTANCE_START_MS} ms`)),
      INSTANCE_START_MS);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /LISTENING (\d+)\n/.exec(out);
      if (m) { clearTimeout(timer); res({ port: Number(m[1]), bootMs: performance.now() - t0 }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`${name} instance exited ${code}:\n${err}`)); });
  });
}

/**
 * The FC API front: FC 2.0's HTTP trigger path (`/2016-08-15/proxy/<service>/<fn>/`) and InvokeFunction
 * (`/2016-08-15/services/<service>/functions/<fn>/invocations`, `x-fc-invocation-type: Async` answered 202 at once),
 * and FC 3.0's (`/2023-03-30/functions/<fn>/invocations`). Each event goes to the function's instance, started on
 * demand; `run.counts` gets one per request by kind (`login`, `refresh`, `db list`, `async db`, `wake db`), and
 * `run.boots` each instance's start (launch → answering) per function.
 */
function startFront(envs) {
  const run = { procs: [], pools: { session: [], db: [] }, counts: {}, boots: {}, wake: null, waking: null };
  /**
   * An instance of `name` with room for one more request, or a new one. With InstanceConcurrency 1 (template.yml sets
   * none: FC's default) FC hands a request only to an instance that is doing nothing, and one still starting belongs
   * to the request that made FC start it, so any other request meets a new cold instance.
   */
  const acquire = (name) => {
    const room = run.pools[name].find((i) => i.inflight < CONCURRENCY && (i.port || CONCURRENCY > 1));
    if (room) { room.inflight++; return room; }
    const entry = { inflight: 1, port: null };
    entry.ready = launchInstance(name, envs[name], run.procs).then((i) => {
      entry.port = i.port;
      (run.boots[name] = run.boots[name] || []).push(i.bootMs);
      return entry;
    });
    run.pools[name].push(entry);
    if (name === 'session' && run.wake === 'start') wake();
    return entry;
  };
  // the warm-up the session function would send the db function: counted apart from the client's requests
  const wake = () => {
    run.counts['wake db'] = (run.counts['wake db'] || 0) + 1;
    run.waking = deliver('db', JSON.stringify(WAKE_EVENT)).catch(() => {});
  };
  const deliver = async (name, body) => {
    const entry = acquire(name);
    try {
      const { port } = await entry.ready;
      if (name === 'session' && run.wake === 'login' && JSON.parse(body).action === 'login') wake();
      const answer = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, signal: AbortSignal.timeout(60_000) });
      return { status: answer.status, text: await answer.text() };
    } finally {
      entry.inflight--;
    }
  };
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url.split('?')[0];
      const m = /^\/2016-08-15\/proxy\/[^/]+\/([^/]+)\//.exec(path)
        || /^\/2016-08-15\/services\/[^/]+\/functions\/([^/]+)\/invocations$/.exec(path)
        || /^\/2023-03-30\/functions\/([^/]+)\/invocations$/.exec(path);
      const name = m && m[1];
      if (!name || !FUNCTIONS[name]) { res.writeHead(404).end(); return; }
      let event = {};
      try { event = JSON.parse(body); } catch { /* counted as unreadable */ }
      const async = String(req.headers['x-fc-invocation-type'] || '').toLowerCase() === 'async';
      const kind = async ? `async ${name}` : name === 'session' ? String(event.action) : `${name} ${event.op}`;
      run.counts[kind] = (run.counts[kind] || 0) + 1;
      const headers = { date: new Date().toUTCString(), 'content-type': 'application/json' };
      if (async) {
        res.writeHead(202, headers).end();
        deliver(name, body).catch(() => {});
        return;
      }
      try {
        const answer = await deliver(name, body);
        if (answer.status !== 200) headers['x-fc-error-type'] = 'UnhandledInvocationError';
        res.writeHead(200, headers).end(answer.text);
      } catch (e) {
        res.writeHead(503, headers).end(JSON.stringify({ ErrorCode: 'ServiceUnavailable', ErrorMessage: e.message }));
      }
    });
  });
  return new Promise((res) => server.listen(0, '127.0.0.1', () => {
    const stop = async () => {
      for (const p of run.procs) p.kill('SIGKILL');
      await Promise.all(run.procs.map((p) => (p.exitCode !== null || p.signalCode !== null ? null
        : new Promise((r) => { p.once('exit', r); setTimeout(r, 10_000); }))));
      Object.assign(run, { procs: [], pools: { session: [], db: [] }, counts: {}, boots: {}, wake: null, waking: null });
    };
    res({ server, run, stop, url: `http://127.0.0.1:${server.address().port}` });
  }));
}

/** A storage for the client's `storage` option: a map, sync, that the rows fill and age on purpose. */
function memoryStorage() {
  const map = new Map();
  return { map, get: (k) => (map.has(k) ? map.get(k) : null), set: (k, v) => { map.set(k, v); }, remove: (k) => { map.delete(k); } };
}

/** Moves every stored value's STS expiry an hour into the past (the stored value is the login answer). */
function expireSts(storage) {
  for (const [k, v] of storage.map) {
    const value = typeof v === 'string' ? JSON.parse(v) : structuredClone(v);
    value.sts.Expiration = new Date(Date.now() - 3600_000).toISOString();
    storage.map.set(k, typeof v === 'string' ? JSON.stringify(value) : value);
  }
}

function clientFor(ready, front, storage) {
  return createClient({
    endpoint: front.url, accountId: ready.accountId, region: ready.region, serviceName: ready.serviceName,
    dbFunctionName: ready.dbFunctionName,
    sessionUrl: `${front.url}/2016-08-15/proxy/${ready.sessionServiceName}/${ready.sessionFunctionName}/`,
    request: fetchRequest(60_000), ...(storage ? { storage } : {}),
  });
}

const rows = ['base', 'c', ...(WAKE ? ['c+wake@login', 'c+wake@start'] : []), 'a-cold', 'a-warm', 'b-cold', 'b-warm'];

/** One timed launch of `row` for user `user`; returns {ms, counts, boots} or null when the row cannot run. */
async function launch(row, ready, front, user, storageWorks) {
  const { run, stop } = front;
  await stop();
  if (row.startsWith('a-') || row.startsWith('b-')) {
    if (!storageWorks) return null;
    const storage = memoryStorage();
    const prep = clientFor(ready, front, storage);
    await prep.login(`bench:${user}`);
    await prep.db.list();
    prep.close();
    if (storage.map.size === 0) return null;
    if (row.startsWith('b-')) expireSts(storage);
    if (row.endsWith('-cold')) await stop();
    run.counts = {};
    run.boots = {};
    const t = performance.now();
    const client = clientFor(ready, front, storage);
    const list = await client.db.list();
    const ms = performance.now() - t;
    client.close();
    if (!Array.isArray(list.items)) throw new Error(`${row}: no list answer`);
    return { ms, counts: { ...run.counts }, boots: { ...run.boots } };
  }
  if (row.startsWith('c+wake@')) run.wake = row.slice('c+wake@'.length);
  const t = performance.now();
  const client = clientFor(ready, front, null);
  await client.login(`bench:${user}`);
  const loginMs = performance.now() - t;
  let ms = loginMs;
  if (row !== 'base') {
    const list = await client.db.list();
    ms = performance.now() - t;
    if (!Array.isArray(list.items)) throw new Error(`${row}: no list answer`);
  }
  client.close();
  if (run.waking) await run.waking; // a wake still running belongs to this row
  return { ms, loginMs, counts: { ...run.counts }, boots: { ...run.boots } };
}

/** Whether the client keeps a login answer in the storage it is given (the stay-signed-in client). */
async function storageSupported(ready, front) {
  const storage = memoryStorage();
  const client = clientFor(ready, front, storage);
  await client.login('bench:probe');
  client.close();
  await front.stop();
  return storage.map.size > 0;
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN; };
const fmt = (x) => (Number.isFinite(x) ? x.toFixed(0) : '-');

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'bench-launch-'));
  const { ready, child } = await startLocalCloud(join(work, 'data'), join(work, 'fun'));
  const envs = { session: functionEnv(join(work, 'fun'), 'session'), db: functionEnv(join(work, 'fun'), 'db') };
  const front = await startFront(envs);
  try {
    const storageWorks = await storageSupported(ready, front);
    if (!storageWorks) process.stdout.write('the client keeps nothing in `storage` (no stay-signed-in yet): a/b rows skipped\n');
    const results = Object.fromEntries(rows.map((r) => [r, []]));
    const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
    process.stdout.write(`${cpus().length} CPUs (${cpus()[0].model}), node ${process.version}; load average ${load()}\n`);
    for (let round = 0; round < ROUNDS; round++) {
      for (const row of rows) {
        const r = await launch(row, ready, front, `r${round}-${row}`, storageWorks);
        if (!r) continue;
        results[row].push(r);
        process.stdout.write(`round ${round + 1} ${row.padEnd(13)} ${fmt(r.ms).padStart(6)} ms`
          + `${r.loginMs !== undefined && row !== 'base' ? ` (login ${fmt(r.loginMs)})` : ''}`
          + `  requests ${JSON.stringify(r.counts)}  instances started (ms each) ${JSON.stringify(Object.fromEntries(
            Object.entries(r.boots).map(([k, v]) => [k, v.map(Math.round)])))}\n`);
      }
    }
    await front.stop();
    process.stdout.write(`load average at the end ${load()}\n`);
    const base = median(results.base.map((r) => r.ms));
    process.stdout.write(`\nmedians of ${ROUNDS} rounds, InstanceConcurrency ${CONCURRENCY} (ms; × base = / the median cold login`
      + ' alone of the same run; start = an instance\'s launch → answering, the first of the row):\n');
    process.stdout.write('| row | launch → first data ms | login ms | × base | session start ms | db start ms'
      + ' | db instances | requests |\n|---|---|---|---|---|---|---|---|\n');
    for (const row of rows) {
      const rs = results[row];
      if (!rs.length) { process.stdout.write(`| ${row} | skipped | | | | | | |\n`); continue; }
      const first = (name) => fmt(median(rs.filter((r) => r.boots[name]).map((r) => r.boots[name][0])));
      const dbInstances = [...new Set(rs.map((r) => (r.boots.db || []).length))].join(' / ');
      const ms = median(rs.map((r) => r.ms));
      const counts = [...new Set(rs.map((r) => JSON.stringify(r.counts)))].join(' / ');
      process.stdout.write(`| ${row} | ${fmt(ms)} | ${fmt(median(rs.filter((r) => r.loginMs !== undefined).map((r) => r.loginMs)))}`
        + ` | ${(ms / base).toFixed(2)} | ${first('session')} | ${first('db')} | ${dbInstances} | ${counts} |\n`);
    }
  } finally {
    await front.stop();
    front.server.close();
    child.kill('SIGTERM');
    await new Promise((r) => { child.once('exit', r); setTimeout(r, 10_000); });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
