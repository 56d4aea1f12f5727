// FC 3.0 against Alibaba's own OpenAPI SDK (@alicloud/fc20230330 on @alicloud/openapi-core), the reference as
// @alicloud/fc2 2.6.6 is for FC 2.0: the client's InvokeFunction request equals the SDK's header for header and
// signature for signature, and local-cloud's FC 3.0 API takes the SDK's requests and refuses them as FC 3.0 does.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { Readable } from 'node:stream';
import FC3 from '@alicloud/fc20230330';
import * as OpenApi from '@alicloud/openapi-core';
import { createClient, signFc3Invoke } from '../src/index.js';
import { startForClients } from './local-cloud.js';

const Fc3Client = FC3.default || FC3;
const { InvokeFunctionRequest } = FC3;

/**
 * Headers the transport owns, none of them signed: Node's http for the SDK; for the client fetch (undici adds
 * accept-encoding, accept-language and sec-fetch-mode) or my.request.
 */
const TRANSPORT = ['host', 'user-agent', 'connection', 'transfer-encoding', 'content-length', 'accept-encoding',
  'accept-language', 'sec-fetch-mode'];

let cloud;
let config;
let n = 0;
const code = (name) => `${name}:${Date.now()}-${++n}`;

before(async () => { ({ cloud, config } = await startForClients()); });
after(() => cloud?.stop());

/** The SDK's client for an endpoint `host:port` over http with the key `sts`. */
function sdk(endpoint, sts) {
  return new Fc3Client(new OpenApi.$OpenApiUtil.Config({
    accessKeyId: sts.AccessKeyId,
    accessKeySecret: sts.AccessKeySecret,
    securityToken: sts.SecurityToken,
    endpoint,
    protocol: 'http',
    regionId: config.region,
  }));
}

const invokeWith = (client, fn, body) => client.invokeFunction(fn,
  new InvokeFunctionRequest({ body: Readable.from([Buffer.from(body, 'utf8')]) }));

/** A loopback server that records each request (lower-cased headers, body) and answers `{"data": null}`. */
async function captureServer() {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const headers = {};
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers[req.rawHeaders[i].toLowerCase()] = req.rawHeaders[i + 1];
      seen.push({ method: req.method, url: req.url, headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json', 'x-fc-request-id': `r${seen.length}` });
      res.end('{"data":null}');
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  return { seen, host: `127.0.0.1:${server.address().port}`, close: () => new Promise((res) => server.close(res)) };
}

const signed = (h) => h.authorization.replace(/^.*SignedHeaders=([^,]+),.*$/, '$1').split(';');
const withoutTransport = (h) => Object.keys(h).filter((k) => !TRANSPORT.includes(k)).sort();

describe('the client\'s FC 3.0 InvokeFunction request', () => {
  test('equals the SDK\'s for the same key, body, time and nonce, header for header and signature for signature',
    async () => {
      const capture = await captureServer();
      try {
        const sts = { AccessKeyId: 'STS.NUx2ZjpcQ', AccessKeySecret: 's3cr3t/+=', SecurityToken: 'CAIS/tok+en==' };
        for (const body of ['{"sid":"x","op":"get","id":"a"}', '{"op":"put","obj":{"t":"牛奶 ☕"}}', '',
          JSON.stringify({ op: 'put', obj: { id: 'big', s: 'x'.repeat(100000) } })]) {
          await invokeWith(sdk(capture.host, sts), 'db', body);
          const theirs = capture.seen.at(-1);
          assert.equal(theirs.body, body);
          const url = `http://${capture.host}${theirs.url}`;
          const ours = signFc3Invoke(url, body, sts, new Date(Date.parse(theirs.headers['x-acs-date'])),
            theirs.headers['x-acs-signature-nonce']);
          assert.deepEqual(withoutTransport(ours), withoutTransport(theirs.headers));
          for (const name of withoutTransport(theirs.headers)) {
            assert.equal(ours[name], theirs.headers[name], `${name} for a body of ${body.length} chars`);
          }
          assert.deepEqual(signed(ours), signed(theirs.headers));
        }
      } finally {
        await capture.close();
      }
    });

  test('the client sends what the SDK sends for the same event, on the same path, signed at the same moment',
    async () => {
      const capture = await captureServer();
      try {
        // the login goes to local-cloud (sessionUrl), the invocation to the capture server (endpoint)
        const client = createClient({ ...config, api: '2023-03-30', endpoint: `http://${capture.host}` });
        await client.login(code('fc3b'));
        await client.db.get('x');
        const ours = capture.seen.at(-1);
        await invokeWith(sdk(capture.host, client.credentials), config.dbFunctionName, ours.body);
        const theirs = capture.seen.at(-1);
        assert.equal(ours.url, theirs.url);
        assert.equal(ours.method, 'POST');
        assert.deepEqual(withoutTransport(ours.headers), withoutTransport(theirs.headers));
        for (const name of withoutTransport(theirs.headers)) {
          if (!['x-acs-date', 'x-acs-signature-nonce', 'authorization'].includes(name)) {
            assert.equal(ours.headers[name], theirs.headers[name], name);
          }
        }
        // only the moment and the nonce differ: signed with the SDK's, the client's request is the SDK's
        const again = signFc3Invoke(`http://${capture.host}${ours.url}`, ours.body, client.credentials,
          new Date(Date.parse(theirs.headers['x-acs-date'])), theirs.headers['x-acs-signature-nonce']);
        assert.equal(again.authorization, theirs.headers.authorization);
        client.close();
      } finally {
        await capture.close();
      }
    });
});

describe('local-cloud\'s FC 3.0 invoke API and the SDK', () => {
  const host = () => config.endpoint.replace(/^https?:\/\//, '');
  const text = async (stream) => {
    const chunks = [];
    for await (const c of stream) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks).toString('utf8');
  };

  test('a user\'s STS key invokes the db function through the SDK; the row reads back through the client',
    async () => {
      const client = createClient({ ...config, api: '2023-03-30' });
      await client.login(code('fc3c'));
      const res = await invokeWith(sdk(host(), client.credentials), config.dbFunctionName,
        JSON.stringify({ sid: client.sessionId, op: 'put', obj: { id: 'from-sdk', n: 7 } }));
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['x-fc-request-id'], /\S/);
      assert.deepEqual(JSON.parse(await text(res.body)), { data: { id: 'from-sdk', _version: 1 } });
      assert.equal((await client.db.get('from-sdk')).n, 7);
      client.close();
    });

  /** Resolves to the SDK's error for an invocation that must be refused. */
  async function refusal(promise) {
    try {
      await promise;
    } catch (e) {
      return e;
    }
    throw new Error('the invocation was not refused');
  }

  test('a wrong secret is SignatureNotMatch 403, an unknown key InvalidAccessKeyID 403, in FC 3.0\'s error shape',
    async () => {
      const client = createClient({ ...config, api: '2023-03-30' });
      await client.login(code('fc3d'));
      const sts = client.credentials;
      const wrong = await refusal(invokeWith(sdk(host(), { ...sts, AccessKeySecret: `${sts.AccessKeySecret}x` }),
        config.dbFunctionName, '{}'));
      assert.equal(wrong.code, 'SignatureNotMatch');
      assert.equal(wrong.statusCode, 403);
      assert.deepEqual(Object.keys(wrong.data).sort(), ['Code', 'Message', 'RequestId']);
      assert.match(wrong.data.RequestId, /\S/);
      const unknown = await refusal(invokeWith(sdk(host(), { ...sts, AccessKeyId: 'STS.unknown' }),
        config.dbFunctionName, '{}'));
      assert.equal(unknown.code, 'InvalidAccessKeyID');
      assert.equal(unknown.statusCode, 403);
      client.close();
    });

  test('a user\'s key may not invoke the session function: AccessDenied 403 naming the FC 3.0 ARN', async () => {
    const client = createClient({ ...config, api: '2023-03-30' });
    await client.login(code('fc3e'));
    const denied = await refusal(invokeWith(sdk(host(), client.credentials), cloud.ready.sessionFunctionName, '{}'));
    assert.equal(denied.code, 'AccessDenied');
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.data.Code, 'AccessDenied');
    assert.match(denied.data.Message, new RegExp(`:functions/${cloud.ready.sessionFunctionName}'`));
    client.close();
  });
});
