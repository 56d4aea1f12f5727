// How Alipay's callbacks become answers and contract errors: my.request's success/fail shapes, OSS refusals of
// an upload, my.getAuthCode failures. `my` here only replays callback shapes Alipay documents.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { myAuthCode, myRequest, ossUploadError } from '../src/transport.js';

/** A my whose request answers with `outcome` ('success' or 'fail') and `res`, asynchronously like Alipay. */
const replay = (outcome, res) => ({
  request: (opts) => setImmediate(() => opts[outcome](res)),
  getAuthCode: (opts) => setImmediate(() => opts[outcome](res)),
});
const req = { url: 'https://x/', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };

describe('my.request', () => {
  test('a success answer keeps status, data, and headers given as `headers` or `header`, lower-cased', async () => {
    assert.deepEqual(await myRequest(replay('success', { status: 200, headers: { 'X-Fc-Request-Id': 'r' }, data: 'a' }))(req),
      { status: 200, headers: { 'x-fc-request-id': 'r' }, body: 'a' });
    assert.deepEqual(await myRequest(replay('success', { status: 201, header: { A: '1' }, data: 'b' }))(req),
      { status: 201, headers: { a: '1' }, body: 'b' });
  });

  test('an HTTP status of 400 or more in fail (error 19) is an answer, not a network failure', async () => {
    const res = { error: 19, status: 401, headers: {}, data: '{"error":{"code":"UNAUTHENTICATED"}}' };
    assert.deepEqual(await myRequest(replay('fail', res))(req), { status: 401, headers: {}, body: res.data });
  });

  test('a fail with no status (network, timeout) is UPSTREAM_UNAVAILABLE', async () => {
    for (const res of [{ error: 12, errorMessage: 'network' }, { error: 13 }, undefined]) {
      await assert.rejects(myRequest(replay('fail', res))(req), (e) => e.code === 'UPSTREAM_UNAVAILABLE');
    }
  });

  test('sends the request as given: url, method, headers, text body, dataType text', async () => {
    let seen;
    const my = { request: (opts) => { seen = opts; setImmediate(() => opts.success({ status: 200, data: '' })); } };
    await myRequest(my, 1234)(req);
    assert.deepEqual({ url: seen.url, method: seen.method, headers: seen.headers, data: seen.data,
      dataType: seen.dataType, timeout: seen.timeout }, { url: req.url, method: 'POST', headers: req.headers,
      data: '{}', dataType: 'text', timeout: 1234 });
  });
});

describe('OSS refusals of an upload', () => {
  const xml = (code) => `<?xml version="1.0"?><Error><Code>${code}</Code><Message>m</Message></Error>`;
  const cases = [
    [400, xml('EntityTooLarge'), 'PAYLOAD_TOO_LARGE'],
    [400, xml('EntityTooSmall'), 'INVALID_ARGUMENT'],
    [403, xml('AccessDenied'), 'INVALID_ARGUMENT'],
    [400, xml('InvalidPolicyDocument'), 'INVALID_ARGUMENT'],
    [499, '', 'INVALID_ARGUMENT'],
    [500, '', 'UPSTREAM_UNAVAILABLE'],
    [503, xml('ServiceUnavailable'), 'UPSTREAM_UNAVAILABLE'],
  ];
  for (const [status, data, code] of cases) {
    test(`${status} ${/<Code>(\w+)/.exec(data)?.[1] || 'no body'} → ${code}`, () => {
      const e = ossUploadError(status, data);
      assert.equal(e.code, code);
      assert.equal(e.status, status);
    });
  }
});

describe('my.getAuthCode', () => {
  test('resolves to the authCode', async () => {
    assert.equal(await myAuthCode(replay('success', { authCode: 'abc' })), 'abc');
  });

  test('a fail or an answer without a code is AUTH_CODE_REJECTED', async () => {
    await assert.rejects(myAuthCode(replay('fail', { error: 11 })), (e) => e.code === 'AUTH_CODE_REJECTED');
    await assert.rejects(myAuthCode(replay('success', {})), (e) => e.code === 'AUTH_CODE_REJECTED');
  });
});
