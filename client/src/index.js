// fc-miniapp client: logs in through the session function's HTTP trigger and reaches the db function through
// the Function Compute invoke API with the STS credentials the login returns. No Node built-in and no Node-only
// package: the same source is the node module and, bundled by scripts/build.mjs, dist/fc-miniapp.js.
import { MiniappError, contractError, parseJson } from './errors.js';
import { collectionOf } from './collection.js';
import { UNSUPPORTED_DB, createCommands } from './query.js';
import { signFc2Invoke, signFc3Invoke } from './sign.js';
import { sessionFrom, storageFor, storedValue } from './storage.js';
import {
  fetchRequest, myAuthCode, myPhoneNumber, myRequest, myUploadFile,
} from './transport.js';

export { MiniappError, myRequest, signFc2Invoke, signFc3Invoke };

// FC API refusals that mean "these credentials no longer work": a new login or refresh fixes them. FC answers an
// expired STS token with 403 InvalidSecurityToken (as fc2 reports FC's ErrorCode; local-cloud's FcError alike)
const CREDENTIAL_ERRORS = new Set(['InvalidSecurityToken', 'InvalidAccessKeyID', 'SignatureNotMatch']);

// FC API errors worth a retry later; other FC error codes mean a misconfigured client or deployment
const RETRYABLE_FC_ERRORS = new Set(['ResourceThrottled', 'ResourceExhausted', 'ServiceUnavailable',
  'InternalServerError', 'TooManyRequests', 'ConcurrentUpdateError']);

const FILE_TYPES = ['image', 'video', 'audio'];

// how long before the STS keys' Expiration the client refreshes them (config.refreshMarginSeconds overrides it)
const REFRESH_MARGIN_SECONDS = 300;

// Function Compute's rule for function and service names (the session function's CALLABLE_FUNCTIONS uses it too)
const FC_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,127}$/;

const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * A copy of `config.services` (function name → FC 2.0 service name) without a prototype, so that a function
 * named like an Object.prototype member (`constructor`) is looked up in the map and nowhere else.
 */
function serviceMap(services) {
  const map = Object.create(null);
  if (services === undefined) return map;
  if (services === null || typeof services !== 'object' || Array.isArray(services)) {
    throw new TypeError('config.services must be an object of function name → FC 2.0 service name');
  }
  Object.keys(services).forEach((name) => {
    const service = services[name];
    if (!FC_NAME.test(name)) {
      throw new TypeError(`config.services has the entry ${JSON.stringify(name)}, which is no FC function name`);
    }
    if (typeof service !== 'string' || !FC_NAME.test(service)) {
      throw new TypeError(`config.services.${name} must be an FC 2.0 service name (a non-empty string of letters, `
        + `digits, _ and -), not ${typeof service === 'string' ? JSON.stringify(service) : String(service)}`);
    }
    map[name] = service;
  });
  return map;
}

/**
 * `input` as it goes in the event: undefined is sent as null (the function sees the same for `call(name)` and
 * `call(name, null)`); a value JSON cannot carry is a TypeError rather than silently turned into null or dropped.
 */
function eventInput(input) {
  if (input === undefined) return null;
  let bad = null;
  try {
    JSON.stringify(input, (key, value) => {
      const type = typeof value;
      if (bad === null && (type === 'function' || type === 'symbol' || type === 'bigint'
        || (type === 'number' && !Number.isFinite(value)))) {
        const what = type === 'number' ? String(value) : `a ${type}`;
        bad = `${key === '' ? 'input' : `input's ${JSON.stringify(key)}`} is ${what}`;
      }
      return bad === null ? value : null;
    });
  } catch (e) {
    throw new TypeError(`input is not JSON (${String(e && e.message).split('\n')[0]})`);
  }
  if (bad !== null) {
    throw new TypeError(`${bad}, which JSON cannot carry; send objects, arrays, strings, finite numbers, `
      + 'booleans and null');
  }
  return input;
}

const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Creates a client. `config`: `endpoint` (default `https://<accountId>.<region>.fc.aliyuncs.com`), `accountId`,
 * `region`, `serviceName` (FC 2.0: the db function's service), `sessionUrl` or `sessionFunctionName` (with
 * `sessionServiceName` when the session function has its own service), `dbFunctionName`, `services` (optional,
 * FC 2.0: app function name → its service, as local-cloud's READY `services` or the deployment's Outputs give it;
 * `call(name)` of a function not in it goes to `serviceName`); `api`:
 * `'2016-08-15'` (default: FC 2.0 InvokeFunction signed as @alicloud/fc2 2.6.6 signs it) or `'2023-03-30'` (an FC
 * 3.0 deployment: InvokeFunction signed with ACS3-HMAC-SHA256); options: `my` (Alipay's API object: every request
 * then goes through my.request, uploads through my.uploadFile, and login() without a code asks
 * my.getAuthCode), `request` (`({url, method, headers, body}) => Promise<{status, headers, body}>`, default
 * my.request with `my`, else global fetch), `refreshMarginSeconds` (default 300), `timeout` (ms, default 10000),
 * `now` (the device clock, default Date.now), `storage` (`{get(key), set(key, value), remove(key)}`, sync or
 * promise: where the session is kept between launches; default with `my` the mini-program's storage, else
 * memory), `storageKey` (default `fc-miniapp:session:<sessionUrl>`), `autoLogin` (default true with `my`: a call
 * with no live session logs in with my.getAuthCode).
 *
 * Phones' clocks are often wrong, and FC refuses a signature whose time is more than 15 minutes off
 * (RequestTimeTooSkewed). So the client reads the server's time from the `Date` header of every answer, signs
 * with the device clock corrected by it, judges credential expiry on the corrected clock, and on a
 * RequestTimeTooSkewed answer takes that answer's time and sends the call once more.
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
  const services = serviceMap(config.services);
  const { my } = config;
  const timeout = config.timeout ?? 10000;
  const request = config.request || (my ? myRequest(my, timeout) : fetchRequest(timeout));
  const deviceNow = config.now || (() => Date.now());
  const marginMs = (config.refreshMarginSeconds ?? REFRESH_MARGIN_SECONDS) * 1000;
  const storage = storageFor(config, my);
  const storageKey = config.storageKey || `fc-miniapp:session:${sessionUrl}`;
  if (typeof storageKey !== 'string') throw new TypeError('config.storageKey must be a non-empty string');
  // only a mini-program gets an authCode without the app's help (my.getAuthCode, auth_base: no consent screen)
  const getsCodes = Boolean(my && typeof my.getAuthCode === 'function');
  const autoLogin = config.autoLogin === undefined ? getsCodes : Boolean(config.autoLogin) && getsCodes;

  let clockOffset = 0; // the server's time minus the device's, learned from the last answer's Date header
  let clockKnown = false; // an answer's Date header has corrected the device clock
  /** The time by the server's clock, as well as the device can tell it. */
  const now = () => deviceNow() + clockOffset;

  /** Learns the server's time from an answer's `Date` header; true when that changed what the client believed. */
  function learnTime(headers) {
    const served = Date.parse((headers && headers.date) || '');
    if (Number.isNaN(served)) return false;
    // Date has whole seconds: the server's clock stood, on average, half a second past it
    const offset = served + 500 - deviceNow();
    const changed = Math.abs(offset - clockOffset) > 1000;
    clockOffset = offset;
    clockKnown = true;
    return changed;
  }

  let session = null; // { sessionId, userId, expiresAt, sts }
  let timer = null;
  let refreshing = null;
  let loggingIn = null;
  let restoring = null; // the read of an asynchronous store, until it answered
  let writing = null; // the store's write in flight (asynchronous stores), so writes land in order
  let signedOut = false; // logout() or deleteAccount(): calls do not log in by themselves until login()

  /** Writes `value` (null: removes it) to the store after the writes before it; a store's failure is ignored. */
  function persist(value) {
    const write = () => {
      try {
        const r = value === null ? storage.remove(storageKey) : storage.set(storageKey, value);
        return r && typeof r.then === 'function' ? Promise.resolve(r).then(() => {}, () => {}) : null;
      } catch (e) {
        return null; // a full or failing store costs the next launch a login, not this call
      }
    };
    const mine = writing ? writing.then(write) : write();
    writing = mine;
    if (mine) mine.then(() => { if (writing === mine) writing = null; });
    return mine;
  }

  /** Takes the value read from the store at launch: a session when it is one, else (corrupt, foreign) removed. */
  function takeStored(value) {
    if (session || signedOut) return; // a login or a logout came first
    const found = sessionFrom(value);
    if (found) {
      session = found;
      // keys already near their end are refreshed by the first call that needs them, not at launch
      if (keysLast(found)) schedule();
    } else if (value !== null && value !== undefined) {
      persist(null);
    }
  }

  /** Reads the kept session: at once from a synchronous store (the mini-program's), else before the first need. */
  function restore() {
    let got;
    try {
      got = storage.get(storageKey);
    } catch (e) {
      return; // an unreadable store is no session
    }
    if (got && typeof got.then === 'function') {
      restoring = Promise.resolve(got).then(takeStored, () => {}).then(() => { restoring = null; });
    } else {
      takeStored(got);
    }
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!session) return;
    const due = Date.parse(session.sts.Expiration) - marginMs - now();
    // setTimeout caps at ~24.8 days; the lazy check before each call covers anything past a timer
    timer = setTimeout(() => { refresh().catch(() => {}); }, Math.max(0, Math.min(due, 2 ** 31 - 1)));
    if (typeof timer.unref === 'function') timer.unref();
  }

  /** Takes a login or refresh answer as the session, and keeps exactly its four fields. */
  function adopt(answer) {
    session = storedValue(answer);
    signedOut = false;
    persist(session);
    schedule();
    return { userId: session.userId, expiresAt: session.expiresAt };
  }

  /** Drops the session here and in the store; resolves once the store has it removed. */
  function forget() {
    if (timer) clearTimeout(timer);
    timer = null;
    session = null;
    return persist(null) || Promise.resolve();
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
    learnTime(res.headers);
    const body = parseJson(res.body);
    const error = contractError(body, res.status);
    if (error) throw error;
    if (res.status !== 200 || !body) {
      throw new MiniappError(res.status >= 500 ? 'UPSTREAM_UNAVAILABLE' : 'INTERNAL',
        `The session function answered ${res.status}.`, { status: res.status });
    }
    return body;
  }

  /** The session action `payload` for the session `s`; an UNAUTHENTICATED answer drops `s` (it ended). */
  async function sessionAction(s, payload) {
    try {
      return await callSession(Object.assign({ sessionId: s.sessionId }, payload));
    } catch (e) {
      if (e.code === 'UNAUTHENTICATED' && session === s) await forget();
      throw e;
    }
  }

  /** A new session from `authCode` (none: my.getAuthCode's). */
  async function newLogin(authCode) {
    const code = authCode === undefined && getsCodes ? await myAuthCode(my) : authCode;
    if (typeof code !== 'string' || !code) throw new TypeError('authCode must be a non-empty string');
    return adopt(await callSession({ action: 'login', authCode: code }));
  }

  /** A login with my.getAuthCode that concurrent callers share. */
  function loginOnce() {
    if (!loggingIn) {
      loggingIn = newLogin().then((view) => {
        loggingIn = null;
        return view;
      }, (e) => {
        loggingIn = null;
        throw e;
      });
    }
    return loggingIn;
  }

  async function refresh() {
    if (restoring) await restoring;
    if (!session) throw new MiniappError('UNAUTHENTICATED', 'Log in first.');
    if (!refreshing) {
      const s = session;
      // then/catch rather than finally: Promise.prototype.finally is ES2018, the mini-program build ES2017
      refreshing = callSession({ action: 'refresh', sessionId: s.sessionId })
        .then((answer) => {
          refreshing = null;
          // a logout, deletion or new login while it was under way wins: the answer must not bring `s` back
          if (session !== s) {
            if (!session) throw new MiniappError('UNAUTHENTICATED', 'Log in first.');
            return { userId: session.userId, expiresAt: session.expiresAt };
          }
          return adopt(answer);
        }, (e) => {
          refreshing = null;
          if (e.code === 'UNAUTHENTICATED' && session === s) forget();
          throw e;
        });
    }
    return refreshing;
  }

  /** The STS keys are good for more than the margin, by the client's best clock. */
  const keysLast = (s) => Date.parse(s.sts.Expiration) - marginMs > now();
  // the session's own end is judged only on a corrected clock; on the device's alone the server decides (refresh)
  const sessionOver = (s) => clockKnown && Date.parse(s.expiresAt) <= now();
  const live = (s) => Boolean(s) && keysLast(s) && !sessionOver(s);

  /**
   * A session with usable keys: the kept one; refreshed when its keys are near or past their expiry; else, when
   * `mayLogin`, a new login with my.getAuthCode. Concurrent callers share the one refresh or login.
   */
  async function readySession(mayLogin) {
    if (restoring) await restoring;
    if (session && sessionOver(session)) await forget();
    if (session && !keysLast(session)) {
      try {
        await refresh();
      } catch (e) {
        if (e.code !== 'UNAUTHENTICATED' || !mayLogin) throw e;
      }
    }
    if (session) return session;
    if (!mayLogin) throw new MiniappError('UNAUTHENTICATED', 'Log in first.');
    await loginOnce();
    return session;
  }

  /** The session db and app calls use (no session call at all while the kept one is live). */
  function callSessionReady() {
    return !restoring && live(session) ? Promise.resolve(session) : readySession(autoLogin && !signedOut);
  }

  /**
   * Signs in. `authCode` given: a new session. None: the kept session while it lives (no request), refreshed
   * near its keys' expiry, else (in a mini-program) a new login with my.getAuthCode.
   */
  async function login(authCode) {
    signedOut = false;
    if (authCode !== undefined) return newLogin(authCode);
    if (restoring) await restoring;
    if (!getsCodes && !session) throw new TypeError('authCode must be a non-empty string');
    const s = await readySession(getsCodes);
    return { userId: s.userId, expiresAt: s.expiresAt };
  }

  /**
   * Ends the session on the server; the client forgets it (here and in the store) only once the server
   * confirmed, so a failure can be retried. Calls then log in by themselves no more until login().
   */
  async function logout() {
    if (restoring) await restoring;
    if (!session) {
      signedOut = true;
      return { loggedOut: true };
    }
    const s = session;
    const answer = await callSession({ action: 'logout', sessionId: s.sessionId });
    signedOut = true;
    if (session === s) await forget();
    return answer;
  }

  /** The session for a session action: the kept one (its keys do not matter there), else one made ready. */
  async function actionSession() {
    if (restoring) await restoring;
    return session && !sessionOver(session) ? session : readySession(autoLogin && !signedOut);
  }

  /**
   * Deletes the user's account (every row, file, the phone number and every session); resolves to true and
   * forgets the session. A failure keeps it, so a retry (this launch or the next) resumes the deletion.
   */
  async function deleteAccount() {
    const s = await actionSession();
    const answer = await sessionAction(s, { action: 'deleteAccount' });
    if (!answer || answer.deleted !== true) {
      throw new MiniappError('INTERNAL', 'The session function gave no deletion answer.');
    }
    signedOut = true;
    await forget();
    return true;
  }

  /**
   * Verifies and stores the user's phone number; resolves to it masked (`138****5678`). `response`: the
   * `res.response` string of my.getPhoneNumber; none (in a mini-program): my.getPhoneNumber is asked here, which
   * Alipay answers only after the user agreed on `<button open-type="getAuthorize" scope="phoneNumber">`.
   */
  async function phone(response) {
    if (response === undefined && !(my && typeof my.getPhoneNumber === 'function')) {
      throw new TypeError('phone(response) needs the response string my.getPhoneNumber gave (or config.my)');
    }
    if (response !== undefined && (typeof response !== 'string' || !response)) {
      throw new TypeError('phone(response): response must be the non-empty string my.getPhoneNumber gave as '
        + 'res.response');
    }
    // asked first, closest to the user's tap on the authorize button
    const sent = response === undefined ? await myPhoneNumber(my) : response;
    const s = await actionSession();
    const answer = await sessionAction(s, { action: 'phone', response: sent });
    if (!answer || typeof answer.phone !== 'string') {
      throw new MiniappError('INTERNAL', 'The session function gave no phone number.');
    }
    return answer.phone;
  }

  /** The db function; an app function's target comes from `appTarget`. */
  const dbTarget = { service: config.serviceName, fn: config.dbFunctionName, label: 'the db function' };

  /** Where `call(name)` goes: FC 2.0 `services[name]`, else `serviceName`; FC 3.0 has no services. */
  function appTarget(name) {
    if (typeof name !== 'string' || !FC_NAME.test(name)) {
      throw new TypeError('call(name, input): name must be an FC function name (a letter or _, then letters, digits, '
        + `_ or -, at most 128), not ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`);
    }
    const service = hasOwn(services, name) ? services[name] : config.serviceName;
    return { service, fn: name, label: `the function '${name}'` };
  }

  /**
   * The signed InvokeFunction request for `target` ({service, fn}), FC 2.0 as fc2 builds it or FC 3.0 as
   * @alicloud/fc20230330 does, signed at the server's time.
   */
  function invocation(s, target, body) {
    const date = new Date(now());
    if (fc3) {
      const url = `${endpoint}/2023-03-30/functions/${encodeURIComponent(target.fn)}/invocations`;
      return { url, headers: signFc3Invoke(url, body, s.sts, date) };
    }
    const path = `/2016-08-15/services/${target.service}/functions/${target.fn}/invocations`;
    return {
      url: endpoint + path,
      headers: signFc2Invoke({ path, body, accountId: config.accountId, sts: s.sts, date }),
    };
  }

  /**
   * Sends one invocation; an FC refusal is thrown as an Error whose code is FC's (ErrorCode or Code) and whose
   * `resynced` says that its Date header corrected the client's clock.
   */
  async function send(s, target, event) {
    const body = JSON.stringify(event);
    const { url, headers } = invocation(s, target, body);
    const res = await request({ url, method: 'POST', headers, body });
    const resynced = learnTime(res.headers);
    const parsed = parseJson(res.body);
    if (res.status < 200 || res.status > 299) {
      const code = parsed && (parsed.ErrorCode || parsed.Code);
      throw Object.assign(new Error(`Function Compute answered ${res.status} (${code})`), { code, resynced });
    }
    return { data: parsed === null ? res.body : parsed, headers: res.headers || {} };
  }

  /** The contract error for an FC refusal (or no answer) of an invocation of `target`. */
  function fcRefusal(cause, target) {
    if (cause instanceof MiniappError) return cause;
    if (cause && CREDENTIAL_ERRORS.has(cause.code)) {
      return new MiniappError('UNAUTHENTICATED', 'The credentials were refused; log in again.', { cause });
    }
    if (cause && cause.code === 'AccessDenied') {
      // the db function: keys of another deployment (log in again); an app function: not declared callable, which
      // no new login changes, so an app that logs in again on UNAUTHENTICATED does not loop on it
      if (target === dbTarget) {
        return new MiniappError('UNAUTHENTICATED', `These credentials may not call ${target.label}.`, { cause });
      }
      return new MiniappError('PERMISSION_DENIED', `These credentials may not call ${target.label} (the deployment `
        + 'must declare it callable: CALLABLE_FUNCTIONS and the invoke role).', { cause });
    }
    if (cause && cause.code === 'RequestTimeTooSkewed') {
      return new MiniappError('INTERNAL', 'Function Compute refused the request time: this device\'s clock is '
        + 'more than 15 minutes off and the server\'s answer gave no time to correct it by. Set the clock, '
        + 'or check that a proxy does not strip the Date header.', { cause });
    }
    if (cause && typeof cause.code === 'string' && /^[A-Z][A-Za-z]+$/.test(cause.code)
      && !RETRYABLE_FC_ERRORS.has(cause.code)) {
      return new MiniappError('INTERNAL', `Function Compute refused the call (${cause.code}).`, { cause });
    }
    return new MiniappError('UPSTREAM_UNAVAILABLE', 'Function Compute could not be reached.', { cause });
  }

  async function invokeOnce(s, target, event) {
    let res;
    try {
      res = await send(s, target, event);
    } catch (cause) {
      throw fcRefusal(cause, target);
    }
    const body = parseJson(res.data);
    if (res.headers && res.headers['x-fc-error-type']) {
      throw new MiniappError('INTERNAL', `${capitalized(target.label)} failed.`,
        { requestId: res.headers['x-fc-request-id'] });
    }
    const error = contractError(body);
    if (error) throw error;
    if (!body || !('data' in body)) throw new MiniappError('INTERNAL', `${capitalized(target.label)} gave no data.`);
    return body;
  }

  /**
   * Invokes `target` with the event `eventFor(sessionId)`; resolves to its whole answer ({data[, next]}). The one
   * path of db and app function calls: the kept session while its keys last (no session call), refreshed first
   * when they are near their expiry; then sent again once when the answer taught the client the server's time
   * after a RequestTimeTooSkewed (the device clock moved since the last answer), and once after a refresh when
   * FC refused the keys (expired: issued before a clock jump, sleep or a backgrounded app). An UNAUTHENTICATED
   * answer (the session ended or was revoked on the server) drops the kept session: this call rejects, the next
   * one logs in afresh.
   */
  async function run(target, eventFor) {
    let s = await callSessionReady();
    let resynced = false;
    let refreshed = false;
    for (;;) {
      try {
        return await invokeOnce(s, target, eventFor(s.sessionId));
      } catch (e) {
        const cause = e.cause || {};
        if (!resynced && e.code === 'INTERNAL' && cause.code === 'RequestTimeTooSkewed' && cause.resynced) {
          resynced = true;
          s = await callSessionReady();
        } else if (!refreshed && e.code === 'UNAUTHENTICATED' && CREDENTIAL_ERRORS.has(cause.code) && session) {
          refreshed = true;
          if (session === s) await refresh(); // else another call has replaced the keys already
          s = session;
        } else {
          if (e.code === 'UNAUTHENTICATED' && session === s) await forget();
          throw e;
        }
      }
    }
  }

  /** Invokes the db function with `op` and `fields`; resolves to its whole answer ({data[, next]}). */
  async function invoke(op, fields = {}) {
    return run(dbTarget, (sid) => Object.assign({}, fields, { sid, op }));
  }

  /**
   * Invokes the app function `name` with the event `{sid, input}` (FC 2.0: in `services[name]`, else in
   * `serviceName`); resolves to its answer's `data`, rejects with a MiniappError of the contract's code.
   */
  async function call(name, input) {
    const target = appTarget(name);
    const sent = eventInput(input);
    return (await run(target, (sid) => ({ sid, input: sent }))).data;
  }

  /** The given keys of `obj` that are set (no Object.fromEntries: ES2019). */
  const pick = (obj, keys) => {
    const out = {};
    keys.filter((k) => obj && obj[k] !== undefined).forEach((k) => { out[k] = obj[k]; });
    return out;
  };

  const db = {
    put: async (obj, opts = {}) => (await invoke('put', { obj, ...pick(opts, ['table', 'expect', 'version']) })).data,
    get: async (id, opts = {}) => (await invoke('get', { id, ...pick(opts, ['table']) })).data,
    list: async (opts = {}) => {
      const r = await invoke('list', pick(opts, ['table', 'limit', 'next', 'prefix', 'reverse']));
      return { items: r.data, next: r.next ?? null };
    },
    update: async (id, changes = {}) => (await invoke('update',
      { id, ...pick(changes, ['table', 'set', 'unset', 'inc', 'push', 'pull', 'version']) })).data,
    remove: async (id, opts = {}) => (await invoke('remove', { id, ...pick(opts, ['table', 'version']) })).data,
    /** A new row with a server-made id: `{id, _version}`. */
    add: async (obj, opts = {}) => (await invoke('add', { obj, ...pick(opts, ['table']) })).data,
    /** One page of a query in the wire's shapes (`where`, `orderBy: [[field, dir]]`): `{items, next}`. */
    query: async (opts = {}) => {
      const r = await invoke('query', pick(opts, ['table', 'where', 'orderBy', 'limit', 'next']));
      return { items: r.data, next: r.next ?? null };
    },
    /** The number of rows the caller may read that match `where`. */
    count: async (opts = {}) => (await invoke('count', pick(opts, ['table', 'where']))).data,
    /** The query and update commands (`const _ = db.command`). */
    command: createCommands(),
    /** The chainable API: `db.collection(t).where({…}).orderBy(f, 'desc').limit(n).get()`, `.doc(id)`, `.add()`. */
    collection: (table) => collectionOf(db, table),
  };
  Object.keys(UNSUPPORTED_DB).forEach((name) => {
    db[name] = () => { throw new MiniappError('INVALID_ARGUMENT', `db.${name}() cannot be sent: ${UNSUPPORTED_DB[name]}`); };
  });

  // `public: true` is the caller's public folder (public/<uid>/…); `owner` (with it) another user's, which
  // downloadUrl and list may read and uploadPolicy and remove are refused (PERMISSION_DENIED)
  const files = {
    uploadPolicy: async (path, opts = {}) => (await invoke('uploadPolicy',
      { path, ...pick(opts, ['contentType', 'maxBytes', 'public', 'owner']) })).data,
    downloadUrl: async (path, opts = {}) => (await invoke('downloadUrl',
      { path, ...pick(opts, ['public', 'owner']) })).data,
    /**
     * Presigned GET URLs for up to 100 paths in one invocation: an array of `{path, url, expiresAt}` in the
     * order of `paths`.
     */
    downloadUrls: async (paths) => (await invoke('downloadUrls', { paths })).data,
    list: async (opts = {}) => {
      const r = await invoke('listFiles', pick(opts, ['prefix', 'limit', 'next', 'public', 'owner']));
      return { items: r.data, next: r.next ?? null };
    },
    remove: async (path, opts = {}) => (await invoke('removeFile', { path, ...pick(opts, ['public', 'owner']) })).data,
    /**
     * Uploads the local file `filePath` (e.g. from my.chooseImage) to `path` with my.uploadFile through an upload
     * policy; resolves to `{path}`. `opts`: `contentType`, `maxBytes`, `fileType` (image/video/audio, default from
     * contentType, else image), `public` (true: the caller's public folder, which every user may read).
     */
    upload: async (path, filePath, opts = {}) => {
      if (!my || typeof my.uploadFile !== 'function') throw new TypeError('files.upload needs config.my (my.uploadFile)');
      const policy = await files.uploadPolicy(path, opts);
      const guessed = String(opts.contentType || '').split('/')[0];
      const fileType = opts.fileType || (FILE_TYPES.includes(guessed) ? guessed : 'image');
      await myUploadFile(my, policy, filePath, fileType, timeout);
      return { path: policy.path };
    },
  };

  restore();

  return {
    login,
    refresh,
    logout,
    deleteAccount,
    phone,
    invoke,
    call,
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
