import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import FC from '@alicloud/fc2';
import { createClient, MiniappError } from '../src/index.js';
import { startLocalCloud, eventually } from './local-cloud.js';

let cloud;
let config;
let codes = 0;
const code = (name) => `${name}:${Date.now()}-${++codes}`;

before(async () => {
  cloud = await startLocalCloud();
  const r = cloud.ready;
  config = {
    endpoint: r.endpoint,
    accountId: r.accountId,
    region: r.region,
    serviceName: r.serviceName,
    sessionUrl: r.sessionUrl,
    dbFunctionName: r.dbFunctionName,
  };
});

after(async () => {
  await cloud?.stop();
});

async function rejectsWith(promise, code) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MiniappError, `expected a MiniappError, got ${e}`);
    assert.equal(e.code, code, e.message);
    return true;
  });
}

describe('session', () => {
  test('READY names everything a client needs', () => {
    for (const k of ['endpoint', 'accountId', 'region', 'serviceName', 'sessionFunctionName', 'dbFunctionName', 'sessionUrl']) {
      assert.ok(cloud.ready[k], k);
    }
  });

  test('a name:anything code logs that user in, the same uid each time, a different one per name', async () => {
    const a1 = createClient(config);
    const a2 = createClient(config);
    const b = createClient(config);
    const first = await a1.login(code('alice'));
    const again = await a2.login(code('alice'));
    const bob = await b.login(code('bob'));
    assert.equal(first.userId, again.userId);
    assert.notEqual(first.userId, bob.userId);
    assert.match(first.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(a1.credentials.AccessKeyId, /^STS\./);
    [a1, a2, b].forEach((c) => c.close());
  });

  test('a used authCode is refused with AUTH_CODE_REJECTED', async () => {
    const c = code('carol');
    await createClient(config).login(c);
    await rejectsWith(createClient(config).login(c), 'AUTH_CODE_REJECTED');
  });

  test('sessionFunctionName builds the same trigger URL as sessionUrl', async () => {
    const { sessionUrl, ...rest } = config;
    const c = createClient({ ...rest, sessionFunctionName: cloud.ready.sessionFunctionName,
      sessionServiceName: cloud.ready.sessionServiceName });
    const answer = await c.login(code('dave'));
    assert.ok(answer.userId);
    c.close();
  });

  test('the session trigger refuses GET with the function own 405 answer', async () => {
    const res = await fetch(config.sessionUrl);
    assert.equal(res.status, 405);
    assert.equal((await res.json()).error.code, 'METHOD_NOT_ALLOWED');
  });

  test('the request function is injectable (as for my.request)', async () => {
    const seen = [];
    const c = createClient({
      ...config,
      request: async (req) => {
        seen.push(req.url);
        const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
        return { status: res.status, body: await res.text() };
      },
    });
    await c.login(code('erin'));
    assert.deepEqual(seen, [config.sessionUrl]);
    c.close();
  });
});

describe('function compute API', () => {
  test('login credentials may not invoke the session function', async () => {
    const c = createClient(config);
    await c.login(code('frank'));
    const s = c.credentials;
    const fc = new FC(config.accountId, {
      accessKeyID: s.AccessKeyId, accessKeySecret: s.AccessKeySecret, securityToken: s.SecurityToken,
      region: config.region, endpoint: config.endpoint,
    });
    await assert.rejects(fc.invokeFunction(cloud.ready.sessionServiceName, cloud.ready.sessionFunctionName, '{}'),
      (e) => e.code === 'AccessDenied');
    c.close();
  });

  test('the account key of READY invokes the session function directly with the same JSON', async () => {
    const r = cloud.ready;
    const fc = new FC(r.accountId, {
      accessKeyID: r.accessKeyId, accessKeySecret: r.accessKeySecret, region: r.region, endpoint: r.endpoint,
    });
    const login = (await fc.invokeFunction(r.sessionServiceName, r.sessionFunctionName,
      JSON.stringify({ authCode: code('ivan') }))).data;
    assert.match(login.sessionId, /^[A-Za-z0-9_-]{43}$/);
    assert.ok(login.sts.AccessKeyId.startsWith('STS.'));
    const refused = (await fc.invokeFunction(r.sessionServiceName, r.sessionFunctionName,
      JSON.stringify({ authCode: 'no-colon' }))).data;
    assert.equal(refused.error.code, 'AUTH_CODE_REJECTED');
  });

  test('a wrong secret is refused with SignatureNotMatch', async () => {
    const c = createClient(config);
    await c.login(code('grace'));
    const s = c.credentials;
    const fc = new FC(config.accountId, {
      accessKeyID: s.AccessKeyId, accessKeySecret: `${s.AccessKeySecret}x`, securityToken: s.SecurityToken,
      region: config.region, endpoint: config.endpoint,
    });
    await assert.rejects(fc.invokeFunction(config.serviceName, config.dbFunctionName, '{}'),
      (e) => e.code === 'SignatureNotMatch');
    c.close();
  });
});

describe('db and files', () => {
  test('put, get, list, update, remove for one user, invisible to another', async () => {
    const alice = createClient(config);
    const bob = createClient(config);
    await alice.login(code('alice'));
    await bob.login(code('bob'));
    const id = `todo-${Date.now()}`;

    const put = await alice.db.put({ id, title: 'milk', done: false, tags: ['a', { b: 1 }] });
    assert.deepEqual(put, { id, _version: 1 });
    await rejectsWith(alice.db.put({ id, title: 'again' }, { expect: 'absent' }), 'CONFLICT');

    const item = await alice.db.get(id);
    assert.equal(item.title, 'milk');
    assert.deepEqual(item.tags, ['a', { b: 1 }]);
    assert.equal(item._version, 1);
    assert.equal(await bob.db.get(id), null);

    const page = await alice.db.list({ prefix: 'todo-', limit: 100 });
    assert.ok(page.items.some((i) => i.id === id));
    assert.ok(!(await bob.db.list({ prefix: 'todo-' })).items.some((i) => i.id === id));

    const updated = await alice.db.update(id, { set: { done: true }, unset: ['tags'], version: 1 });
    assert.equal(updated.done, true);
    assert.equal(updated.tags, undefined);
    assert.equal(updated._version, 2);
    await rejectsWith(alice.db.update(id, { set: { done: false }, version: 1 }), 'CONFLICT');
    await rejectsWith(bob.db.update(id, { set: { done: false } }), 'NOT_FOUND');

    assert.equal(await alice.db.remove(id), null);
    assert.equal(await alice.db.get(id), null);
    await rejectsWith(alice.db.put({ title: 'no id' }), 'INVALID_ARGUMENT');
    alice.close();
    bob.close();
  });

  test('upload through the post policy, download, list and remove a file', async () => {
    const alice = createClient(config);
    const bob = createClient(config);
    await alice.login(code('alice'));
    await bob.login(code('bob'));
    const path = `notes/${Date.now()}.txt`;

    const policy = await alice.files.uploadPolicy(path, { contentType: 'text/plain' });
    assert.equal(policy.fileField, 'file');
    const form = new FormData();
    for (const [k, v] of Object.entries(policy.fields)) form.append(k, v);
    form.append(policy.fileField, new Blob(['hello'], { type: 'text/plain' }), 'hello.txt');
    const upload = await fetch(policy.url, { method: 'POST', body: form });
    assert.ok(upload.status >= 200 && upload.status < 300, `upload answered ${upload.status}`);

    const { url } = await alice.files.downloadUrl(path);
    assert.equal(await (await fetch(url)).text(), 'hello');
    const listed = await alice.files.list({ prefix: 'notes/' });
    assert.ok(listed.items.some((f) => f.path === path && f.size === 5));
    assert.ok(!(await bob.files.list({ prefix: 'notes/' })).items.some((f) => f.path === path));

    assert.equal(await alice.files.remove(path), null);
    assert.ok(!(await alice.files.list({ prefix: 'notes/' })).items.some((f) => f.path === path));
    alice.close();
    bob.close();
  });

  test('downloadUrls answers one URL per path in one invocation, in order, each downloading its file', async () => {
    const seen = [];
    const alice = createClient({
      ...config,
      request: async (req) => {
        seen.push(req.url);
        const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body });
        return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      },
    });
    await alice.login(code('paula'));
    const paths = ['b.txt', 'a.txt', 'c/d.txt'];
    for (const path of paths) {
      const policy = await alice.files.uploadPolicy(path);
      const form = new FormData();
      for (const [k, v] of Object.entries(policy.fields)) form.append(k, v);
      form.append(policy.fileField, new Blob([`bytes of ${path}`]), 'f');
      assert.ok((await fetch(policy.url, { method: 'POST', body: form })).ok);
    }
    const before = seen.length;
    const links = await alice.files.downloadUrls([...paths, 'a.txt']);
    assert.equal(seen.length - before, 1);
    assert.deepEqual(links.map((l) => l.path), [...paths, 'a.txt']);
    for (const link of links) {
      assert.equal(await (await fetch(link.url)).text(), `bytes of ${link.path}`);
      assert.match(link.expiresAt, /^\d{4}-\d\d-\d\dT/);
    }
    await rejectsWith(alice.files.downloadUrls(Array(101).fill('a.txt')), 'INVALID_ARGUMENT');
    await rejectsWith(alice.files.downloadUrls([]), 'INVALID_ARGUMENT');
    assert.equal((await alice.files.downloadUrls(Array(100).fill('a.txt'))).length, 100);
    alice.close();
  });

  test('after logout the session is refused, and refresh is refused too', async () => {
    const c = createClient(config);
    await c.login(code('heidi'));
    const sts = c.credentials;
    assert.equal(await c.db.get('x'), null);
    const sid = c.sessionId;
    assert.deepEqual(await c.logout(), { loggedOut: true });
    await rejectsWith(c.db.get('x'), 'UNAUTHENTICATED');
    // the STS key still works until it expires, but the db function refuses the logged-out session
    const fc = new FC(config.accountId, {
      accessKeyID: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken,
      region: config.region, endpoint: config.endpoint,
    });
    const res = await fc.invokeFunction(config.serviceName, config.dbFunctionName, JSON.stringify({ sid, op: 'get', id: 'x' }));
    assert.equal(res.data.error.code, 'UNAUTHENTICATED');
    const refresh = await fetch(config.sessionUrl, { method: 'POST', body: JSON.stringify({ action: 'refresh', sessionId: sid }) });
    assert.equal(refresh.status, 401);
    assert.equal((await refresh.json()).error.code, 'UNAUTHENTICATED');
  });
});

describe('refresh', () => {
  test('credentials past their expiry (by the client clock) are refreshed before the next call', async () => {
    let offset = 0;
    const c = createClient({ ...config, now: () => Date.now() + offset });
    await c.login(code('ivan'));
    const before = c.credentials.AccessKeyId;
    offset = 2 * 3600 * 1000;
    await c.db.get('anything');
    assert.notEqual(c.credentials.AccessKeyId, before);
    c.close();
  });

  test('the client refreshes by itself shortly before the credentials expire', async () => {
    const c = createClient({ ...config, refreshMarginSeconds: 3599 });
    await c.login(code('judy'));
    const before = c.credentials.AccessKeyId;
    await eventually(() => c.credentials && c.credentials.AccessKeyId !== before);
    c.close();
  });

  test('refresh keeps the session and its expiry', async () => {
    const c = createClient(config);
    const first = await c.login(code('ken'));
    const again = await c.refresh();
    assert.equal(again.userId, first.userId);
    assert.equal(again.expiresAt, first.expiresAt);
    c.close();
  });
});

describe('restart', () => {
  test('sessions, issued credentials, rows and files survive a restart on the same data folder', async () => {
    const first = await startLocalCloud();
    const r1 = first.ready;
    const c = createClient({ ...config, endpoint: r1.endpoint, sessionUrl: r1.sessionUrl });
    await c.login(code('rita'));
    await c.db.put({ id: 'kept', n: 1 });
    const policy = await c.files.uploadPolicy('kept.txt');
    const form = new FormData();
    for (const [k, v] of Object.entries(policy.fields)) form.append(k, v);
    form.append(policy.fileField, new Blob(['still here']), 'kept.txt');
    assert.ok((await fetch(policy.url, { method: 'POST', body: form })).ok);
    const { sessionId } = c;
    const s = c.credentials;
    c.close();
    await first.stop();

    const second = await startLocalCloud(first.dataDir);
    try {
      const r2 = second.ready;
      const fc = new FC(r2.accountId, {
        accessKeyID: s.AccessKeyId, accessKeySecret: s.AccessKeySecret, securityToken: s.SecurityToken,
        region: r2.region, endpoint: r2.endpoint,
      });
      const invoke = async (event) => (await fc.invokeFunction(r2.serviceName, r2.dbFunctionName,
        JSON.stringify({ sid: sessionId, ...event }))).data;
      assert.equal((await invoke({ op: 'get', id: 'kept' })).data.n, 1);
      const url = (await invoke({ op: 'downloadUrl', path: 'kept.txt' })).data.url;
      assert.equal(await (await fetch(url)).text(), 'still here');
      const refreshed = await fetch(r2.sessionUrl, {
        method: 'POST', body: JSON.stringify({ action: 'refresh', sessionId }),
      });
      assert.equal(refreshed.status, 200);
    } finally {
      await second.stop();
    }
  });
});

describe('FC 3.0 deployment (api 2023-03-30)', () => {
  test('the db function is reached with V3-signed InvokeFunction, and its refusals keep their meaning', async () => {
    const c = createClient({
      api: '2023-03-30',
      endpoint: config.endpoint,
      accountId: config.accountId,
      region: config.region,
      sessionUrl: config.sessionUrl,
      dbFunctionName: config.dbFunctionName,
    });
    await c.login(code('una'));
    await c.db.put({ id: 'v3', n: 3 });
    assert.equal((await c.db.get('v3')).n, 3);
    await rejectsWith(c.db.put({ id: 'v3' }, { expect: 'absent' }), 'CONFLICT');

    const other = createClient({ ...config, api: '2023-03-30', dbFunctionName: cloud.ready.sessionFunctionName });
    await other.login(code('vic'));
    // the login's policy allows only the db function
    await rejectsWith(other.db.get('x'), 'UNAUTHENTICATED');
    await c.logout();
    c.close();
    other.close();
  });

  test('an unknown api version is refused at configuration', () => {
    assert.throws(() => createClient({ ...config, api: '2017-01-01' }), TypeError);
  });
});
