// client.phone() and client.deleteAccount() on the wire (contract "Users"): each sends exactly one session-function
// request of the shape asserted here and maps its answer as the session calls do, in the Node module and in the
// built dist through my.request (my.getPhoneNumber from the sandbox my, which asks the admin endpoint as it asks
// local-cloud's). A loopback server plays the session function and local-cloud's admin endpoint, answering what
// the test queues.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createClient } from '../src/index.js';
import { alipayMy, loadDist, miniStorage, plain } from './sandbox.js';

const STS = { AccessKeyId: 'STS.acc', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2999-01-01T00:00:00Z' };
const SID = 'accountRequestsSessionIdOf43CharsBase64url_';
const RESPONSE = JSON.stringify({ response: 'c2lnbmVk', sign: 'c2ln', sign_type: 'RSA2', encrypt_type: 'AES', charset: 'UTF-8' });
const ADMIN_TOKEN = 'admin-token-for-the-test';
let server;
let base;
const seen = []; // every session request's body
const admin = []; // every admin request: {token, body}
const answers = []; // [status, body] for the next non-login session request

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
      res.setHeader('content-type', 'application/json');
      if (req.url === '/_admin/alipay/phone-number') {
        admin.push({ token: req.headers['x-local-cloud-token'], body });
        res.end(JSON.stringify({ response: RESPONSE }));
        return;
      }
      seen.push(body);
      if (body.action === 'login') {
        res.end(JSON.stringify({ sessionId: SID, userId: 'u1', expiresAt: STS.Expiration, sts: STS }));
        return;
      }
      const [status, answer] = answers.shift() || [500, { error: { code: 'INTERNAL', message: 'nothing queued' } }];
      res.statusCode = status;
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((res) => server.close(res)));

const config = () => ({
  endpoint: base, sessionUrl: `${base}/session`, accountId: '1234567890123456', region: 'cn-hangzhou',
  serviceName: 'fc-miniapp', dbFunctionName: 'db',
});
const KEY = () => `fc-miniapp:session:${base}/session`;

/** A Node store over `disk` (JSON text, as the sandbox's storage keeps it). */
const nodeStorage = (disk) => ({
  get: (k) => (disk.entries.has(k) ? JSON.parse(disk.entries.get(k)) : null),
  set: (k, v) => { disk.entries.set(k, JSON.stringify(v)); },
  remove: (k) => { disk.entries.delete(k); },
});

/** A client launched over `disk` (the dist: with a sandbox my for the user `pat`), not signed in by the test. */
function launch(dist, disk, mobile = '13812345678') {
  if (!dist) return { client: createClient({ ...config(), storage: nodeStorage(disk) }) };
  const my = alipayMy('pat', { storage: disk, phone: { adminUrl: base, adminToken: ADMIN_TOKEN, mobile } });
  return { client: loadDist(my).lib.createClient({ ...config(), my }), my };
}

/** A signed-in client over `disk`. */
async function signedIn(dist, { mobile, disk = miniStorage() } = {}) {
  const { client, my } = launch(dist, disk, mobile);
  await client.login(dist ? undefined : 'pat:1');
  return { client, my, disk };
}

/** The session requests `action` sent, after the login. */
async function sends(action) {
  const before = seen.length;
  const result = await action();
  return { sent: seen.slice(before), result };
}

async function rejectsWith(promise, expected, pattern) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, 'MiniappError', `expected a MiniappError, got ${e && e.stack}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

async function rejectsTypeError(promise, pattern) {
  await assert.rejects(promise, (e) => e.name === 'TypeError' && pattern.test(e.message));
}

const KINDS = [['the Node module', false], ['the dist through my.request', true]];

for (const [kind, dist] of KINDS) {
  describe(`${kind}: phone`, () => {
    test('phone(response) sends {action: "phone", sessionId, response} once and resolves with the masked number',
      async () => {
        const { client } = await signedIn(dist);
        answers.push([200, { phone: '138****5678' }]);
        const { sent, result } = await sends(() => client.phone(RESPONSE));
        assert.deepEqual(plain(sent), [{ action: 'phone', sessionId: SID, response: RESPONSE }]);
        assert.equal(result, '138****5678');
        client.close();
      });

    test('a refused response (INVALID_ARGUMENT) rejects with it and keeps the session', async () => {
      const { client, disk } = await signedIn(dist);
      answers.push([400, { error: { code: 'INVALID_ARGUMENT', message: 'the signature does not verify' } }]);
      await rejectsWith(client.phone(RESPONSE), 'INVALID_ARGUMENT', /signature/);
      assert.equal(client.sessionId, SID);
      assert.equal(JSON.parse(disk.entries.get(KEY())).sessionId, SID);
      client.close();
    });

    test('an ended session (UNAUTHENTICATED) rejects with it once and removes the kept session', async () => {
      const { client, disk } = await signedIn(dist);
      answers.push([401, { error: { code: 'UNAUTHENTICATED', message: 'Log in again.' } }]);
      await rejectsWith(client.phone(RESPONSE), 'UNAUTHENTICATED');
      assert.equal(client.sessionId, null);
      assert.equal(disk.entries.has(KEY()), false);
    });

    test('a response that is no non-empty string is a TypeError and sends nothing', async () => {
      const { client } = await signedIn(dist);
      const before = seen.length;
      await rejectsTypeError(client.phone(42), /non-empty string my.getPhoneNumber gave/);
      await rejectsTypeError(client.phone(''), /non-empty string my.getPhoneNumber gave/);
      assert.equal(seen.length, before);
      client.close();
    });
  });

  describe(`${kind}: deleteAccount`, () => {
    test('sends {action: "deleteAccount", sessionId} once, resolves true, forgets the session here and kept',
      async () => {
        const { client, disk } = await signedIn(dist);
        answers.push([200, { deleted: true }]);
        const { sent, result } = await sends(() => client.deleteAccount());
        assert.deepEqual(plain(sent), [{ action: 'deleteAccount', sessionId: SID }]);
        assert.equal(result, true);
        assert.equal(client.sessionId, null);
        assert.equal(disk.entries.has(KEY()), false);
        // no login by itself after the account is gone, until login()
        const before = seen.length;
        await rejectsWith(client.db.get('x'), 'UNAUTHENTICATED', /Log in first/);
        assert.equal(seen.length, before);
      });

    test('a failure (UPSTREAM_UNAVAILABLE) keeps the session, so the retry, even after a relaunch, resumes it',
      async () => {
        const disk = miniStorage();
        const { client } = await signedIn(dist, { disk });
        answers.push([503, { error: { code: 'UPSTREAM_UNAVAILABLE', message: 'Tablestore failed; retry.' } }]);
        await rejectsWith(client.deleteAccount(), 'UPSTREAM_UNAVAILABLE');
        assert.equal(JSON.parse(disk.entries.get(KEY())).sessionId, SID);
        client.close();
        const again = launch(dist, disk).client;
        answers.push([200, { deleted: true }]);
        const { sent, result } = await sends(() => again.deleteAccount());
        assert.deepEqual(plain(sent), [{ action: 'deleteAccount', sessionId: SID }]);
        assert.equal(result, true);
        assert.equal(disk.entries.has(KEY()), false);
      });

    test('kept keys past their expiry are not refreshed first: the deletion needs the sessionId alone', async () => {
      const disk = miniStorage();
      const { client } = await signedIn(dist, { disk });
      client.close();
      const value = JSON.parse(disk.entries.get(KEY()));
      value.sts.Expiration = new Date(Date.now() - 60000).toISOString();
      disk.entries.set(KEY(), JSON.stringify(value));
      const again = launch(dist, disk).client;
      answers.push([200, { deleted: true }]);
      const { sent } = await sends(() => again.deleteAccount());
      assert.deepEqual(plain(sent), [{ action: 'deleteAccount', sessionId: SID }]);
      assert.equal(disk.entries.has(KEY()), false);
    });

    test('an ended session (UNAUTHENTICATED) rejects once and removes the kept session', async () => {
      const { client, disk } = await signedIn(dist);
      answers.push([401, { error: { code: 'UNAUTHENTICATED', message: 'Log in again.' } }]);
      await rejectsWith(client.deleteAccount(), 'UNAUTHENTICATED');
      assert.equal(disk.entries.has(KEY()), false);
    });
  });
}

describe('phone() in the mini-program: my.getPhoneNumber, then the session function', () => {
  test('phone() with no argument sends what my.getPhoneNumber handed the page after the user agreed', async () => {
    const { client, my } = await signedIn(true, { mobile: '13900001111' });
    my.agree('phoneNumber');
    answers.push([200, { phone: '139****1111' }]);
    const { sent, result } = await sends(() => client.phone());
    assert.equal(result, '139****1111');
    assert.deepEqual(plain(sent), [{ action: 'phone', sessionId: SID, response: RESPONSE }]);
    assert.deepEqual(admin.at(-1), { token: ADMIN_TOKEN, body: { user: 'pat', mobile: '13900001111' } });
    assert.deepEqual(my.calls.map((c) => c.api), ['getAuthCode', 'request', 'getPhoneNumber', 'request']);
    client.close();
  });

  test('before the user agreed my.getPhoneNumber still answers, with content the server refuses', async () => {
    const { client, my } = await signedIn(true);
    const admins = admin.length;
    answers.push([400, { error: { code: 'INVALID_ARGUMENT', message: 'the signature does not verify' } }]);
    await rejectsWith(client.phone(), 'INVALID_ARGUMENT');
    assert.equal(admin.length, admins); // no number was signed for it
    const sent = JSON.parse(my.calls.at(-1).opts.data);
    assert.deepEqual(Object.keys(JSON.parse(sent.response)).sort(),
      ['charset', 'encrypt_type', 'response', 'sign', 'sign_type']);
    client.close();
  });

  test('my.getPhoneNumber failing is PERMISSION_DENIED naming the button and the product; nothing is sent',
    async () => {
      const { client, my } = await signedIn(true);
      my.getPhoneNumber = (opts) => setImmediate(() => opts.fail({ error: 11, errorMessage: '用户取消' }));
      const before = seen.length;
      await rejectsWith(client.phone(), 'PERMISSION_DENIED', /open-type="getAuthorize" scope="phoneNumber".*获取会员手机号/);
      my.getPhoneNumber = (opts) => setImmediate(() => opts.success({}));
      await rejectsWith(client.phone(), 'PERMISSION_DENIED');
      assert.equal(seen.length, before);
      client.close();
    });

  test('in Node phone() needs the response string (a TypeError, nothing sent)', async () => {
    const { client } = await signedIn(false);
    const before = seen.length;
    await rejectsTypeError(client.phone(), /needs the response string my.getPhoneNumber gave/);
    assert.equal(seen.length, before);
    client.close();
  });
});
