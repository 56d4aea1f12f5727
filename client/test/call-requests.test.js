// client.call's request on the wire against Alibaba's own SDKs, as sign.test.js and fc3-sdk.test.js do for db:
// FC 2.0 byte for byte what @alicloud/fc2 2.6.6 invokeFunction(service, name, body) sends (the Node module and the
// dist through my.request), FC 3.0 what @alicloud/fc20230330 invokeFunction(name, {body}) sends. A loopback server
// plays the session function (a fixed STS key) and records every invocation.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import FC from '@alicloud/fc2';
import FC3 from '@alicloud/fc20230330';
import * as OpenApi from '@alicloud/openapi-core';
import { createClient, signFc3Invoke } from '../src/index.js';
import { alipayMy, loadDist } from './sandbox.js';

const Fc3Client = FC3.default || FC3;
const { InvokeFunctionRequest } = FC3;

const ACCOUNT = '1234567890123456';
const REGION = 'cn-hangzhou';
const STS = { AccessKeyId: 'STS.NUcaLL3x', AccessKeySecret: 'c2Vj/cmV0+=', SecurityToken: 'CAIS+call/tok==',
  Expiration: '2999-01-01T00:00:00Z' };
const SID = 'q3JxSessionIdOf43CharactersBase64url_-abcde';
// the headers the transport owns, none of them signed: Node's http for the SDKs, fetch (undici) or my.request
const TRANSPORT = ['host', 'user-agent', 'connection', 'transfer-encoding', 'content-length', 'accept-encoding',
  'accept-language', 'sec-fetch-mode'];
const INPUTS = [['an object', { q: 'milk', n: 1 }], ['unicode', { t: '牛奶 ☕ 😀 \u2028' }], ['null (undefined)', undefined],
  ['a string', 's'], ['100 KB', { blob: 'x'.repeat(100 * 1024) }]];

let server;
let host;
const seen = [];
const sessionCalls = [];
// FC refusals the server answers to the next invocations, one each: {status, body, date}
const refusals = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      // no Date header: the client then signs at exactly the time it is given (`now`), as the SDK signed
      res.sendDate = false;
      if (req.url === '/session') {
        sessionCalls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).action);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sessionId: SID, userId: 'u1', expiresAt: STS.Expiration, sts: STS }));
        return;
      }
      seen.push({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks).toString('utf8') });
      const refusal = refusals.shift();
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json', ...(refusal.date ? { date: refusal.date } : {}) });
        res.end(JSON.stringify(refusal.body));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-fc-request-id': `r${seen.length}` });
      res.end('{"data":"ok"}');
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  host = `127.0.0.1:${server.address().port}`;
});
after(() => new Promise((res) => server.close(res)));

const withoutTransport = (h) => Object.fromEntries(Object.entries(h).filter(([k]) => !TRANSPORT.includes(k)));

/** A client (Node module, or the dist in the sandbox with `my`) logged in at the loopback server, signing at `at`. */
async function loggedIn({ api, at, services, dist = false }) {
  const config = { endpoint: `http://${host}`, sessionUrl: `http://${host}/session`, accountId: ACCOUNT,
    region: REGION, serviceName: 'fc-miniapp', dbFunctionName: 'db', api, services, now: () => at };
  const my = alipayMy();
  const client = dist ? loadDist(my).lib.createClient({ ...config, my }) : createClient(config);
  await client.login('any:1');
  return client;
}

/** What @alicloud/fc2 sends for invokeFunction(service, name, body), and the moment it signed it. */
async function fc2Sends(service, name, body) {
  const fc = new FC(ACCOUNT, { accessKeyID: STS.AccessKeyId, accessKeySecret: STS.AccessKeySecret,
    securityToken: STS.SecurityToken, region: REGION, endpoint: `http://${host}`, timeout: 5000 });
  await fc.invokeFunction(service, name, body);
  const theirs = seen.at(-1);
  return { theirs, at: Date.parse(theirs.headers.date) };
}

describe('FC 2.0: call(name, input) is what @alicloud/fc2 invokeFunction(service, name, body) sends', () => {
  for (const dist of [false, true]) {
    for (const [label, input] of INPUTS) {
      test(`${dist ? 'the dist through my.request' : 'the Node module'}: services[name], input ${label}`, async () => {
        const body = JSON.stringify({ sid: SID, input: input === undefined ? null : input });
        const { theirs, at } = await fc2Sends('fc-miniapp-echo', 'echo', body);
        const client = await loggedIn({ at, services: { echo: 'fc-miniapp-echo' }, dist });
        assert.equal(await client.call('echo', input), 'ok');
        const ours = seen.at(-1);
        assert.equal(ours.method, theirs.method);
        assert.equal(ours.url, '/2016-08-15/services/fc-miniapp-echo/functions/echo/invocations');
        assert.equal(ours.url, theirs.url);
        assert.equal(ours.body, theirs.body, 'the event is {"sid", "input"}, byte for byte');
        assert.deepEqual(withoutTransport(ours.headers), withoutTransport(theirs.headers), 'headers and signature');
        client.close();
      });
    }
  }

  test('a function with no services entry goes to serviceName, as invokeFunction(serviceName, name) sends it; '
    + 'a name like Object.prototype\'s constructor too', async () => {
    for (const name of ['hello', 'constructor', '__proto__', 'hasOwnProperty']) {
      const body = JSON.stringify({ sid: SID, input: [1] });
      const { theirs, at } = await fc2Sends('fc-miniapp', name, body);
      const client = await loggedIn({ at, services: { echo: 'fc-miniapp-echo' } });
      await client.call(name, [1]);
      const ours = seen.at(-1);
      assert.equal(ours.url, `/2016-08-15/services/fc-miniapp/functions/${name}/invocations`);
      assert.deepEqual(withoutTransport(ours.headers), withoutTransport(theirs.headers), name);
      client.close();
    }
  });
});

describe('FC 3.0: call(name, input) is what @alicloud/fc20230330 invokeFunction(name, {body}) sends', () => {
  const sdk = () => new Fc3Client(new OpenApi.$OpenApiUtil.Config({
    accessKeyId: STS.AccessKeyId, accessKeySecret: STS.AccessKeySecret, securityToken: STS.SecurityToken,
    endpoint: host, protocol: 'http', regionId: REGION,
  }));

  for (const [label, input] of INPUTS) {
    test(`input ${label}: path, body and every header; the signature is the SDK's for the SDK's nonce`, async () => {
      const body = JSON.stringify({ sid: SID, input: input === undefined ? null : input });
      await sdk().invokeFunction('echo', new InvokeFunctionRequest({ body: Readable.from([Buffer.from(body)]) }));
      const theirs = seen.at(-1);
      const at = Date.parse(theirs.headers['x-acs-date']);
      // services name FC 2.0 services only: FC 3.0 invokes the function by its name whatever they say
      const client = await loggedIn({ api: '2023-03-30', at, services: { echo: 'fc-miniapp-echo' } });
      assert.equal(await client.call('echo', input), 'ok');
      const ours = seen.at(-1);
      assert.equal(ours.url, '/2023-03-30/functions/echo/invocations');
      assert.equal(ours.url, theirs.url);
      assert.equal(ours.body, theirs.body);
      const nonce = ['x-acs-signature-nonce', 'authorization'];
      const rest = (h) => Object.fromEntries(Object.entries(withoutTransport(h)).filter(([k]) => !nonce.includes(k)));
      assert.deepEqual(rest(ours.headers), rest(theirs.headers));
      // only the nonce (random per request) differs: with the SDK's, the client's signature is the SDK's
      const url = `http://${host}${ours.url}`;
      assert.equal(signFc3Invoke(url, ours.body, STS, new Date(at), theirs.headers['x-acs-signature-nonce'])
        .authorization, theirs.headers.authorization);
      assert.equal(signFc3Invoke(url, ours.body, STS, new Date(at), ours.headers['x-acs-signature-nonce'])
        .authorization, ours.headers.authorization);
      client.close();
    });
  }
});

describe('call shares the db calls\' resends (one invocation path)', () => {
  test('keys FC refuses (InvalidSecurityToken) are refreshed and the call sent once more, with the new sid', async () => {
    const client = await loggedIn({ api: '2016-08-15', at: Date.now(), services: { echo: 'fc-miniapp-echo' } });
    const [sessions, invocations] = [sessionCalls.length, seen.length];
    refusals.push({ status: 403, body: { ErrorCode: 'InvalidSecurityToken', ErrorMessage: 'expired' } });
    assert.equal(await client.call('echo', { once: 1 }), 'ok');
    assert.deepEqual(sessionCalls.slice(sessions), ['refresh']);
    assert.deepEqual(seen.slice(invocations).map((r) => [r.url, r.body]), Array(2).fill(
      ['/2016-08-15/services/fc-miniapp-echo/functions/echo/invocations', JSON.stringify({ sid: SID, input: { once: 1 } })]));
    client.close();
  });

  test('a RequestTimeTooSkewed whose Date corrects the clock is sent once more at the server\'s time', async () => {
    const client = await loggedIn({ api: '2023-03-30', at: Date.now() - 3 * 3600 * 1000 });
    const invocations = seen.length;
    const serverTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    refusals.push({ status: 403, date: serverTime.toUTCString(),
      body: { Code: 'RequestTimeTooSkewed', Message: 'skewed', RequestId: 'r' } });
    assert.equal(await client.call('echo'), 'ok');
    const [first, second] = seen.slice(invocations);
    assert.ok(Date.parse(first.headers['x-acs-date']) < serverTime.getTime() - 3600 * 1000, 'first at the device time');
    assert.ok(Math.abs(Date.parse(second.headers['x-acs-date']) - serverTime.getTime()) <= 1000, 'then at the server\'s');
    assert.equal(seen.length - invocations, 2);
    client.close();
  });

  test('a refusal no resend can fix (AccessDenied) is sent once and is PERMISSION_DENIED naming the function', async () => {
    const client = await loggedIn({ api: '2016-08-15', at: Date.now() });
    const [sessions, invocations] = [sessionCalls.length, seen.length];
    refusals.push({ status: 403, body: { ErrorCode: 'AccessDenied', ErrorMessage: 'denied' } });
    await assert.rejects(client.call('secret', 1), (e) => e.code === 'PERMISSION_DENIED'
      && /may not call the function 'secret'/.test(e.message) && e.cause.code === 'AccessDenied');
    assert.deepEqual([sessionCalls.length - sessions, seen.length - invocations], [0, 1]);
    client.close();
  });
});
