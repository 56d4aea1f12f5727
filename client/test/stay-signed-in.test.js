// Staying signed in (contract "Users", issue 20): the client keeps the login answer in the mini-program's storage
// (the sandbox my's, strict as Alipay's) or in the store a Node app injects, and a second client over the same
// storage is the app launched again. Every test counts the requests by kind (login, refresh, logout, invoke):
// a returning user with live keys sends the db call alone; past or near their expiry one refresh comes first; a
// session ended on the server costs one UNAUTHENTICATED and then a clean login. In Node and in the built dist,
// FC 2.0 and FC 3.0, against local-cloud.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../src/index.js';
import { startForClients } from './local-cloud.js';
import {
  alipayMy, loadDist, miniStorage, plain, skewClock,
} from './sandbox.js';

const APIS = ['2016-08-15', '2023-03-30'];
const MIN = 60 * 1000;

let cloud;
let config;
let n = 0;
const someone = (name) => `${name}${Date.now()}x${++n}`;

before(async () => { ({ cloud, config } = await startForClients()); });
after(() => cloud?.stop());

/** What one session-function request or invocation was: the session action's name, or 'invoke'. */
const kindOf = (url, body) => (url === config.sessionUrl ? JSON.parse(body).action || 'login' : 'invoke');

/**
 * A store as a Node app would inject it, keeping JSON text in `entries` (as the sandbox's storage does);
 * `async`: every method answers a promise.
 */
function nodeStore({ async = false } = {}) {
  const entries = new Map();
  const answer = (v) => (async ? Promise.resolve(v) : v);
  return {
    entries,
    get: (key) => answer(entries.has(key) ? JSON.parse(entries.get(key)) : null),
    set: (key, value) => answer(void entries.set(key, JSON.stringify(value))),
    remove: (key) => answer(void entries.delete(key)),
  };
}

/**
 * Launches of one app on one device: `launch()` makes a client over the device's storage, as the app started
 * anew; `kinds()` lists that launch's requests in order; `signIn()` logs in as the app would (Node: a code;
 * the mini-program: login() with my.getAuthCode). `skew`: the device clock's error (ms).
 */
function device(kind, api, { async = false } = {}) {
  const name = someone(kind);
  const disk = kind === 'node' ? nodeStore({ async }) : miniStorage();
  const launch = ({ skew = 0, extra = {} } = {}) => {
    if (kind === 'node') {
      const sent = [];
      const request = async ({ url, method, headers, body }) => {
        sent.push(kindOf(url, body));
        const res = await fetch(url, { method, headers, body });
        return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
      };
      const client = createClient({ ...config, api, request, storage: disk, now: () => Date.now() + skew, ...extra });
      return { client, kinds: () => sent.slice(), signIn: () => client.login(`${name}:${++n}`) };
    }
    const my = alipayMy(name, { storage: disk });
    const { ctx, lib } = loadDist(my);
    if (skew) skewClock(ctx, skew);
    const client = lib.createClient({ ...config, api, my, ...extra });
    const kinds = () => my.calls.map((c) => (c.api === 'request' ? kindOf(c.url, c.opts.data) : c.api));
    return { client, kinds, signIn: () => client.login() };
  };
  const key = () => [...disk.entries.keys()];
  /** The kept value (parsed), or undefined. */
  const kept = () => (disk.entries.size ? JSON.parse([...disk.entries.values()][0]) : undefined);
  /** Changes the kept value as `change(value)` says (the value as stored; a return replaces it). */
  const tamper = (change) => {
    const [k, text] = [...disk.entries][0];
    const value = JSON.parse(text);
    const replaced = change(value);
    disk.entries.set(k, JSON.stringify(replaced === undefined ? value : replaced));
  };
  const put = (value) => disk.entries.set(`fc-miniapp:session:${config.sessionUrl}`, JSON.stringify(value));
  return { launch, kept, key, tamper, put, name };
}

/** A first launch that signs in and writes a row; resolves to the device and that launch. */
async function firstLaunch(kind, api, opts) {
  const d = device(kind, api, opts);
  const first = d.launch();
  await first.signIn();
  assert.deepEqual(plain(await first.client.db.put({ id: 'r', n: 1 })), { id: 'r', _version: 1 });
  first.client.close();
  return { d, first };
}

async function rejectsWith(promise, expected, pattern) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'MiniappError', `expected a MiniappError, got ${e && e.stack}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

/** The requests after a launch's sign-in, without the my.getAuthCode that a mini-program's login makes. */
const requestsOf = (l) => l.kinds().filter((k) => k !== 'getAuthCode');
const iso = (ms) => new Date(ms).toISOString();

for (const kind of ['node', 'mini']) {
  const label = kind === 'node' ? 'Node' : 'the mini-program sandbox';
  for (const api of APIS) {
    describe(`${label}, FC ${api}`, () => {
      test('the kept value is exactly the login answer: sessionId, userId, expiresAt, sts', async () => {
        const { d, first } = await firstLaunch(kind, api);
        const value = d.kept();
        assert.deepEqual(Object.keys(value).sort(), ['expiresAt', 'sessionId', 'sts', 'userId']);
        assert.deepEqual(Object.keys(value.sts).sort(), ['AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken']);
        assert.equal(value.sessionId, first.client.sessionId);
        assert.equal(value.userId, first.client.userId);
        assert.deepEqual(value.sts, plain(first.client.credentials));
        assert.deepEqual(d.key(), [`fc-miniapp:session:${config.sessionUrl}`]);
      });

      test('a returning user with live keys: no session call, exactly one request (the db call)', async () => {
        const { d, first } = await firstLaunch(kind, api);
        const again = d.launch();
        assert.equal(again.client.userId, first.client.userId); // known at launch, before any request
        assert.equal(plain(await again.client.db.get('r')).n, 1);
        assert.deepEqual(again.kinds(), ['invoke']);
        assert.deepEqual(plain(await again.client.login()), { userId: first.client.userId, expiresAt: d.kept().expiresAt });
        assert.deepEqual(again.kinds(), ['invoke']); // login() with a live kept session sends nothing
        again.client.close();
      });

      test('keys past their expiry: exactly one refresh, then the db call; the new keys are kept', async () => {
        const { d, first } = await firstLaunch(kind, api);
        d.tamper((v) => { v.sts.Expiration = iso(Date.now() - MIN); });
        const again = d.launch();
        assert.equal(plain(await again.client.db.get('r')).n, 1);
        assert.deepEqual(again.kinds(), ['refresh', 'invoke']);
        assert.equal(again.client.sessionId, first.client.sessionId);
        assert.equal(d.kept().sts.AccessKeyId, again.client.credentials.AccessKeyId);
        assert.notEqual(d.kept().sts.AccessKeyId, first.client.credentials.AccessKeyId);
        again.client.close();
      });

      test('keys 290 s from expiry (inside the 300 s margin) are refreshed first; 310 s away they are used', async () => {
        const { d } = await firstLaunch(kind, api);
        d.tamper((v) => { v.sts.Expiration = iso(Date.now() + 310 * 1000); });
        const far = d.launch();
        await far.client.db.get('r');
        assert.deepEqual(far.kinds(), ['invoke']);
        far.client.close();
        d.tamper((v) => { v.sts.Expiration = iso(Date.now() + 290 * 1000); });
        const near = d.launch();
        await near.client.db.get('r');
        assert.deepEqual(near.kinds(), ['refresh', 'invoke']);
        near.client.close();
      });

      test('a session logged out elsewhere: one UNAUTHENTICATED, the kept value removed, then a clean login',
        async () => {
          const { d } = await firstLaunch(kind, api);
          const again = d.launch();
          const sid = again.client.sessionId;
          const out = await fetch(config.sessionUrl, { method: 'POST', body: JSON.stringify({ action: 'logout', sessionId: sid }) });
          assert.deepEqual(await out.json(), { loggedOut: true });
          await rejectsWith(again.client.db.get('r'), 'UNAUTHENTICATED');
          assert.equal(d.kept(), undefined);
          assert.equal(again.client.sessionId, null);
          if (kind === 'node') {
            await rejectsWith(again.client.db.get('r'), 'UNAUTHENTICATED', /Log in first/);
            await again.signIn();
          }
          assert.equal(plain(await again.client.db.get('r')).n, 1); // the same user's row: a clean new login
          assert.notEqual(again.client.sessionId, sid);
          assert.equal(d.kept().sessionId, again.client.sessionId);
          assert.deepEqual(requestsOf(again), ['invoke', 'login', 'invoke']);
          again.client.close();
        });

      test('a kept session that ended: its refresh is UNAUTHENTICATED, then a login (the mini-program by itself)',
        async () => {
          const { d } = await firstLaunch(kind, api);
          const sid = d.kept().sessionId;
          await fetch(config.sessionUrl, { method: 'POST', body: JSON.stringify({ action: 'logout', sessionId: sid }) });
          d.tamper((v) => { v.sts.Expiration = iso(Date.now() - MIN); });
          const again = d.launch();
          if (kind === 'node') {
            await rejectsWith(again.client.db.get('r'), 'UNAUTHENTICATED');
            assert.equal(d.kept(), undefined);
            await again.signIn();
            assert.equal(plain(await again.client.db.get('r')).n, 1);
            assert.deepEqual(requestsOf(again), ['refresh', 'login', 'invoke']);
          } else {
            assert.equal(plain(await again.client.db.get('r')).n, 1);
            assert.deepEqual(again.kinds(), ['refresh', 'getAuthCode', 'login', 'invoke']);
          }
          assert.notEqual(d.kept().sessionId, sid);
          again.client.close();
        });

      test('logout() ends the session and removes the kept value; the next launch has no session', async () => {
        const { d } = await firstLaunch(kind, api);
        const again = d.launch();
        assert.deepEqual(plain(await again.client.logout()), { loggedOut: true });
        assert.equal(d.kept(), undefined);
        // no login by itself after an explicit logout, until login()
        await rejectsWith(again.client.db.get('r'), 'UNAUTHENTICATED', /Log in first/);
        assert.deepEqual(requestsOf(again), ['logout']);
        const next = d.launch();
        assert.equal(next.client.userId, null);
        if (kind === 'node') {
          await rejectsWith(next.client.db.get('r'), 'UNAUTHENTICATED', /Log in first/);
          assert.deepEqual(next.kinds(), []);
        } else {
          assert.equal(plain(await next.client.db.get('r')).n, 1);
          assert.deepEqual(next.kinds(), ['getAuthCode', 'login', 'invoke']);
          next.client.close();
        }
      });

      test('a kept value that is corrupt or foreign is ignored and removed; the next sign-in keeps a new one',
        async () => {
          const { d } = await firstLaunch(kind, api);
          const good = d.kept();
          const bad = [
            'not a session', 42, [good], { ...good, extra: 1 }, { ...good, sessionId: 'short' },
            { ...good, sts: { ...good.sts, Expiration: 'soon' } }, { ...good, sts: { ...good.sts, SecurityToken: '' } },
            { sessionId: good.sessionId, userId: good.userId, expiresAt: good.expiresAt },
          ];
          for (const value of bad) {
            d.put(value);
            const l = d.launch();
            assert.equal(l.client.sessionId, null, JSON.stringify(value));
            assert.equal(d.kept(), undefined, JSON.stringify(value));
            l.client.close();
          }
          d.put({ ...good, sts: { ...good.sts, Expiration: iso(Date.now() - MIN) }, userId: null });
          const l = d.launch();
          await l.signIn();
          assert.equal(plain(await l.client.db.get('r')).n, 1);
          assert.deepEqual(requestsOf(l), ['login', 'invoke']);
          assert.equal(d.kept().sessionId, l.client.sessionId);
          l.client.close();
        });

      test('FC refusing the kept keys (InvalidSecurityToken, its answer for an expired token): one refresh, sent again',
        async () => {
          const { d, first } = await firstLaunch(kind, api);
          d.tamper((v) => { v.sts.SecurityToken = `${v.sts.SecurityToken}x`; });
          const again = d.launch();
          assert.equal(plain(await again.client.db.get('r')).n, 1);
          assert.deepEqual(again.kinds(), ['invoke', 'refresh', 'invoke']);
          assert.equal(again.client.sessionId, first.client.sessionId);
          assert.equal(d.kept().sts.SecurityToken, again.client.credentials.SecurityToken);
          again.client.close();
        });

      test('a phone clock 3 h behind: the kept keys look live; one refused call is sent again, no session call',
        async () => {
          const { d } = await firstLaunch(kind, api);
          const again = d.launch({ skew: -180 * MIN });
          assert.equal(plain(await again.client.db.get('r')).n, 1);
          assert.equal(plain(await again.client.db.get('r')).n, 1);
          assert.deepEqual(again.kinds(), ['invoke', 'invoke', 'invoke']);
          again.client.close();
        });

      test('a phone clock 3 h ahead: the kept keys look expired, so one refresh (which sets the clock), then none',
        async () => {
          const { d } = await firstLaunch(kind, api);
          const again = d.launch({ skew: 180 * MIN });
          assert.equal(plain(await again.client.db.get('r')).n, 1);
          assert.equal(plain(await again.client.db.get('r')).n, 1);
          assert.deepEqual(again.kinds(), ['refresh', 'invoke', 'invoke']);
          again.client.close();
        });

      test('five concurrent first calls past the keys\' expiry share one refresh', async () => {
        const { d } = await firstLaunch(kind, api);
        d.tamper((v) => { v.sts.Expiration = iso(Date.now() - MIN); });
        const again = d.launch();
        const got = await Promise.all([0, 1, 2, 3, 4].map(() => again.client.db.get('r')));
        assert.deepEqual(got.map((r) => plain(r).n), [1, 1, 1, 1, 1]);
        assert.deepEqual(again.kinds(), ['refresh', 'invoke', 'invoke', 'invoke', 'invoke', 'invoke']);
        again.client.close();
      });
    });
  }
}

describe('the mini-program logs in by itself', () => {
  for (const api of APIS) {
    test(`FC ${api}: five concurrent first calls with nothing kept share one my.getAuthCode and one login`,
      async () => {
        const d = device('mini', api);
        const l = d.launch();
        const got = await Promise.all([0, 1, 2, 3, 4].map((i) => l.client.db.get(`none${i}`)));
        assert.deepEqual(got.map(plain), [null, null, null, null, null]);
        assert.deepEqual(l.kinds(), ['getAuthCode', 'login', 'invoke', 'invoke', 'invoke', 'invoke', 'invoke']);
        assert.equal(d.kept().sessionId, l.client.sessionId);
        l.client.close();
      });
  }

  test('a full storage (my.setStorageSync error 12) does not fail the login or the call; nothing is kept',
    async () => {
      const storage = miniStorage();
      const filler = alipayMy('filler', { storage });
      const fill = (size) => {
        let answer;
        for (let i = 0; !(answer && answer.error); i += 1) {
          answer = filler.setStorageSync({ key: `f${size}-${i}`, data: 'x'.repeat(size) });
        }
        return answer;
      };
      fill(200 * 1024 - 2);
      assert.deepEqual(fill(100), { error: 12, errorMessage: '存储总大小达到上限' }); // under 120 chars left
      const my = alipayMy(someone('full'), { storage });
      const client = loadDist(my).lib.createClient({ ...config, my });
      assert.equal(await client.db.get('x'), null);
      assert.equal(storage.entries.has(`fc-miniapp:session:${config.sessionUrl}`), false);
      client.close();
    });
});

describe('Node stores', () => {
  test('an asynchronous store (promises): the kept session is read before the first call, which is the only request',
    async () => {
      const { d, first } = await firstLaunch('node', APIS[0], { async: true });
      const again = d.launch();
      assert.equal(plain(await again.client.db.get('r')).n, 1);
      assert.deepEqual(again.kinds(), ['invoke']);
      assert.equal(again.client.userId, first.client.userId);
      again.client.close();
    });

  test('a store that keeps JSON text gets the value back as text and it is read as the session', async () => {
    const { d } = await firstLaunch('node', APIS[0]);
    const text = new Map([['k', JSON.stringify(d.kept())]]);
    const storage = {
      get: (k) => text.get(k) ?? null, set: (k, v) => { text.set(k, JSON.stringify(v)); }, remove: (k) => { text.delete(k); },
    };
    const client = createClient({ ...config, storage, storageKey: 'k' });
    assert.equal(plain(await client.db.get('r')).n, 1);
    client.close();
  });

  test('a store that throws costs only the keeping: the login and calls work', async () => {
    const failing = {
      get: () => { throw new Error('disk'); }, set: () => Promise.reject(new Error('disk')), remove: () => { throw new Error('disk'); },
    };
    const client = createClient({ ...config, storage: failing });
    await client.login(`${someone('fail')}:1`);
    assert.equal(await client.db.get('x'), null);
    assert.deepEqual(await client.logout(), { loggedOut: true });
  });

  test('a storage without get/set/remove is a TypeError at createClient', () => {
    assert.throws(() => createClient({ ...config, storage: { get() {} } }), (e) => e instanceof TypeError
      && /get\(key\), set\(key, value\) and remove\(key\)/.test(e.message));
  });
});
