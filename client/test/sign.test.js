// The client's request signing against the references: @alicloud/fc2 2.6.6's own request for FC 2.0, an
// independent Node-crypto computation for FC 3.0's ACS3-HMAC-SHA256; and the build's refusal of Node built-ins.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import FC from '@alicloud/fc2';
import { signFc2Invoke, signFc3Invoke } from '../src/index.js';
import { bundle } from '../scripts/build.mjs';
import { loadDist } from './sandbox.js';

const sts = { AccessKeyId: 'STS.NUk3mZ', AccessKeySecret: 'c2VjcmV0+/=', SecurityToken: 'CAIS+token/with=chars' };
// headers fc2 sends that are the transport's (my.request sets them itself) and are not signed
const TRANSPORT = new Set(['host', 'content-length', 'user-agent', 'connection']);

/** The request @alicloud/fc2 2.6.6 really sends for invokeFunction(service, fn, body), captured on loopback. */
async function fc2Request(service, fn, body) {
  let seen;
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (d) => { data += d; });
    req.on('end', () => {
      seen = { path: req.url, headers: req.headers, body: data };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":null}');
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  try {
    const fc = new FC('1234567890', {
      accessKeyID: sts.AccessKeyId, accessKeySecret: sts.AccessKeySecret, securityToken: sts.SecurityToken,
      region: 'cn-hangzhou', endpoint: `http://127.0.0.1:${server.address().port}`, timeout: 5000,
    });
    await fc.invokeFunction(service, fn, body);
    return seen;
  } finally {
    server.close();
  }
}

const signed = (headers) => Object.fromEntries(Object.entries(headers).filter(([k]) => !TRANSPORT.has(k)));

describe('FC 2.0 invocation (2016-08-15)', () => {
  // the client always sends a JSON event, never an empty body
  for (const body of ['{"op":"get","id":"a","sid":"s"}', '{"obj":{"title":"牛奶 ☕ \\u0000 é 😀"}}',
    JSON.stringify({ obj: { text: 'x'.repeat(100000) } })]) {
    test(`headers and signature equal fc2's own request, header for header (body ${JSON.stringify(body).slice(0, 24)})`,
      async () => {
        const sent = await fc2Request('fc-miniapp', 'db', body);
        const ours = signFc2Invoke({
          path: sent.path, body, accountId: '1234567890', sts, date: new Date(sent.headers.date),
        });
        assert.deepEqual(ours, signed(sent.headers));
        assert.equal(sent.path, '/2016-08-15/services/fc-miniapp/functions/db/invocations');
      });
  }

  test('the dist build signs exactly as the source does', async () => {
    const sent = await fc2Request('svc', 'fn', '{"x":1}');
    const { lib } = loadDist({});
    const args = { path: sent.path, body: '{"x":1}', accountId: '1234567890', sts, date: new Date(sent.headers.date) };
    assert.deepEqual({ ...lib.signFc2Invoke(args) }, signed(sent.headers));
  });

  test('a changed body or secret changes the signature', () => {
    const base = { path: '/2016-08-15/services/s/functions/f/invocations', body: '{}', accountId: '1', sts,
      date: new Date(0) };
    const sig = signFc2Invoke(base).authorization;
    assert.notEqual(signFc2Invoke({ ...base, body: '{ }' }).authorization, sig);
    assert.notEqual(signFc2Invoke({ ...base, sts: { ...sts, AccessKeySecret: 'other' } }).authorization, sig);
  });
});

describe('FC 3.0 invocation (2023-03-30)', () => {
  /** ACS3-HMAC-SHA256 computed independently with Node crypto and URL from the headers the client chose. */
  function expected(url, body, headers) {
    const u = new URL(url);
    // signed: host, content-type and every x-acs-* header (accept goes unsigned, as the SDK sends it)
    const all = { host: u.host };
    for (const [k, v] of Object.entries(headers)) if (k === 'content-type' || k.startsWith('x-acs-')) all[k] = v;
    const names = Object.keys(all).sort();
    const query = [...u.searchParams.entries()].sort().map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
      .join('&');
    const hash = createHash('sha256').update(body, 'utf8').digest('hex');
    const canonical = `POST\n${u.pathname}\n${query}\n${names.map((n) => `${n}:${all[n]}\n`).join('')}\n`
      + `${names.join(';')}\n${hash}`;
    const sig = createHmac('sha256', sts.AccessKeySecret)
      .update(`ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`).digest('hex');
    return `ACS3-HMAC-SHA256 Credential=${sts.AccessKeyId},SignedHeaders=${names.join(';')},Signature=${sig}`;
  }

  for (const url of ['http://127.0.0.1:9000/2023-03-30/functions/db/invocations',
    'https://123.cn-hangzhou.fc.aliyuncs.com/2023-03-30/functions/db/invocations?qualifier=LATEST']) {
    test(`the signature equals an independent computation (${url.slice(0, 30)}…)`, () => {
      const body = '{"op":"put","obj":{"t":"牛奶"}}';
      const date = new Date(Date.UTC(2026, 10, 25, 21, 0, 0, 123));
      const headers = signFc3Invoke(url, body, sts, date);
      assert.equal(headers['x-acs-date'], '2026-11-25T21:00:00Z');
      assert.equal(headers['x-acs-content-sha256'], createHash('sha256').update(body).digest('hex'));
      assert.equal(headers['x-acs-security-token'], sts.SecurityToken);
      assert.equal(headers.authorization, expected(url, body, headers));
    });
  }

  test('two requests in the same millisecond get different nonces, each 64 hex digits like the SDK\'s', () => {
    const date = new Date(0);
    const a = signFc3Invoke('http://h/p', '', sts, date)['x-acs-signature-nonce'];
    const b = signFc3Invoke('http://h/p', '', sts, date)['x-acs-signature-nonce'];
    assert.notEqual(a, b);
    assert.match(a, /^[0-9a-f]{64}$/);
  });
});

describe('the mini-program build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'build-check-'));
  for (const spec of ['crypto', 'node:crypto', 'fs/promises', 'buffer']) {
    test(`fails when the source reaches the Node built-in '${spec}'`, async () => {
      const entry = join(dir, `${spec.replace(/\W/g, '_')}.js`);
      writeFileSync(entry, `import * as m from '${spec}';\nexport default m;\n`);
      await assert.rejects(bundle(entry, join(dir, 'out.js')),
        (e) => e.message.includes(`imports the Node built-in '${spec}'`));
    });
  }

  test('builds a file with no Node built-in', async () => {
    const entry = join(dir, 'plain.js');
    writeFileSync(entry, "export const x = 'a'.padStart(2);\n");
    const result = await bundle(entry, join(dir, 'plain-out.js'));
    assert.deepEqual(result.errors, []);
  });
});
