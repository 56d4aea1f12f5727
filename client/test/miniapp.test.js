// The BUILT dist/fc-miniapp.js in a mini-program sandbox (only ECMAScript built-ins, console, timers, `my`)
// against a running local-cloud: the whole contract through my.request, my.uploadFile and my.getAuthCode.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import vm from 'node:vm';
import { startForClients, eventually } from './local-cloud.js';
import {
  NEWER_THAN_ES2017, alipayMy, fault, loadDist, miniStorage, plain,
} from './sandbox.js';

let cloud;
let config;
let n = 0;
const code = (name) => `${name}:${Date.now()}-${++n}`;
const files = mkdtempSync(join(tmpdir(), 'miniapp-files-'));

before(async () => { ({ cloud, config } = await startForClients()); });
after(() => cloud?.stop());

/** A client made inside the sandbox with `my`, plus that `my` and the sandbox. */
function miniClient(extra = {}, name = 'mini', env = {}) {
  const my = alipayMy(name, env);
  const { ctx, lib } = loadDist(my);
  const client = lib.createClient({ ...config, my, ...extra });
  return { client, my, ctx, lib };
}

async function rejectsWith(promise, expected, pattern) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'MiniappError', `expected a MiniappError, got ${e && e.stack}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('the sandbox', () => {
  test('holds only the mini-program globals: no require, process, Buffer, fetch, URL, TextEncoder, atob', () => {
    const { ctx, lib } = miniClient();
    for (const name of ['require', 'process', 'Buffer', 'fetch', 'URL', 'TextEncoder', 'atob', 'btoa', 'crypto']) {
      assert.equal(vm.runInContext(`typeof ${name}`, ctx), 'undefined', name);
    }
    assert.deepEqual(Object.keys(lib).filter((k) => ['createClient', 'myRequest', 'MiniappError'].includes(k)).sort(),
      ['MiniappError', 'createClient', 'myRequest']);
  });

  test('has ES2017\'s built-ins and none newer, so the dist (built for ES2017) may call none of them', () => {
    const { ctx } = miniClient();
    for (const path of NEWER_THAN_ES2017) {
      assert.equal(vm.runInContext(`typeof ${path}`, ctx), 'undefined', path);
    }
    for (const path of ['Object.entries', 'Object.values', 'String.prototype.padStart', 'Array.prototype.includes',
      'Object.getOwnPropertyDescriptors']) {
      assert.equal(vm.runInContext(`typeof ${path}`, ctx), 'function', path);
    }
  });
});

/** Calls one of the sandbox my's APIs and resolves to `['success' | 'fail', payload]`. */
const callMy = (my, api, opts) => new Promise((resolve) => {
  my[api]({ ...opts, success: (r) => resolve(['success', r]), fail: (r) => resolve(['fail', r]) });
});

describe('the sandbox my is as strict as Alipay (its current docs)', () => {
  const file = join(files, 'strict.png');
  writeFileSync(file, 'png');
  const upload = (extra) => ({ url: `${config.endpoint}/nowhere`, filePath: file, fileType: 'image', ...extra });

  test('my.uploadFile without name (the old fileName only) fails with error 11 and sends nothing', async () => {
    const [outcome, res] = await callMy(alipayMy(), 'uploadFile', upload({ fileName: 'file' }));
    assert.equal(outcome, 'fail');
    assert.equal(res.error, 11);
  });

  test('in the IDE my.uploadFile needs fileType image, video or audio; a phone ignores it (deprecated)', async () => {
    for (const fileType of [undefined, 'file', 'IMAGE']) {
      const [outcome, res] = await callMy(alipayMy(), 'uploadFile', upload({ name: 'file', fileType }));
      assert.deepEqual([outcome, res.error], ['fail', 11], String(fileType));
    }
    const [outcome, res] = await callMy(alipayMy('p', { env: 'phone' }), 'uploadFile',
      upload({ url: 'https://127.0.0.1:1/x', name: 'file', fileType: undefined }));
    assert.deepEqual([outcome, res.error], ['fail', 12]);
  });

  test('my.uploadFile of a file that is not there fails with error 11; formData values must be strings', async () => {
    const [missing, r1] = await callMy(alipayMy(), 'uploadFile', upload({ name: 'f', filePath: join(files, 'none') }));
    assert.deepEqual([missing, r1.error], ['fail', 11]);
    const [badForm, r2] = await callMy(alipayMy(), 'uploadFile', upload({ name: 'f', formData: { n: 1 } }));
    assert.deepEqual([badForm, r2.error], ['fail', 11]);
  });

  test('a phone refuses plain http with error 20, for my.request and my.uploadFile; the IDE allows it', async () => {
    const phone = alipayMy('p', { env: 'phone' });
    const [r, res] = await callMy(phone, 'request', { url: config.sessionUrl, method: 'POST', data: '{}' });
    assert.deepEqual([r, res.error], ['fail', 20]);
    const [u, up] = await callMy(phone, 'uploadFile', upload({ name: 'file' }));
    assert.deepEqual([u, up.error], ['fail', 20]);
    const [ide, answer] = await callMy(alipayMy(), 'request', { url: config.sessionUrl, method: 'POST', data: '{}' });
    assert.deepEqual([ide, answer.status], ['fail', 400]);
    assert.equal(answer.error, 19);
  });

  test('my.request wants string header values and GET/POST/PUT/DELETE (error 2); it answers {status, headers, data}',
    async () => {
      const my = alipayMy();
      const [bad, res] = await callMy(my, 'request', { url: config.sessionUrl, method: 'POST', headers: { n: 1 } });
      assert.deepEqual([bad, res.error], ['fail', 2]);
      const [patch, res2] = await callMy(my, 'request', { url: config.sessionUrl, method: 'PATCH' });
      assert.deepEqual([patch, res2.error], ['fail', 2]);
      const [ok, answer] = await callMy(my, 'request', {
        url: config.sessionUrl, method: 'POST', dataType: 'text', data: JSON.stringify({ authCode: code('rq') }),
      });
      assert.equal(ok, 'success');
      assert.deepEqual(Object.keys(answer).sort(), ['data', 'headers', 'status']);
      assert.equal(typeof answer.data, 'string');
      assert.match(answer.headers.date, /GMT$/);
    });

  test('my.getAuthCode knows only the scopes auth_base and auth_user (error 3 otherwise)', async () => {
    const [bad, res] = await callMy(alipayMy(), 'getAuthCode', { scopes: 'auth_everything' });
    assert.deepEqual([bad, res.error], ['fail', 3]);
    const [ok, answer] = await callMy(alipayMy(), 'getAuthCode', { scopes: ['auth_base'] });
    assert.equal(ok, 'success');
    assert.match(answer.authCode, /:/);
  });
});

describe('the sandbox my\'s storage is Alipay\'s (my.getStorageSync / setStorageSync / removeStorageSync)', () => {
  test('object arguments, {data} answers; a missing key is data null; a bare string key (WeChat\'s form) error 2',
    () => {
      const my = alipayMy();
      assert.deepEqual(my.getStorageSync({ key: 'k' }), { data: null });
      assert.deepEqual(my.setStorageSync({ key: 'k', data: { a: [1, 'x'] } }), { success: true });
      assert.deepEqual(my.getStorageSync({ key: 'k' }), { data: { a: [1, 'x'] } });
      assert.deepEqual(my.getStorageSync('k'), { error: 2, errorMessage: '必填参数为空' });
      assert.deepEqual(my.setStorageSync({ key: '', data: 1 }), { error: 2, errorMessage: '必填参数为空' });
      assert.deepEqual(my.setStorageSync({ key: 'k' }), { error: 2, errorMessage: '必填参数为空' });
      assert.deepEqual(my.removeStorageSync({ key: 'k' }), { success: true });
      assert.deepEqual(my.getStorageSync({ key: 'k' }), { data: null });
    });

  test('a key holds at most 200 KB (204800 chars of JSON text); more is error 14 and keeps the old value', () => {
    const my = alipayMy();
    assert.deepEqual(my.setStorageSync({ key: 'k', data: 'x'.repeat(204798) }), { success: true }); // "x…x" 204800
    assert.deepEqual(my.setStorageSync({ key: 'k', data: 'x'.repeat(204799) }), { error: 14, errorMessage: 'data长度超限' });
    assert.equal(my.getStorageSync({ key: 'k' }).data.length, 204798);
  });

  test('a read is a copy; two my over one storage (a relaunch) see the same values', () => {
    const storage = miniStorage();
    const first = alipayMy('a', { storage });
    first.setStorageSync({ key: 'k', data: { n: 1 } });
    first.getStorageSync({ key: 'k' }).data.n = 2;
    assert.deepEqual(alipayMy('a', { storage }).getStorageSync({ key: 'k' }), { data: { n: 1 } });
    assert.deepEqual(alipayMy('a').getStorageSync({ key: 'k' }), { data: null });
  });
});

describe('a phone reaches only https', () => {
  test('a client configured with http URLs on a phone fails at once with INVALID_ARGUMENT naming https', async () => {
    const { client } = miniClient({}, 'phoneuser', { env: 'phone' });
    await rejectsWith(client.login(code('ph')), 'INVALID_ARGUMENT', /https:\/\//);
    assert.equal(client.userId, null);
  });
});

describe('session through my.request', () => {
  test('login() with no code asks my.getAuthCode; every request went through my.request', async () => {
    const { client, my } = miniClient({}, 'amy');
    const answer = plain(await client.login());
    assert.match(answer.userId, /\S/);
    assert.equal(await client.db.get('nothing'), null);
    assert.deepEqual(my.calls.map((c) => c.api), ['getAuthCode', 'request', 'request']);
    assert.equal(my.calls[1].url, config.sessionUrl);
    assert.equal(my.calls[2].url,
      `${config.endpoint}/2016-08-15/services/${config.serviceName}/functions/${config.dbFunctionName}/invocations`);
    client.close();
  });

  test('login(code) logs in the user the code names; the same user twice, a used code AUTH_CODE_REJECTED', async () => {
    const a = miniClient().client;
    const b = miniClient().client;
    const c = code('bea');
    const first = plain(await a.login(c));
    await rejectsWith(b.login(c), 'AUTH_CODE_REJECTED');
    assert.equal(plain(await b.login(code('bea'))).userId, first.userId);
    a.close();
    b.close();
  });

  test('a session endpoint that is not there is UPSTREAM_UNAVAILABLE (my.request fail with no status)', async () => {
    const port = await new Promise((res) => {
      const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
    });
    const { client } = miniClient({ sessionUrl: `http://127.0.0.1:${port}/session` });
    await rejectsWith(client.login(code('cid')), 'UPSTREAM_UNAVAILABLE');
    assert.equal(client.userId, null);
  });
});

describe('db through my.request (FC 2016-08-15)', () => {
  test('put, get, list, update, remove with expect and version conflicts, and the refusals', async () => {
    const { client } = miniClient();
    const other = miniClient().client;
    await client.login(code('dee'));
    await other.login(code('eve'));
    const id = `todo-${Date.now()}`;

    assert.deepEqual(plain(await client.db.put({ id, title: 'milk ☕ 牛奶', done: false })), { id, _version: 1 });
    await rejectsWith(client.db.put({ id, title: 'again' }, { expect: 'absent' }), 'CONFLICT');
    const item = plain(await client.db.get(id));
    assert.equal(item.title, 'milk ☕ 牛奶');
    assert.equal(item._version, 1);
    assert.equal(await other.db.get(id), null);

    const page = plain(await client.db.list({ prefix: 'todo-', limit: 100 }));
    assert.deepEqual(page.items.map((i) => i.id), [id]);
    assert.equal(page.next, null);

    const updated = plain(await client.db.update(id, { set: { done: true }, version: 1 }));
    assert.equal(updated.done, true);
    assert.equal(updated._version, 2);
    await rejectsWith(client.db.update(id, { set: { done: false }, version: 1 }), 'CONFLICT');
    await rejectsWith(other.db.update(id, { set: { done: false } }), 'NOT_FOUND');
    await rejectsWith(client.db.remove(id, { version: 1 }), 'CONFLICT');
    assert.equal(await client.db.remove(id, { version: 2 }), null);
    assert.equal(await client.db.get(id), null);
    await rejectsWith(client.db.put({ title: 'no id' }), 'INVALID_ARGUMENT');
    client.close();
    other.close();
  });

  test('FC 2023-03-30 invocations go through my.request too, V3-signed', async () => {
    const { client, my } = miniClient({ api: '2023-03-30' });
    await client.login(code('fay'));
    await client.db.put({ id: 'v3', n: 3 });
    assert.equal(plain(await client.db.get('v3')).n, 3);
    assert.deepEqual(my.calls.slice(1).map((c) => c.url), Array(2).fill(
      `${config.endpoint}/2023-03-30/functions/${config.dbFunctionName}/invocations`));
    client.close();
  });

  test('without a login (autoLogin off) a call is UNAUTHENTICATED; a Tablestore fault is UPSTREAM_UNAVAILABLE',
    async () => {
      const { client } = miniClient({ autoLogin: false });
      await rejectsWith(client.db.get('x'), 'UNAUTHENTICATED');
      await client.login(code('gus'));
      await fault(cloud.ready, 'tablestore', 'fail');
      try {
        await rejectsWith(client.db.get('x'), 'UPSTREAM_UNAVAILABLE');
      } finally {
        await fault(cloud.ready, 'tablestore', 'none');
      }
      assert.equal(await client.db.get('x'), null);
      client.close();
    });
});

describe('files through my.uploadFile', () => {
  test('upload a file, download the same bytes, list and remove it', async () => {
    const { client, my } = miniClient();
    await client.login(code('hal'));
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 13, 10]);
    const filePath = join(files, 'photo.png');
    writeFileSync(filePath, bytes);
    const path = `photos/${Date.now()}.png`;

    assert.deepEqual(plain(await client.files.upload(path, filePath, { contentType: 'image/png' })), { path });
    const uploads = my.calls.filter((c) => c.api === 'uploadFile');
    assert.equal(uploads.length, 1);
    // today's base library reads `name`, older ones `fileName`; the IDE checks fileType
    assert.deepEqual([uploads[0].opts.name, uploads[0].opts.fileName, uploads[0].opts.fileType], ['file', 'file', 'image']);
    const { url } = plain(await client.files.downloadUrl(path));
    const got = await fetch(url);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), bytes);
    const listed = plain(await client.files.list({ prefix: 'photos/' }));
    assert.deepEqual(listed.items.map((f) => [f.path, f.size]), [[path, bytes.length]]);
    assert.equal(await client.files.remove(path), null);
    assert.deepEqual(plain(await client.files.list({ prefix: 'photos/' })).items, []);
    client.close();
  });

  test('a file over the policy size is PAYLOAD_TOO_LARGE; at the size it is stored', async () => {
    const { client } = miniClient();
    await client.login(code('ida'));
    const at = join(files, 'ten.bin');
    const over = join(files, 'eleven.bin');
    writeFileSync(at, Buffer.alloc(10, 7));
    writeFileSync(over, Buffer.alloc(11, 7));
    await rejectsWith(client.files.upload('big.bin', over, { maxBytes: 10 }), 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(plain(await client.files.upload('big.bin', at, { maxBytes: 10 })), { path: 'big.bin' });
    client.close();
  });

  test('an OSS fault during the upload (OSS answers 5xx to my.uploadFile) is UPSTREAM_UNAVAILABLE', async () => {
    const { client, my } = miniClient();
    await client.login(code('jo'));
    const filePath = join(files, 'x.txt');
    writeFileSync(filePath, 'x');
    const policy = plain(await client.files.uploadPolicy('x.txt'));
    assert.equal(policy.fileField, 'file');
    await fault(cloud.ready, 'oss', 'fail');
    try {
      await rejectsWith(client.files.upload('x.txt', filePath), 'UPSTREAM_UNAVAILABLE');
    } finally {
      await fault(cloud.ready, 'oss', 'none');
    }
    assert.equal(my.calls.filter((c) => c.api === 'uploadFile').length, 1);
    client.close();
  });
});

describe('refresh and logout', () => {
  test('credentials past their expiry by the client clock are refreshed before the next call', async () => {
    let offset = 0;
    const { client } = miniClient({ now: () => Date.now() + offset });
    await client.login(code('kim'));
    const before = client.credentials.AccessKeyId;
    offset = 2 * 3600 * 1000;
    assert.equal(await client.db.get('a'), null);
    assert.notEqual(client.credentials.AccessKeyId, before);
    client.close();
  });

  test('the client refreshes by itself shortly before the credentials expire', async () => {
    const { client } = miniClient({ refreshMarginSeconds: 3599 });
    await client.login(code('lee'));
    const before = client.credentials.AccessKeyId;
    await eventually(() => client.credentials && client.credentials.AccessKeyId !== before);
    client.close();
  });

  test('a logout that fails keeps the session and throws; the retry logs out and the session is refused', async () => {
    const { client } = miniClient();
    await client.login(code('max'));
    const sid = client.sessionId;
    await fault(cloud.ready, 'tablestore', 'fail');
    try {
      await rejectsWith(client.logout(), 'UPSTREAM_UNAVAILABLE');
    } finally {
      await fault(cloud.ready, 'tablestore', 'none');
    }
    assert.equal(client.sessionId, sid);
    assert.equal(await client.db.get('still'), null);
    assert.deepEqual(plain(await client.logout()), { loggedOut: true });
    assert.equal(client.sessionId, null);
    const refresh = await fetch(config.sessionUrl, {
      method: 'POST', body: JSON.stringify({ action: 'refresh', sessionId: sid }),
    });
    assert.equal((await refresh.json()).error.code, 'UNAUTHENTICATED');
  });
});
