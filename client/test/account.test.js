// A user's phone number and the deletion of their account end to end (contract "Users", issue 20), against
// local-cloud serving examples/guestbook/template.yml (its declared tables: todo_list private, guestbook
// creator-write, lists rules, …) with the real session, db and kit jars. Its `secret` app function runs the fixture
// test/fixtures/phone-function/PhoneOf.java instead (the kit's caller.phone(), answered in full), so the tests see
// what an app function reads. In Node and in the built dist in the ES2017 mini-program sandbox (my.request,
// my.getPhoneNumber, my.getStorageSync), FC 2.0 and FC 3.0. Staying signed in across launches is
// stay-signed-in.test.js's.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../src/index.js';
import { buildFixtureJar, repoRoot, startLocalCloud } from './local-cloud.js';
import { alipayMy, loadDist, miniStorage, plain } from './sandbox.js';

const APIS = ['2016-08-15', '2023-03-30'];
const EXAMPLE = join(repoRoot, 'examples', 'guestbook');
const EXAMPLE_JAR = join(EXAMPLE, 'target', 'guestbook-example.jar');
const FIXTURE = join(repoRoot, 'client', 'test', 'fixtures', 'phone-function', 'PhoneOf.java');
const MOBILE = '13812345678';

let cloud;
let config;
let admin;
let n = 0;
const someone = (name) => `${name}${Date.now()}x${++n}`;

/**
 * The guestbook template with absolute CodeUris (it is written elsewhere) and its `secret` function running the
 * fixture jar's PhoneOf: same service, role (GetRow on the users table) and environment.
 */
function template(fixtureJar) {
  const yml = readFileSync(join(EXAMPLE, 'template.yml'), 'utf8');
  const secret = yml.indexOf('\n    secret:\n');
  assert.ok(secret > 0, 'the guestbook template has a secret function');
  const head = yml.slice(0, secret);
  const tail = yml.slice(secret).replace('CodeUri: ./target/guestbook-example.jar', `CodeUri: '${fixtureJar}'`)
    .replaceAll('com.fcminiapp.examples.guestbook.SecretHandler', 'fixture.PhoneOf');
  return (head + tail).replaceAll('CodeUri: ../../', `CodeUri: ${repoRoot}/`)
    .replaceAll('CodeUri: ./target/', `CodeUri: ${EXAMPLE}/target/`);
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'account-'));
  const jar = buildFixtureJar({
    sources: [FIXTURE], classpath: EXAMPLE_JAR, dir, jarName: 'phone-of.jar', withClasspath: true,
  });
  writeFileSync(join(dir, 'template.yml'), template(jar));
  cloud = await startLocalCloud(join(dir, 'data'), ['--template', join(dir, 'template.yml'), '--search-lag-ms', '0']);
  const r = cloud.ready;
  config = {
    endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
    sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName, services: r.services,
  };
  admin = { adminUrl: r.adminUrl, adminToken: r.adminToken };
});
after(() => cloud?.stop());

async function adminCall(method, path, body) {
  const res = await fetch(`${admin.adminUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-local-cloud-token': admin.adminToken || '' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `${method} ${path}: ${text}`);
  return JSON.parse(text);
}

/** What my.getPhoneNumber hands the page of `user` sharing `mobile` (local-cloud signs and encrypts as Alipay). */
const phoneResponse = async (user, mobile) => (await adminCall('POST', '/_admin/alipay/phone-number',
  { user, mobile })).response;

/** The users table's row of `uid` as the console shows it (phone masked), or undefined. */
const usersRow = async (uid) => (await adminCall('GET', '/_admin/users')).usersTable.find((u) => u.uid === uid);

/** The session function answers `payload` (sent as a page or a script would, without the client). */
async function sessionCall(payload) {
  const res = await fetch(config.sessionUrl, { method: 'POST', body: JSON.stringify(payload) });
  return res.json();
}

/**
 * A store as a Node app injects it, JSON text in `entries` like the sandbox's storage, so both kinds keep the
 * session the same way and a test can keep a copy aside.
 */
function nodeStore(disk) {
  return {
    get: (k) => (disk.entries.has(k) ? JSON.parse(disk.entries.get(k)) : null),
    set: (k, v) => { disk.entries.set(k, JSON.stringify(v)); },
    remove: (k) => { disk.entries.delete(k); },
  };
}

/**
 * The app of the Alipay user `name` launched on a device whose storage is `disk`: `signIn()` logs in (Node: with
 * a code; the mini-program: login() with my.getAuthCode), `sessions()` lists the session actions sent, and
 * `share()` has the user share their number (Node: the response a page would post; the mini-program:
 * my.getPhoneNumber itself, after the user agreed when `agreed`).
 */
function launch(kind, api, name, disk = miniStorage()) {
  if (kind === 'node') {
    const sent = [];
    const request = async ({ url, method, headers, body }) => {
      if (url === config.sessionUrl) sent.push(JSON.parse(body).action);
      const res = await fetch(url, { method, headers, body });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    };
    const client = createClient({ ...config, api, request, storage: nodeStore(disk) });
    return {
      client, disk,
      signIn: () => client.login(`${name}:${++n}`),
      sessions: () => sent.slice(),
      share: async (response) => client.phone(response || await phoneResponse(name, MOBILE)),
    };
  }
  const my = alipayMy(name, { storage: disk, phone: { ...admin, mobile: MOBILE } });
  const client = loadDist(my).lib.createClient({ ...config, api, my });
  return {
    client, disk, my,
    signIn: () => client.login(),
    sessions: () => my.calls.filter((c) => c.url === config.sessionUrl).map((c) => JSON.parse(c.opts.data).action),
    share: (response) => client.phone(response),
  };
}

async function rejectsWith(promise, expected) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.code, expected, `${e.code}: ${e.message}`);
    return true;
  });
}

/** What the app function reads of the caller: `{uid, phone}` (the number in full, or null). */
const seenByApp = async (client) => plain(await client.call('secret'));

/** A response as Alipay would never sign it: one character of the encrypted content changed, the sign kept. */
function tampered(response) {
  const value = JSON.parse(response);
  const c = value.response;
  value.response = `${c.slice(0, 5)}${c[5] === 'A' ? 'B' : 'A'}${c.slice(6)}`;
  return JSON.stringify(value);
}

for (const [kind, label] of [['node', 'Node'], ['mini', 'the mini-program sandbox']]) {
  for (const api of APIS) {
    describe(`phone numbers in ${label}, FC ${api}`, () => {
      test('a verified number is answered masked; the app function reads it in full, the console masked',
        async () => {
          const name = someone('phone');
          const app = launch(kind, api, name);
          await app.signIn();
          assert.equal((await seenByApp(app.client)).phone, null);
          if (app.my) app.my.agree('phoneNumber');
          assert.equal(await app.share(), '138****5678');
          assert.deepEqual(app.sessions(), ['login', 'phone']);
          if (app.my) assert.equal(app.my.calls.filter((c) => c.api === 'getPhoneNumber').length, 1);
          assert.deepEqual(await seenByApp(app.client), { uid: app.client.userId, phone: MOBILE });
          assert.equal((await usersRow(app.client.userId)).phone, '138****5678');
          app.client.close();
        });

      test('a tampered response is INVALID_ARGUMENT: nothing stored, the number shared before kept, the session too',
        async () => {
          const name = someone('tamper');
          const app = launch(kind, api, name);
          await app.signIn();
          const forged = tampered(await phoneResponse(name, '13900001111'));
          await rejectsWith(app.client.phone(forged), 'INVALID_ARGUMENT');
          assert.equal((await seenByApp(app.client)).phone, null);
          assert.equal((await usersRow(app.client.userId)).phone, null);

          assert.equal(await app.client.phone(await phoneResponse(name, MOBILE)), '138****5678');
          await rejectsWith(app.client.phone(forged), 'INVALID_ARGUMENT');
          assert.equal((await seenByApp(app.client)).phone, MOBILE);
          assert.notEqual(app.client.sessionId, null);
          assert.equal(app.disk.entries.size, 1);
          app.client.close();
        });

      if (kind === 'mini') {
        test('before the user agreed on the getAuthorize button: INVALID_ARGUMENT, nothing stored', async () => {
          const app = launch(kind, api, someone('notyet'));
          await app.signIn();
          await rejectsWith(app.client.phone(), 'INVALID_ARGUMENT');
          assert.equal((await seenByApp(app.client)).phone, null);
          app.my.agree('phoneNumber');
          assert.equal(await app.client.phone(), '138****5678');
          assert.equal((await seenByApp(app.client)).phone, MOBILE);
          app.client.close();
        });
      }
    });
  }
}

/** Stores `text` at `path` (opts: `public`) through an upload policy, as my.uploadFile posts the form. */
async function putFile(client, path, text, opts = {}) {
  const policy = plain(await client.files.uploadPolicy(path, { contentType: 'text/plain', ...opts }));
  const form = new FormData();
  Object.entries(policy.fields).forEach(([k, v]) => form.append(k, v));
  form.append(policy.fileField, new Blob([text], { type: 'text/plain' }), 'f.txt');
  const res = await fetch(policy.url, { method: 'POST', body: form });
  assert.ok(res.status >= 200 && res.status < 300, `upload answered ${res.status}`);
}

/**
 * `app`'s user owns: two rows of the private default table, a guestbook post (shared, creator-write), a list
 * (shared, rules), a file in each folder and a phone number. Resolves to the ids of the shared rows.
 */
async function populate(app, tag) {
  const { client } = app;
  await client.db.put({ id: 'a', n: 1, tag });
  await client.db.put({ id: 'b', n: 2, tag });
  const post = plain(await client.db.collection('guestbook').add({ text: `post of ${tag}` })).id;
  const list = plain(await client.db.collection('lists').add({ name: `list of ${tag}`, members: [] })).id;
  await putFile(client, 'notes/private.txt', `private of ${tag}`);
  await putFile(client, 'pics/public.txt', `public of ${tag}`, { public: true });
  assert.equal(await client.phone(await phoneResponse(app.name, MOBILE)), '138****5678');
  return { post, list };
}

/** What `client`'s user owns, as that user and the console see it. */
async function owned(client, uid = client.userId) {
  const mine = { _owner: uid };
  return {
    rows: plain((await client.db.list()).items).map((r) => r.id),
    posts: await client.db.collection('guestbook').where(mine).count(),
    lists: await client.db.collection('lists').where(mine).count(),
    files: plain((await client.files.list()).items).map((f) => f.path),
    publicFiles: plain((await client.files.list({ public: true })).items).map((f) => f.path),
    phone: (await seenByApp(client)).phone,
  };
}

const NOTHING = { rows: [], posts: 0, lists: 0, files: [], publicFiles: [], phone: null };
const EVERYTHING = {
  rows: ['a', 'b'], posts: 1, lists: 1, files: ['notes/private.txt'], publicFiles: ['pics/public.txt'], phone: MOBILE,
};

for (const [kind, label] of [['node', 'Node'], ['mini', 'the mini-program sandbox']]) {
  for (const api of APIS) {
    describe(`deleteAccount in ${label}, FC ${api}`, () => {
      test('one request; every row, file, the number and the session are gone, the kept value removed; the old '
        + 'sessionId is UNAUTHENTICATED; the same Alipay user starts empty; another user is untouched', async () => {
        const name = someone('del');
        const app = Object.assign(launch(kind, api, name), { name });
        const otherName = someone('keep');
        const other = Object.assign(launch(kind, api, otherName), { name: otherName });
        await Promise.all([app.signIn(), other.signIn()]);
        await populate(app, 'gone');
        const kept = await populate(other, 'kept');
        assert.deepEqual(await owned(app.client), EVERYTHING);
        const uid = app.client.userId;
        const sid = app.client.sessionId;
        const aside = miniStorage();
        app.disk.entries.forEach((v, k) => aside.entries.set(k, v)); // the kept value, copied before the deletion
        const before = app.sessions().length;

        assert.equal(await app.client.deleteAccount(), true);
        assert.deepEqual(app.sessions().slice(before), ['deleteAccount']);
        assert.equal(app.client.sessionId, null);
        assert.equal(app.client.userId, null);
        assert.equal(app.disk.entries.size, 0);
        assert.equal(await usersRow(uid), undefined, 'the users row (phone, sessions) is gone');

        // the old session, kept aside: refused on refresh and on a db call (a copy of the storage relaunched)
        assert.equal((await sessionCall({ action: 'refresh', sessionId: sid })).error.code, 'UNAUTHENTICATED');
        const stale = launch(kind, api, name, aside);
        assert.equal(stale.client.sessionId, sid);
        await rejectsWith(stale.client.db.get('a'), 'UNAUTHENTICATED');
        assert.equal(aside.entries.size, 0, 'the refused kept value is dropped');
        stale.client.close();

        // the same Alipay user logs in again: a new session of the same uid, owning nothing
        const again = launch(kind, api, name);
        await again.signIn();
        assert.equal(again.client.userId, uid);
        assert.notEqual(again.client.sessionId, sid);
        assert.deepEqual(await owned(again.client), NOTHING);
        assert.equal((await again.client.db.collection('guestbook').doc(kept.post).get()).data.text, 'post of kept');

        // the other user: every row, file and the number as they were
        assert.deepEqual(await owned(other.client), EVERYTHING);
        assert.equal(plain(await other.client.db.get('a')).tag, 'kept');
        assert.equal((await other.client.db.collection('lists').doc(kept.list).get()).data.name, 'list of kept');
        [app, other, again].forEach((a) => a.client.close());
      });
    });
  }
}
