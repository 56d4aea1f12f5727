// A mini-program in a box: the BUILT dist/fc-miniapp.js runs in a node:vm context holding only ECMAScript
// built-ins, console, setTimeout/clearTimeout, `my` and `module`; `my` is implemented here, outside the box, over
// real HTTP the way Alipay answers (callbacks fired asynchronously).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import vm from 'node:vm';
import { repoRoot } from './local-cloud.js';

export const distFile = join(repoRoot, 'client', 'dist', 'fc-miniapp.js');

const later = (fn, arg) => setImmediate(() => { if (fn) fn(arg); });
const lower = (h) => Object.fromEntries(Object.entries(h || {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
const isText = (v) => typeof v === 'string' && v.length > 0;

/**
 * Where the page runs: `ide` is the mini-program IDE with 详情 > 域名信息 > 忽略 http 请求域名合法性检查 ticked (plain
 * http to a LAN or loopback server works, and the simulator still checks my.uploadFile's fileType); `phone` is
 * a real Alipay client, which refuses http:// with error 20 (Alipay's my.request and my.uploadFile docs).
 */
function refusesUrl(env, url) {
  return env === 'phone' && !/^https:\/\//i.test(url);
}

/**
 * Alipay's my.request as its docs give it: `url` required, headers' keys and values strings (else error 2),
 * GET/POST/PUT/DELETE only, content-type application/json unless told otherwise, the answer `{data, status,
 * headers}`, an HTTP status ≥ 400 to `fail` with error 19, a dataType json answer that is no JSON error 14.
 */
function request(env, opts) {
  const headers = opts.headers || {};
  const badHeader = Object.keys(headers).some((k) => typeof headers[k] !== 'string');
  const method = (opts.method || 'GET').toUpperCase();
  if (!isText(opts.url) || badHeader || !['GET', 'POST', 'PUT', 'DELETE'].includes(method)) {
    return later(opts.fail, { error: 2, errorMessage: '参数错误' });
  }
  if (refusesUrl(env, opts.url)) {
    return later(opts.fail, { error: 20, errorMessage: '请求 URL 不支持 HTTP，请使用 HTTPS' });
  }
  const sent = { 'content-type': 'application/json', ...lower(headers) };
  const body = opts.data === undefined || typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
  return fetch(opts.url, { method, headers: sent, body, signal: AbortSignal.timeout(opts.timeout || 30000) })
    .then(async (res) => {
      const text = await res.text();
      let data = text;
      if ((opts.dataType || 'json').toLowerCase() === 'json') {
        try {
          data = JSON.parse(text);
        } catch {
          return later(opts.fail, { error: 14, errorMessage: 'JSON parse data error' });
        }
      }
      const answer = { status: res.status, headers: Object.fromEntries(res.headers), data };
      return later(res.status >= 400 ? opts.fail : opts.success, res.status >= 400 ? { error: 19, ...answer } : answer);
    }, () => later(opts.fail, { error: 12, errorMessage: 'network error' }));
}

const FILE_TYPES = ['image', 'video', 'audio'];

/**
 * Alipay's my.uploadFile as today's docs give it: `url`, `filePath` and `name` (the file's form field) required,
 * formData values strings, and in the IDE `fileType` one of image/video/audio (deprecated, but the simulator
 * still checks it); a missing or wrong parameter or a missing file is error 11. A multipart/form-data POST of the
 * form fields, then the file under `name` (never under the old `fileName`); `{statusCode, header, data}` for any
 * HTTP status.
 */
function uploadFile(env, opts) {
  const form = opts.formData || {};
  const badForm = Object.keys(form).some((k) => typeof form[k] !== 'string');
  const badType = env === 'ide' && !FILE_TYPES.includes(opts.fileType);
  if (!isText(opts.url) || !isText(opts.filePath) || !isText(opts.name) || badForm || badType) {
    return later(opts.fail, { error: 11, errorMessage: '无效参数' });
  }
  if (refusesUrl(env, opts.url)) {
    return later(opts.fail, { error: 20, errorMessage: '请求 URL 不支持 HTTP，请使用 HTTPS' });
  }
  if (!existsSync(opts.filePath)) return later(opts.fail, { error: 11, errorMessage: '文件不存在' });
  const boundary = `----alipay${Date.now().toString(16)}`;
  const parts = Object.entries(form).map(([k, v]) => Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; `
    + `filename="${basename(opts.filePath)}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(readFileSync(opts.filePath), Buffer.from(`\r\n--${boundary}--\r\n`));
  return fetch(opts.url, {
    method: 'POST',
    headers: { ...lower(opts.header), 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(parts),
    signal: AbortSignal.timeout(opts.timeout || 60000),
  }).then(async (res) => later(opts.success, {
    statusCode: res.status, header: Object.fromEntries(res.headers), data: await res.text(),
  }), () => later(opts.fail, { error: 12, errorMessage: '上传文件失败' }));
}

/** Alipay's my.getAuthCode: scopes auth_base (default) or auth_user, as a string or an array, else error 3. */
function getAuthCode(codeFor, opts) {
  const scopes = [].concat(opts.scopes === undefined ? 'auth_base' : opts.scopes);
  if (scopes.length === 0 || scopes.some((s) => !['auth_base', 'auth_user'].includes(s))) {
    return later(opts.fail, { error: 3, errorMessage: '未找到授权结果' });
  }
  return later(opts.success, { authCode: codeFor(), authSuccessScopes: scopes });
}

const SOURCES = ['camera', 'album'];

/**
 * Alipay's my.chooseImage as its docs and samples give it (opendocs.alipay.com/mini/api/media/image/my.chooseimage;
 * Alipay's samples read `res.apFilePaths[0]`, antd-mini's typing of the answer has `tempFiles`, `tempFilePaths`
 * and `apFilePaths`): `count` an integer 1–9 (default 1), `sourceType` a non-empty array of camera/album
 * (default both), else error 2; the user's pick is the next of `photos` (host file paths; none left: the user
 * cancelled, error 11). Success: `tempFilePaths` and `tempFiles` ({path, size}) as today's base library answers,
 * with the older `apFilePaths` beside them; `legacy` base libraries answer `apFilePaths` alone.
 */
function chooseImage(photos, legacy, opts) {
  const count = opts.count === undefined ? 1 : opts.count;
  const sources = opts.sourceType === undefined ? SOURCES : opts.sourceType;
  if (!Number.isInteger(count) || count < 1 || count > 9 || !Array.isArray(sources) || sources.length === 0
    || sources.some((t) => !SOURCES.includes(t))) {
    return later(opts.fail, { error: 2, errorMessage: '参数错误' });
  }
  const picked = photos.splice(0, Math.min(count, photos.length));
  if (picked.length === 0) return later(opts.fail, { error: 11, errorMessage: '用户取消操作' });
  const answer = legacy ? { apFilePaths: picked } : {
    tempFilePaths: picked, apFilePaths: picked,
    tempFiles: picked.map((path) => ({ path, size: readFileSync(path).length })),
  };
  return later(opts.success, answer);
}

const STORAGE_KEY_LIMIT = 200 * 1024; // "单个 key 允许存储的最大数据长度为 200KB"
const STORAGE_LIMIT = 10 * 1024 * 1024; // "所有数据存储上限为 10MB"

/**
 * A phone's storage for one mini-program and Alipay account: what Alipay keeps between launches. Give the same
 * one to the `my` of two clients to model a relaunch; `entries` holds each key's value as JSON text.
 */
export function miniStorage() {
  return { entries: new Map() };
}

/**
 * Alipay's synchronous storage as its docs give it: object arguments (`{key}`, `{key, data}`; a bare string key
 * as WeChat takes it is a missing key), the key a non-empty string; answers returned, never thrown:
 * getStorageSync `{data}` (a copy; `data: null` for a missing key), setStorageSync / removeStorageSync
 * `{success: true}`; a failure `{error, errorMessage}` as the IDE and iOS answer it (no `success` field): 2 for a
 * missing key or data, 14 for data over 200 KB as JSON text, 12 when the mini-program's total would pass 10 MB.
 */
function storageApis(disk) {
  const missing = () => ({ error: 2, errorMessage: '必填参数为空' });
  const badKey = (o) => !o || typeof o !== 'object' || typeof o.key !== 'string' || o.key.length === 0;
  const used = (except) => [...disk.entries].reduce((n, [k, v]) => (k === except ? n : n + k.length + v.length), 0);
  return {
    getStorageSync: (o) => (badKey(o) ? missing()
      : { data: disk.entries.has(o.key) ? JSON.parse(disk.entries.get(o.key)) : null }),
    setStorageSync: (o) => {
      const text = badKey(o) || o.data === undefined ? undefined : JSON.stringify(o.data);
      if (text === undefined) return missing();
      if (text.length > STORAGE_KEY_LIMIT) return { error: 14, errorMessage: 'data长度超限' };
      if (used(o.key) + o.key.length + text.length > STORAGE_LIMIT) return { error: 12, errorMessage: '存储总大小达到上限' };
      disk.entries.set(o.key, text);
      return { success: true };
    },
    removeStorageSync: (o) => {
      if (badKey(o)) return missing();
      disk.entries.delete(o.key);
      return { success: true };
    },
  };
}

/**
 * Alipay's my.getPhoneNumber on an enterprise mini-program with 获取会员手机号 and an AES key set up: success
 * `{response}`, the JSON string local-cloud's `POST /_admin/alipay/phone-number` makes for the user `name` and
 * `phone.mobile`, signed and encrypted as Alipay does. Alipay hands the real number only once the user agreed on
 * `<button open-type="getAuthorize" scope="phoneNumber">` (the sandbox's `my.agree('phoneNumber')`); before that
 * it still succeeds, with content that decrypts to code 40003 (无效的授权关系), which the server refuses. The admin
 * endpoint signs only numbers, so the sandbox hands a response of the same shape whose signature cannot verify:
 * the server refuses it the same way (INVALID_ARGUMENT, nothing stored).
 */
function getPhoneNumber(name, phone, agreed, opts) {
  if (!phone) throw new Error('the sandbox my needs {phone: {adminUrl, adminToken, mobile}} for my.getPhoneNumber');
  if (!agreed.has('phoneNumber')) {
    const response = JSON.stringify({ response: Buffer.from('not agreed').toString('base64'), sign: 'AAAA',
      sign_type: 'RSA2', encrypt_type: 'AES', charset: 'UTF-8' });
    return later(opts.success, { response });
  }
  return fetch(`${phone.adminUrl}/_admin/alipay/phone-number`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-cloud-token': phone.adminToken || '' },
    body: JSON.stringify({ user: name, mobile: phone.mobile }),
  }).then(async (res) => {
    const text = await res.text();
    if (res.status !== 200) return later(opts.fail, { error: 3, errorMessage: `admin ${res.status}: ${text}` });
    return later(opts.success, { response: JSON.parse(text).response });
  }, () => later(opts.fail, { error: 12, errorMessage: 'network error' }));
}

/**
 * A `my` over real HTTP, as strict as Alipay; getAuthCode hands out fresh `name:n` codes. `calls` records every
 * network API used (not storage: see `storage.entries`). `env`: 'ide' (default; plain http allowed, as with the
 * IDE's domain check skipped) or 'phone'; `photos`: the host files my.chooseImage picks, in order (`legacy`: an
 * old base library's answer); `storage`: the phone's storage (miniStorage(); default a fresh one); `phone`:
 * `{adminUrl, adminToken, mobile}` for my.getPhoneNumber.
 */
export function alipayMy(name = 'mini', {
  env = 'ide', photos = [], legacy = false, storage = miniStorage(), phone = null,
} = {}) {
  let n = 0;
  const calls = [];
  const agreed = new Set();
  const record = (api, fn) => (opts) => { calls.push({ api, url: opts.url, opts }); fn(opts); };
  return {
    calls,
    storage,
    request: record('request', (opts) => request(env, opts)),
    uploadFile: record('uploadFile', (opts) => uploadFile(env, opts)),
    getAuthCode: record('getAuthCode', (opts) => getAuthCode(() => `${name}:${Date.now()}-${++n}`, opts)),
    chooseImage: record('chooseImage', (opts) => chooseImage(photos, legacy, opts)),
    getPhoneNumber: record('getPhoneNumber', (opts) => getPhoneNumber(name, phone, agreed, opts)),
    ...storageApis(storage),
    /** Queues the files the next my.chooseImage calls pick. */
    pick: (...files) => { photos.push(...files); },
    /** The user agreed on `<button open-type="getAuthorize" scope={scope}>` (onGetAuthorize). */
    agree: (scope) => { agreed.add(scope); },
  };
}

/**
 * A Date for the sandbox whose clock is `offsetMs` off, as a phone's may be: `Date.now()` and `new Date()` are
 * shifted, everything else is the real Date's.
 */
export function skewClock(ctx, offsetMs) {
  vm.runInContext(`(() => {
    const Real = Date;
    const offset = ${Number(offsetMs)};
    class PhoneDate extends Real {
      constructor(...args) { if (args.length === 0) super(Real.now() + offset); else super(...args); }
      static now() { return Real.now() + offset; }
    }
    this.Date = PhoneDate;
  })()`, ctx);
}

/**
 * The built-ins newer than ES2017, by the edition that added them: the dist is built for ES2017 (client/README.md),
 * so the sandbox removes them and any call of one fails a test. Syntax is esbuild's to lower; these it cannot.
 */
export const NEWER_THAN_ES2017 = [
  'Promise.prototype.finally', // 2018
  'Object.fromEntries', 'Array.prototype.flat', 'Array.prototype.flatMap', 'String.prototype.trimStart',
  'String.prototype.trimEnd', 'Symbol.prototype.description', // 2019
  'BigInt', 'Promise.allSettled', 'String.prototype.matchAll', 'globalThis', // 2020
  'String.prototype.replaceAll', 'Promise.any', 'AggregateError', 'WeakRef', 'FinalizationRegistry', // 2021
  'Object.hasOwn', 'Array.prototype.at', 'String.prototype.at', 'Uint8Array.prototype.at', // 2022
  'Array.prototype.findLast', 'Array.prototype.findLastIndex', 'Array.prototype.toSorted',
  'Array.prototype.toReversed', 'Array.prototype.toSpliced', 'Array.prototype.with', // 2023
  'Object.groupBy', 'Map.groupBy', 'Promise.withResolvers', 'String.prototype.isWellFormed',
  'String.prototype.toWellFormed', // 2024
  'Promise.try', 'Iterator', 'Uint8Array.fromBase64', 'Uint8Array.fromHex', 'Uint8Array.prototype.toBase64',
  'Uint8Array.prototype.toHex', // 2025 and later
];

/** Deletes NEWER_THAN_ES2017 from the context's own built-ins (the host's stay as they are). */
function es2017Only(ctx) {
  vm.runInContext(`(() => {
    const g = this;
    for (const path of ${JSON.stringify(NEWER_THAN_ES2017)}) {
      const names = path.split('.');
      const last = names.pop();
      // delete it where it is defined: Uint8Array.prototype.at lives on %TypedArray%.prototype
      for (let o = names.reduce((x, k) => (x == null ? x : x[k]), g); o != null; o = Object.getPrototypeOf(o)) {
        delete o[last];
        if (o[last] === undefined) break;
      }
    }
  })()`, ctx);
  return ctx;
}

/** A vm context holding only the mini-program globals (plus `extra`), with ES2017's built-ins and no newer. */
export function miniContext(my, extra = {}) {
  return es2017Only(vm.createContext({ console, setTimeout, clearTimeout, my, ...extra }));
}

/** Runs a CommonJS file in `ctx` with a require that resolves relative paths (like the mini-program's). */
export function loadModule(ctx, file, overrides = {}) {
  const module = { exports: {} };
  const requireFrom = (spec) => {
    const target = resolve(dirname(file), spec.endsWith('.js') ? spec : `${spec}.js`);
    return overrides[target] || loadModule(ctx, target, overrides);
  };
  const wrapper = vm.runInContext(`(function (module, exports, require) {${readFileSync(file, 'utf8')}\n})`, ctx,
    { filename: file });
  wrapper(module, module.exports, requireFrom);
  return module.exports;
}

/** The built dist file run as the mini-program runs it: `module` is a global, nothing else is defined. */
export function loadDist(my) {
  const module = { exports: {} };
  const ctx = miniContext(my, { module });
  vm.runInContext(readFileSync(distFile, 'utf8'), ctx, { filename: distFile });
  return { ctx, lib: module.exports };
}

/**
 * Turns the admin fault switch of local-cloud (JSON body and the admin token, as the admin API asks), on the admin
 * origin READY names (`adminUrl`: the console's and admin API's own port, never the FC endpoint).
 */
export async function fault(ready, service, mode) {
  const res = await fetch(`${ready.adminUrl}/_admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-cloud-token': ready.adminToken || '' },
    body: JSON.stringify({ service, mode }),
  });
  if (!res.ok) throw new Error(`fault switch answered ${res.status}: ${await res.text()}`);
}

/** A plain copy of a value made in the vm (its objects have the vm's prototypes). */
export const plain = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
