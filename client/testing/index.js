// Rules tests for a team's own Node tests, as Firebase's rules-unit-testing does for security rules: log in as
// any user against local-cloud (its Alipay stand-in takes `name:anything` codes) and assert that an op is allowed
// or denied. Node only (it may start local-cloud): import it as 'fc-miniapp-client/testing'.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '../src/index.js';

/** local-cloud's jar in this repository's layout (client/testing → local-cloud/target). */
const DEFAULT_JAR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'local-cloud', 'target',
  'local-cloud.jar');

/**
 * Starts `java -jar jar --port 0 --data dir …args` and resolves to `{ready, stop}` once it printed READY; rejects
 * with its output when it exits first or prints nothing within `timeoutMs`.
 */
function startLocalCloud(jar, dataDir, args, timeoutMs) {
  const child = spawn('java', ['-jar', jar, '--port', '0', '--data', dataDir, ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d) => { out += d; });
  const stopped = new Promise((res) => child.once('exit', res));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await stopped;
  };
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      stop();
      rej(new Error(`local-cloud printed no READY line within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line && out.includes('\n', out.indexOf(line))) {
        clearTimeout(timer);
        res({ ready: JSON.parse(line.slice('READY '.length)), stop });
      }
    });
    child.once('error', (e) => { clearTimeout(timer); rej(new Error(`java could not start: ${e.message}`)); });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`local-cloud exited with ${code} before READY:\n${out}`));
    });
  });
}

/** What createClient needs from a READY line. */
function clientConfig(ready) {
  const keys = ['endpoint', 'accountId', 'region', 'serviceName', 'sessionUrl', 'dbFunctionName', 'services'];
  const config = {};
  keys.filter((k) => ready[k] !== undefined).forEach((k) => { config[k] = ready[k]; });
  return config;
}

/**
 * A rules test environment. `options`: `ready` (the JSON of a running local-cloud's READY line), or `template`
 * (a template.yml: local-cloud is started on it, on a free port and a fresh data folder, and stopped by
 * cleanup()), with `jar` (default: env LOCAL_CLOUD_JAR, else this repository's local-cloud/target/local-cloud.jar),
 * `searchLagMs` (the search index's lag, default 0 so a query sees a write at once), `args` (more local-cloud
 * options), `startTimeoutMs` (default 60000); `client` (more createClient options, e.g. `api`).
 * Resolves to `{ready, as(name), cleanup()}`.
 */
export async function rulesTestEnv(options = {}) {
  let cloud = null;
  let dataDir = null;
  let { ready } = options;
  if (!ready) {
    if (!options.template) throw new TypeError('rulesTestEnv needs ready (a READY line\'s JSON) or template (a template.yml)');
    dataDir = mkdtempSync(join(tmpdir(), 'fc-miniapp-rules-'));
    const jar = options.jar || process.env.LOCAL_CLOUD_JAR || DEFAULT_JAR;
    const args = ['--template', resolve(options.template), '--search-lag-ms', String(options.searchLagMs ?? 0),
      ...(options.args || [])];
    try {
      cloud = await startLocalCloud(jar, dataDir, args, options.startTimeoutMs ?? 60000);
    } catch (e) {
      rmSync(dataDir, { recursive: true, force: true });
      throw e;
    }
    ({ ready } = cloud);
  } else if (typeof ready === 'string') {
    ready = JSON.parse(ready.replace(/^READY /, ''));
  }
  const config = { ...clientConfig(ready), ...(options.client || {}) };
  const clients = [];
  let codes = 0;
  return {
    ready,
    /**
     * A client logged in as the user `name` (the same uid for the same name each time, a different one per
     * name): its `db`, `files`, `call` and `userId` are that user's.
     */
    async as(name) {
      if (typeof name !== 'string' || !/^[^:\s]+$/.test(name)) {
        throw new TypeError('as(name): a user name without spaces or colons, such as \'alice\'');
      }
      const client = createClient(config);
      clients.push(client);
      codes += 1;
      await client.login(`${name}:${Date.now().toString(36)}-${codes}`);
      return client;
    },
    /** Stops the clients' refresh timers and the local-cloud this environment started (its data is deleted). */
    async cleanup() {
      clients.splice(0).forEach((c) => c.close());
      if (cloud) {
        await cloud.stop();
        cloud = null;
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

const describeValue = (v) => {
  const text = JSON.stringify(v);
  return text === undefined ? String(v) : (text.length > 200 ? `${text.slice(0, 200)}…` : text);
};

/** The promise of `op`: a promise, or a function called now (so that an argument refused at the call counts). */
function settle(op) {
  if (typeof op !== 'function') return Promise.resolve(op);
  try {
    return Promise.resolve(op());
  } catch (e) {
    return Promise.reject(e);
  }
}

/** Resolves with what `op` (a promise, or a function answering one) resolved with; rejects saying how it failed. */
export async function assertSucceeds(op) {
  try {
    return await settle(op);
  } catch (e) {
    const what = e && e.code ? `${e.code}: ${e.message}` : String(e);
    throw new Error(`Expected the op to succeed, but it failed with ${what}`, { cause: e });
  }
}

/**
 * Resolves with the error when `op` (a promise, or a function answering one) fails with PERMISSION_DENIED;
 * rejects saying what happened otherwise (it succeeded, or failed with another code).
 */
export async function assertFails(op) {
  let result;
  try {
    result = await settle(op);
  } catch (e) {
    if (e && e.code === 'PERMISSION_DENIED') return e;
    const what = e && e.code ? `${e.code}: ${e.message}` : String(e);
    throw new Error(`Expected PERMISSION_DENIED, but the op failed with ${what}`, { cause: e });
  }
  throw new Error(`Expected PERMISSION_DENIED, but the op succeeded with ${describeValue(result)}`);
}
