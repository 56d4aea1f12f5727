// fc-miniapp client: logs in through the session function's HTTP trigger and reaches the db function through
// the Function Compute invoke API (@alicloud/fc2) with the STS credentials the login returns.
import FC from '@alicloud/fc2';
import { createHash, createHmac, randomUUID } from 'crypto';

/** An error carrying the wire contract's code (INVALID_ARGUMENT, UNAUTHENTICATED, CONFLICT, …). */
export class MiniappError extends Error {
  constructor(code, message, { status, requestId, cause } = {}) {
    super(message || code);
    this.name = 'MiniappError';
    this.code = code;
    if (status !== undefined) this.status = status;
    if (requestId !== undefined) this.requestId = requestId;
    if (cause !== undefined) this.cause = cause;
  }
}

// FC API refusals that mean "these credentials no longer work": a new login or refresh fixes them
const CREDENTIAL_ERRORS = new Set(['InvalidSecurityToken', 'InvalidAccessKeyID', 'SignatureNotMatch']);

// FC API errors worth a retry later; other FC error codes mean a misconfigured client or deployment
const RETRYABLE_FC_ERRORS = new Set(['ResourceThrottled', 'ResourceExhausted', 'ServiceUnavailable',
  'InternalServerError', 'TooManyRequests', 'ConcurrentUpdateError']);

/** The default request function: global fetch (node 18+, browsers). */
async function fetchRequest({ url, method, headers, body }) {
  const res = await fetch(url, { method, headers, body });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}

/**
 * A request function over Alipay's my.request, for mini-programs:
 * `createClient({ ..., request: myRequest(my) })`.
 */
export function myRequest(my) {
  return ({ url, method, headers, body }) => new Promise((resolve, reject) => {
    my.request({
      url, method, headers, data: body, dataType: 'text',
      success: (res) => resolve({ status: res.status, headers: res.headers, body: res.data }),
      fail: (res) => (res && res.status ? resolve({ status: res.status, body: res.data }) : reject(
        new MiniappError('UPSTREAM_UNAVAILABLE', 'The session function could not be reached.', { cause: res }))),
    });
  });
}

const sha256Hex = (data) => createHash('sha256').update(data, 'utf8').digest('hex');

/** RFC 3986 percent-encoding, as Alibaba Cloud's V3 signature wants it. */
const acsEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Headers of an FC 3.0 (2023-03-30) InvokeFunction request signed with ACS3-HMAC-SHA256 by the STS key `sts`.
 * Host is signed as the URL gives it (the request function sends it so).
 */
export function signFc3Invoke(url, body, sts, date = new Date()) {
  const u = new URL(url);
  const headers = {
    'content-type': 'application/octet-stream',
    'x-acs-action': 'InvokeFunction',
    'x-acs-version': '2023-03-30',
    'x-acs-date': date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-content-sha256': sha256Hex(body),
    'x-acs-security-token': sts.SecurityToken,
  };
  const signing = { host: u.host, ...headers };
  const names = Object.keys(signing).sort();
  const query = [...u.searchParams.entries()]
    .map(([k, v]) => [acsEncode(k), acsEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonical = ['POST', u.pathname, query, ...names.map((n) => `${n}:${String(signing[n]).trim()}`), '',
    names.join(';'), headers['x-acs-content-sha256']].join('\n');
  const signature = createHmac('sha256', sts.AccessKeySecret)
    .update(`ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`, 'utf8').digest('hex');
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${sts.AccessKeyId},SignedHeaders=${names.join(';')},`
    + `Signature=${signature}`;
  return headers;
}

function parseJson(text) {
  if (text && typeof text === 'object') return text;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function contractError(body, status) {
  const e = body && body.error;
  if (e && typeof e.code === 'string') {
    return new MiniappError(e.code, e.message, { status, requestId: e.requestId });
  }
  return null;
}

/**
 * Creates a client. `config`: `endpoint` (default `https://<accountId>.<region>.fc.aliyuncs.com`), `accountId`,
 * `region`, `serviceName` (FC 2.0: the db function's service), `sessionUrl` or `sessionFunctionName` (with
 * `sessionServiceName` when the session function has its own service), `dbFunctionName`; `api`:
 * `'2016-08-15'` (default: FC 2.0, through @alicloud/fc2) or `'2023-03-30'` (an FC 3.0 deployment: InvokeFunction
 * signed with ACS3-HMAC-SHA256, sent with the request function); options: `request`
 * (`({url, method, headers, body}) => Promise<{status, body}>`), `refreshMarginSeconds` (default 300),
 * `timeout` (ms, default 10000), `now` (clock, default Date.now).
 */
export function createClient(config) {
  const fc3 = config && config.api === '2023-03-30';
  if (config && config.api !== undefined && !fc3 && config.api !== '2016-08-15') {
    throw new TypeError("config.api must be '2016-08-15' (FC 2.0) or '2023-03-30' (FC 3.0)");
  }
  for (const field of ['accountId', 'region', 'dbFunctionName', ...(fc3 ? [] : ['serviceName'])]) {
    if (!config || !config[field]) throw new TypeError(`config.${field} is required`);
  }
  const endpoint = (config.endpoint || `https://${config.accountId}.${config.region}.fc.aliyuncs.com`)
    .replace(/\/+$/, '');
  let sessionUrl = config.sessionUrl;
  if (!sessionUrl) {
    if (!config.sessionFunctionName || fc3) {
      throw new TypeError(fc3 ? 'config.sessionUrl (the session function\'s HTTP trigger URL) is required'
        : 'config.sessionUrl or config.sessionFunctionName is required');
    }
    const sessionService = config.sessionServiceName || config.serviceName;
    sessionUrl = `${endpoint}/2016-08-15/proxy/${sessionService}/${config.sessionFunctionName}/`;
  }
  const request = config.request || fetchRequest;
  const now = config.now || (() => Date.now());
  const marginMs = (config.refreshMarginSeconds ?? 300) * 1000;
  const timeout = config.timeout ?? 10000;

  let session = null; // { sessionId, userId, expiresAt, sts, fc }
  let timer = null;
  let refreshing = null;

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!session) return;
    const due = Date.parse(session.sts.Expiration) - marginMs - now();
    // setTimeout caps at ~24.8 days; the lazy check before each call covers anything past a timer
    timer = setTimeout(() => { refresh().catch(() => {}); }, Math.max(0, Math.min(due, 2 ** 31 - 1)));
    if (typeof timer.unref === 'function') timer.unref();
  }

  function adopt(answer) {
    session = {
      sessionId: answer.sessionId,
      userId: answer.userId,
      expiresAt: answer.expiresAt,
      sts: answer.sts,
      fc: new FC(config.accountId, {
        accessKeyID: answer.sts.AccessKeyId,
        accessKeySecret: answer.sts.AccessKeySecret,
        securityToken: answer.sts.SecurityToken,
        region: config.region,
        endpoint,
        timeout,
      }),
    };
    schedule();
    return { userId: session.userId, expiresAt: session.expiresAt };
  }

  async function callSession(payload) {
    let res;
    try {
      res = await request({
        url: sessionUrl,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
    } catch (cause) {
      if (cause instanceof MiniappError) throw cause;
      throw new MiniappError('UPSTREAM_UNAVAILABLE', 'The session function could not be reached.', { cause });
    }
    const body = parseJson(res.body);
    const error = contractError(body, res.status);
    if (error) throw error;
    if (res.status !== 200 || !body) {
      throw new MiniappError(res.status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'INTERNAL',
        `The session function answered ${res.status}.`, { status: res.status });
    }
    return body;
  }

  async function login(authCode) {
    if (typeof authCode !== 'string' || !authCode) throw new TypeError('authCode must be a non-empty string');
    return adopt(await callSession({ action: 'login', authCode }));
  }

  async function refresh() {
    if (!session) throw new MiniappError('UNAUTHENTICATED', 'Log in first.');
    if (!refreshing) {
      const sessionId = session.sessionId;
      refreshing = callSession({ action: 'refresh', sessionId })
        .then((answer) => adopt(answer))
        .catch((e) => {
          if (e.code === 'UNAUTHENTICATED') forget();
          throw e;
        })
        .finally(() => { refreshing = null; });
    }
    return refreshing;
  }

  function forget() {
    if (timer) clearTimeout(timer);
    timer = null;
    session = null;
  }

  async function logout() {
    if (!session) return { loggedOut: true };
    const sessionId = session.sessionId;
    forget();
    return callSession({ action: 'logout', sessionId });
  }

  async function freshSession() {
    if (!session) throw new MiniappError('UNAUTHENTICATED', 'Log in first.');
    if (Date.parse(session.sts.Expiration) - marginMs <= now()) await refresh();
    return session;
  }

  /** FC 3.0: POST /2023-03-30/functions/{fn}/invocations, V3-signed, through the request function. */
  async function invokeFc3(s, event) {
    const url = `${endpoint}/2023-03-30/functions/${encodeURIComponent(config.dbFunctionName)}/invocations`;
    const body = JSON.stringify(event);
    let res;
    try {
      res = await request({ url, method: 'POST', headers: signFc3Invoke(url, body, s.sts), body });
    } catch (cause) {
      if (cause instanceof MiniappError) throw cause;
      throw new MiniappError('UPSTREAM_UNAVAILABLE', 'Function Compute could not be reached.', { cause });
    }
    const parsed = parseJson(res.body);
    if (res.status < 200 || res.status > 299) {
      // FC 3.0 refusals are {"Code", "Message", "RequestId"}; reuse the FC 2.0 mapping below
      const cause = Object.assign(new Error(parsed && parsed.Message), { code: parsed && parsed.Code });
      throw cause;
    }
    return { data: parsed === null ? res.body : parsed, headers: res.headers || {} };
  }

  async function invokeOnce(s, event) {
    let res;
    try {
      if (fc3) {
        res = await invokeFc3(s, event);
      } else {
        res = await s.fc.invokeFunction(config.serviceName, config.dbFunctionName, JSON.stringify(event));
      }
    } catch (cause) {
      if (cause instanceof MiniappError) throw cause;
      if (cause && CREDENTIAL_ERRORS.has(cause.code)) {
        throw new MiniappError('UNAUTHENTICATED', 'The credentials were refused; log in again.', { cause });
      }
      if (cause && cause.code === 'AccessDenied') {
        throw new MiniappError('UNAUTHENTICATED', 'These credentials may not call the db function.', { cause });
      }
      if (cause && typeof cause.code === 'string' && /^[A-Z][A-Za-z]+$/.test(cause.code)
        && !RETRYABLE_FC_ERRORS.has(cause.code)) {
        throw new MiniappError('INTERNAL', `Function Compute refused the call (${cause.code}).`, { cause });
      }
      throw new MiniappError('UPSTREAM_UNAVAILABLE', 'Function Compute could not be reached.', { cause });
    }
    const body = parseJson(res.data);
    if (res.headers && res.headers['x-fc-error-type']) {
      throw new MiniappError('INTERNAL', 'The db function failed.', { requestId: res.headers['x-fc-request-id'] });
    }
    const error = contractError(body);
    if (error) throw error;
    if (!body || !('data' in body)) throw new MiniappError('INTERNAL', 'The db function gave no data.');
    return body;
  }

  /** Invokes the db function with `op` and `fields`; resolves to its whole answer ({data[, next]}). */
  async function invoke(op, fields = {}) {
    let s = await freshSession();
    const event = { ...fields, sid: s.sessionId, op };
    try {
      return await invokeOnce(s, event);
    } catch (e) {
      // keys issued before a clock jump (sleep, backgrounded app) may have expired: refresh once and retry
      if (e.code === 'UNAUTHENTICATED' && e.cause && CREDENTIAL_ERRORS.has(e.cause.code) && session === s) {
        await refresh();
        s = session;
        return invokeOnce(s, { ...event, sid: s.sessionId });
      }
      throw e;
    }
  }

  const pick = (obj, keys) => Object.fromEntries(keys.filter((k) => obj && obj[k] !== undefined).map((k) => [k, obj[k]]));

  const db = {
    put: async (obj, opts = {}) => (await invoke('put', { obj, ...pick(opts, ['table', 'expect', 'version']) })).data,
    get: async (id, opts = {}) => (await invoke('get', { id, ...pick(opts, ['table']) })).data,
    list: async (opts = {}) => {
      const r = await invoke('list', pick(opts, ['table', 'limit', 'next', 'prefix', 'reverse']));
      return { items: r.data, next: r.next ?? null };
    },
    update: async (id, changes = {}) => (await invoke('update',
      { id, ...pick(changes, ['table', 'set', 'unset', 'version']) })).data,
    remove: async (id, opts = {}) => (await invoke('remove', { id, ...pick(opts, ['table', 'version']) })).data,
  };

  const files = {
    uploadPolicy: async (path, opts = {}) => (await invoke('uploadPolicy',
      { path, ...pick(opts, ['contentType', 'maxBytes']) })).data,
    downloadUrl: async (path) => (await invoke('downloadUrl', { path })).data,
    list: async (opts = {}) => {
      const r = await invoke('listFiles', pick(opts, ['prefix', 'limit', 'next']));
      return { items: r.data, next: r.next ?? null };
    },
    remove: async (path) => (await invoke('removeFile', { path })).data,
  };

  return {
    login,
    refresh,
    logout,
    invoke,
    db,
    files,
    /** The signed-in user, or null. */
    get userId() { return session ? session.userId : null; },
    /** The session id (a secret: keep it out of logs and URLs), or null. */
    get sessionId() { return session ? session.sessionId : null; },
    /** The current STS credentials (for tests and diagnostics), or null. */
    get credentials() { return session ? { ...session.sts } : null; },
    /** Stops the refresh timer (the session stays valid on the server). */
    close: () => { if (timer) clearTimeout(timer); timer = null; },
  };
}

export default createClient;
