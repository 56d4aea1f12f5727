// The ways the client sends HTTP: global fetch (node 18+), or Alipay's my.request / my.uploadFile in a
// mini-program. Each request function takes {url, method, headers, body} and resolves to {status, headers, body}
// (header names lower-cased); it rejects only when no HTTP answer came (no status), with a MiniappError.
import { MiniappError } from './errors.js';

const unreachable = (cause) => new MiniappError('UPSTREAM_UNAVAILABLE',
  'The server could not be reached; check the network and the configured URLs, then retry.', { cause });

/**
 * my.request / my.uploadFile failures that are the app's configuration, not the network (Alipay's error codes):
 * retrying cannot help, so they are INVALID_ARGUMENT with what to change.
 */
const MY_CONFIG_ERRORS = {
  2: 'Alipay refused the request\'s parameters (error 2); check the URL and headers.',
  4: 'Alipay refused the domain (error 4): add it to the mini-program\'s server-domain whitelist (开发设置 > '
    + '服务器域名白名单) or, in the IDE only, tick 忽略 request 域名合法性检查.',
  20: 'Alipay reaches only https:// URLs from a phone (error 20); plain http works in the IDE only. Use the '
    + 'deployment\'s https endpoints, or run the page in the IDE against local-cloud.',
};

/** The error for a my.* fail callback that carried no HTTP status. */
function myFailure(res, configErrors) {
  const code = res && res.error;
  if (Object.prototype.hasOwnProperty.call(configErrors, code)) {
    return new MiniappError('INVALID_ARGUMENT', configErrors[code], { cause: res });
  }
  return unreachable(res);
}

/** An object from [key, value] pairs (Object.fromEntries is ES2019; the mini-program build targets ES2017). */
function fromPairs(pairs) {
  const out = {};
  for (const [k, v] of pairs) out[k] = v;
  return out;
}

/** The default request function: global fetch. */
export function fetchRequest(timeout) {
  return async ({ url, method, headers, body }) => {
    let res;
    try {
      res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeout) });
      return { status: res.status, headers: fromPairs(res.headers), body: await res.text() };
    } catch (cause) {
      throw unreachable(cause);
    }
  };
}

/** Lower-cased header names: Alipay answers with `headers` or `header`, in whatever case the server sent. */
function lowerHeaders(res) {
  const raw = (res && (res.headers || res.header)) || {};
  return fromPairs(Object.keys(raw).map((k) => [k.toLowerCase(), raw[k]]));
}

/**
 * A request function over Alipay's my.request (answers `{status, headers, data}`). An HTTP status ≥ 400 may come
 * to `fail` as `{error: 19, status, headers, data}`: it is an answer like any other; a failure with no status is
 * not.
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
      fail: (res) => (res && typeof res.status === 'number' ? answer(res) : reject(myFailure(res, MY_CONFIG_ERRORS))),
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

/** my.uploadFile's own codes (its 11 is a missing file or parameter, not my.request's whitelist 11). */
const UPLOAD_CONFIG_ERRORS = Object.assign({}, MY_CONFIG_ERRORS, {
  11: 'my.uploadFile refused the file or a parameter (error 11); check that filePath is a local file from '
    + 'my.chooseImage or the like.',
});

/**
 * Sends an OSS PostObject form with my.uploadFile: the policy's fields as formData, the file under its
 * fileField. The field goes as `name` (today's base library requires it) and as `fileName` (what older base
 * libraries read); `fileType` is one of image/video/audio (deprecated, but the IDE simulator still checks it).
 * my.uploadFile answers `{statusCode, header, data}` for any HTTP status. Resolves once OSS answered 2xx.
 */
export function myUploadFile(my, policy, filePath, fileType, timeout) {
  return new Promise((resolve, reject) => {
    const done = (res) => {
      const status = res && (res.statusCode ?? res.status);
      if (typeof status !== 'number') return reject(myFailure(res, UPLOAD_CONFIG_ERRORS));
      if (status >= 200 && status < 300) return resolve();
      return reject(ossUploadError(status, res.data));
    };
    my.uploadFile({
      url: policy.url,
      filePath,
      name: policy.fileField,
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

/**
 * The `res.response` string my.getPhoneNumber hands the page (the signed, AES-encrypted content for the server).
 * Alipay answers it only on an enterprise mini-program with the 获取会员手机号 product and an AES key, after the
 * user agreed on `<button open-type="getAuthorize" scope="phoneNumber">`; any failure is PERMISSION_DENIED.
 */
export function myPhoneNumber(my) {
  const refused = (res) => new MiniappError('PERMISSION_DENIED', 'my.getPhoneNumber gave no number: ask for it '
    + 'from the onGetAuthorize handler of <button open-type="getAuthorize" scope="phoneNumber">, after the user '
    + 'agreed; the mini-program needs the 获取会员手机号 product and an AES key (client/README.md).', { cause: res });
  return new Promise((resolve, reject) => {
    my.getPhoneNumber({
      success: (res) => (res && typeof res.response === 'string' && res.response
        ? resolve(res.response) : reject(refused(res))),
      fail: (res) => reject(refused(res)),
    });
  });
}
