// The ways the client sends HTTP: global fetch (node 18+), or Alipay's my.request / my.uploadFile in a
// mini-program. Each request function takes {url, method, headers, body} and resolves to {status, headers, body};
// it rejects only when no HTTP answer came (no status), with UPSTREAM_UNAVAILABLE.
import { MiniappError } from './errors.js';

const unreachable = (cause) => new MiniappError('UPSTREAM_UNAVAILABLE',
  'The server could not be reached; check the network and the configured URLs, then retry.', { cause });

/** The default request function: global fetch. */
export function fetchRequest(timeout) {
  return async ({ url, method, headers, body }) => {
    let res;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeout) });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    } catch (cause) {
      throw unreachable(cause);
    }
  };
}

/** Lower-cased header names: Alipay answers with `headers` or `header`, in whatever case the server sent. */
function lowerHeaders(res) {
  const raw = (res && (res.headers || res.header)) || {};
  return Object.fromEntries(Object.keys(raw).map((k) => [k.toLowerCase(), raw[k]]));
}

/**
 * A request function over Alipay's my.request. An HTTP status ≥ 400 may come to `fail` as
 * `{error: 19, status, headers, data}`: it is an answer like any other; a failure with no status is not.
 */
export function myRequest(my, timeout = 10000) {
  return ({ url, method, headers, body }) => new Promise((resolve, reject) => {
    const answer = (res) => resolve({ status: res.status, headers: lowerHeaders(res), body: res.data });
    my.request({
      url,
      method,
      headers,
      data: body,
      dataType: 'text',
      timeout,
      success: answer,
      fail: (res) => (res && typeof res.status === 'number' ? answer(res) : reject(unreachable(res))),
    });
  });
}

const OSS_CODES = { EntityTooLarge: 'PAYLOAD_TOO_LARGE', EntityTooSmall: 'INVALID_ARGUMENT' };

/** The contract error for an OSS PostObject refusal (XML `<Code>`), by OSS code then by status. */
export function ossUploadError(status, data) {
  const m = /<Code>([^<]*)<\/Code>/.exec(typeof data === 'string' ? data : '');
  const ossCode = m ? m[1] : undefined;
  const code = OSS_CODES[ossCode] || (status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'INVALID_ARGUMENT');
  const hint = code === 'PAYLOAD_TOO_LARGE' ? 'the file is over the policy\'s size limit'
    : code === 'UPSTREAM_UNAVAILABLE' ? 'the storage failed; retry'
      : 'the upload broke the policy (path, content type, size or expiry); ask for a new policy and send it as given';
  return new MiniappError(code, `OSS refused the upload (${ossCode || status}): ${hint}.`, { status });
}

/**
 * Sends an OSS PostObject form with my.uploadFile: the policy's fields as formData, the file under its
 * fileField. Resolves once OSS answered 2xx.
 */
export function myUploadFile(my, policy, filePath, fileType, timeout) {
  return new Promise((resolve, reject) => {
    const done = (res) => {
      const status = res && (res.statusCode ?? res.status);
      if (typeof status !== 'number') return reject(unreachable(res));
      if (status >= 200 && status < 300) return resolve();
      return reject(ossUploadError(status, res.data));
    };
    my.uploadFile({
      url: policy.url,
      filePath,
      fileName: policy.fileField,
      fileType,
      formData: policy.fields,
      timeout,
      success: done,
      fail: done,
    });
  });
}

/** A fresh Alipay authCode (scope auth_base: the user id only, no consent screen). */
export function myAuthCode(my) {
  return new Promise((resolve, reject) => {
    my.getAuthCode({
      scopes: 'auth_base',
      success: (res) => (res && res.authCode ? resolve(res.authCode) : reject(new MiniappError('AUTH_CODE_REJECTED',
        'my.getAuthCode gave no authCode; check the app\'s auth_base capability and retry.'))),
      fail: (res) => reject(new MiniappError('AUTH_CODE_REJECTED',
        'my.getAuthCode failed; check the app\'s auth_base capability and retry.', { cause: res })),
    });
  });
}

