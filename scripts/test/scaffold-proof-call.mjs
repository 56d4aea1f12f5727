// The last step of scripts/test/scaffold-proof.sh, in the clone where `scripts/new-function.sh demo` ran:
// scripts/local-cloud.sh on a new data folder, its READY line (demo in functions, services.demo), then a login and
// client.call('demo', {x: 1}) with the Node client and with the built dist/fc-miniapp.js in the mini-program sandbox
// (my.request, my.getAuthCode), on both FC APIs; each answer must be the caller's uid and the input as sent.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { createClient } = await import(join(root, 'client', 'src', 'index.js'));
const { alipayMy, loadDist, plain } = await import(join(root, 'client', 'test', 'sandbox.js'));
const BUILD_AND_START_MS = 15 * 60 * 1000;

/** scripts/local-cloud.sh (it builds, then execs local-cloud): resolves with READY's JSON and the child. */
function startLocalCloud() {
  const data = mkdtempSync(join(tmpdir(), 'scaffold-proof-data-'));
  const child = spawn(join(root, 'scripts', 'local-cloud.sh'), ['--port', '0', '--data', data],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`no READY within ${BUILD_AND_START_MS} ms:\n${out}`)),
      BUILD_AND_START_MS);
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line && out.includes('\n', out.indexOf(line))) {
        clearTimeout(timer);
        res({ ready: JSON.parse(line.slice('READY '.length)), child });
      }
    });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`local-cloud.sh exited with ${code}:\n${out}`)); });
  });
}

const { ready, child } = await startLocalCloud();
try {
  console.log('READY functions:', JSON.stringify(ready.functions), 'services:', JSON.stringify(ready.services));
  assert.ok(ready.functions.includes('demo'), 'READY functions lists demo');
  assert.equal(ready.services.demo, 'fc-miniapp-demo');
  const config = { endpoint: ready.endpoint, accountId: ready.accountId, region: ready.region,
    serviceName: ready.serviceName, sessionUrl: ready.sessionUrl, dbFunctionName: ready.dbFunctionName,
    services: ready.services };
  for (const api of ['2016-08-15', '2023-03-30']) {
    const node = createClient({ ...config, api });
    const login = await node.login(`alice:${Date.now()}`);
    const answer = await node.call('demo', { x: 1 });
    console.log(`Node, FC ${api}: userId ${login.userId}; call('demo', {x: 1}) → ${JSON.stringify(answer)}`);
    assert.deepEqual(answer, { uid: login.userId, input: { x: 1 } });
    assert.equal((await node.call('demo', { uid: 'someone-else' })).uid, login.userId, 'a uid in the input is data');
    node.close();

    const my = alipayMy('bob');
    const mini = loadDist(my).lib.createClient({ ...config, api, my });
    const miniLogin = plain(await mini.login());
    const miniAnswer = plain(await mini.call('demo', { x: 1 }));
    console.log(`sandbox, FC ${api}: userId ${miniLogin.userId}; call('demo', {x: 1}) → ${JSON.stringify(miniAnswer)}`
      + ` (${my.calls.filter((c) => c.api === 'request').length} my.request calls)`);
    assert.deepEqual(miniAnswer, { uid: miniLogin.userId, input: { x: 1 } });
    assert.notEqual(miniLogin.userId, login.userId);
    mini.close();
  }
  console.log('proof passed: local-cloud serves demo; it answers the caller\'s uid and the input, in Node and in the'
    + ' mini-program sandbox, FC 2.0 and 3.0');
} finally {
  child.kill('SIGTERM');
}
