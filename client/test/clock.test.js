// Phones with wrong clocks: FC refuses a signature more than 15 minutes off (RequestTimeTooSkewed), so the client
// learns the server's time from each answer's Date header and signs by it; a clock that moves after the last
// answer costs one resent call. In Node (an injected device clock) and in the mini-program sandbox (the
// sandbox's own Date shifted), FC 2.0 and FC 3.0.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, MiniappError } from '../src/index.js';
import { startForClients } from './local-cloud.js';
import { alipayMy, loadDist, plain, skewClock } from './sandbox.js';

const MIN = 60 * 1000;
const OFFSETS = [['20 min ahead', 20 * MIN], ['20 min behind', -20 * MIN], ['3 h ahead', 180 * MIN],
  ['3 h behind', -180 * MIN]];
const APIS = ['2016-08-15', '2023-03-30'];

let cloud;
let config;
let n = 0;
/** A code for a user of its own (each test starts with no rows). */
const code = (name) => `${name}${Date.now()}x${++n}:1`;
const someone = (name) => `${name}${Date.now()}x${++n}`;

before(async () => { ({ cloud, config } = await startForClients()); });
after(() => cloud?.stop());

/** A request function over fetch that counts session calls and invocations; `strip` drops the Date header. */
function counting({ strip = false } = {}) {
  const count = { session: 0, invoke: 0 };
  const request = async ({ url, method, headers, body }) => {
    count[url === config.sessionUrl ? 'session' : 'invoke'] += 1;
    const res = await fetch(url, { method, headers, body });
    const answer = Object.fromEntries(res.headers);
    if (strip) delete answer.date;
    return { status: res.status, headers: answer, body: await res.text() };
  };
  return { count, request };
}

async function rejectsWith(promise, expected, pattern) {
  await assert.rejects(promise, (e) => {
    assert.ok(e instanceof MiniappError, `expected a MiniappError, got ${e}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

describe('in Node', () => {
  for (const api of APIS) {
    for (const [label, offset] of OFFSETS) {
      test(`a clock ${label} (FC ${api}): every call succeeds at its first try, no refresh`, async () => {
        const { count, request } = counting();
        const c = createClient({ ...config, api, request, now: () => Date.now() + offset });
        await c.login(code('skew'));
        const keys = c.credentials.AccessKeyId;
        assert.deepEqual(await c.db.put({ id: 't', n: 1 }), { id: 't', _version: 1 });
        assert.equal((await c.db.update('t', { set: { n: 2 } })).n, 2);
        assert.equal((await c.db.get('t')).n, 2);
        assert.deepEqual((await c.db.list()).items.map((i) => i.id), ['t']);
        assert.deepEqual(count, { session: 1, invoke: 4 });
        assert.equal(c.credentials.AccessKeyId, keys);
        c.close();
      });
    }

    test(`a clock moved 20 min after the login (FC ${api}): one refused call is sent once more, then none`,
      async () => {
        let moved = 0;
        const { count, request } = counting();
        const c = createClient({ ...config, api, request, now: () => Date.now() + moved });
        await c.login(code('moved'));
        moved = -20 * MIN;
        assert.deepEqual(await c.db.put({ id: 'm', n: 1 }), { id: 'm', _version: 1 });
        assert.deepEqual(count, { session: 1, invoke: 2 });
        assert.equal((await c.db.get('m')).n, 1);
        assert.deepEqual(count, { session: 1, invoke: 3 });
        c.close();
      });
  }

  test('with no Date header to learn from, a clock 20 min off fails once with a message about the clock',
    async () => {
      const { count, request } = counting({ strip: true });
      const c = createClient({ ...config, request, now: () => Date.now() + 20 * MIN });
      await c.login(code('nodate'));
      await rejectsWith(c.db.get('x'), 'INTERNAL', /clock is more than 15 minutes off/);
      assert.deepEqual(count, { session: 1, invoke: 1 });
      c.close();
    });

  test('a correct clock learns nothing worth a resend: no call is sent twice', async () => {
    const { count, request } = counting();
    const c = createClient({ ...config, request });
    await c.login(code('right'));
    for (let i = 0; i < 5; i += 1) await c.db.get(`k${i}`);
    assert.deepEqual(count, { session: 1, invoke: 5 });
    c.close();
  });
});

describe('in the mini-program sandbox', () => {
  for (const api of APIS) {
    for (const [label, offset] of OFFSETS) {
      test(`a phone clock ${label} (FC ${api}): login, put, get through my.request, one request each`, async () => {
        const my = alipayMy(someone('phone'));
        const { ctx, lib } = loadDist(my);
        skewClock(ctx, offset);
        const client = lib.createClient({ ...config, api, my });
        await client.login();
        assert.deepEqual(plain(await client.db.put({ id: 'p', n: 1 })), { id: 'p', _version: 1 });
        assert.equal(plain(await client.db.get('p')).n, 1);
        assert.deepEqual(my.calls.map((c) => c.api), ['getAuthCode', 'request', 'request', 'request']);
        client.close();
      });
    }
  }

  test('a phone clock moved 3 h back after the login: the refused call is sent once more and succeeds', async () => {
    const my = alipayMy(someone('phone'));
    const { ctx, lib } = loadDist(my);
    const client = lib.createClient({ ...config, my });
    await client.login();
    skewClock(ctx, -180 * MIN);
    assert.deepEqual(plain(await client.db.put({ id: 'q', n: 1 })), { id: 'q', _version: 1 });
    assert.equal(my.calls.filter((c) => c.url !== config.sessionUrl && c.api === 'request').length, 2);
    client.close();
  });
});
