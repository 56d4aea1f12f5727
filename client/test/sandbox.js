// A mini-program in a box: the BUILT dist/fc-miniapp.js runs in a node:vm context holding only ECMAScript
// built-ins, console, setTimeout/clearTimeout, `my` and `module`; `my` is implemented here, outside the box, over
// real HTTP the way Alipay answers (callbacks fired asynchronously).
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import vm from 'node:vm';
import { repoRoot } from './local-cloud.js';

export const distFile = join(repoRoot, 'client', 'dist', 'fc-miniapp.js');

const later = (fn, arg) => setImmediate(() => { if (fn) fn(arg); });
const lower = (h) => Object.fromEntries(Object.entries(h || {}).map(([k, v]) => [k.toLowerCase(), String(v)]));

/** Alipay's my.request: content-type application/json unless told otherwise, ≥ 400 to fail with error 19. */
function request(opts) {
  const headers = { 'content-type': 'application/json', ...lower(opts.headers || opts.header) };
  const body = opts.data === undefined || typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
  fetch(opts.url, { method: opts.method || 'GET', headers, body, signal: AbortSignal.timeout(opts.timeout || 30000) })
    .then(async (res) => {
      const text = await res.text();
      let data = text;
      if ((opts.dataType || 'json') === 'json') {
        try {
          data = JSON.parse(text);
        } catch {
          return later(opts.fail, { error: 14, errorMessage: 'JSON parse error' });
        }
      }
      const answer = { status: res.status, headers: Object.fromEntries(res.headers), data };
      return later(res.status >= 400 ? opts.fail : opts.success, res.status >= 400 ? { error: 19, ...answer } : answer);
    }, () => later(opts.fail, { error: 12, errorMessage: 'network error' }));
}

/** Alipay's my.uploadFile: a multipart/form-data POST of the form fields, then the file under fileName. */
function uploadFile(opts) {
  const boundary = `----alipay${Date.now().toString(16)}`;
  const parts = Object.entries(opts.formData || {}).map(([k, v]) => Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${opts.fileName}"; `
    + `filename="${basename(opts.filePath)}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(readFileSync(opts.filePath), Buffer.from(`\r\n--${boundary}--\r\n`));
  fetch(opts.url, {
    method: 'POST',
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    body: Buffer.concat(parts),
    signal: AbortSignal.timeout(30000),
  }).then(async (res) => later(opts.success, {
    statusCode: res.status, header: Object.fromEntries(res.headers), data: await res.text(),
  }), () => later(opts.fail, { error: 12, errorMessage: 'network error' }));
}

/** A `my` over real HTTP; getAuthCode hands out fresh `name:n` codes. `calls` records every API used. */
export function alipayMy(name = 'mini') {
  let n = 0;
  const calls = [];
  const record = (api, fn) => (opts) => { calls.push({ api, url: opts.url }); fn(opts); };
  return {
    calls,
    request: record('request', request),
    uploadFile: record('uploadFile', uploadFile),
    getAuthCode: record('getAuthCode', (opts) => later(opts.success, { authCode: `${name}:${Date.now()}-${++n}` })),
  };
}

/** A vm context holding only the mini-program globals (plus `extra`). */
export function miniContext(my, extra = {}) {
  return vm.createContext({ console, setTimeout, clearTimeout, my, ...extra });
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

/** Turns the admin fault switch of local-cloud (JSON body and the admin token, as the admin API asks). */
export async function fault(ready, service, mode) {
  const res = await fetch(ready.adminUrl || `${ready.endpoint}/_admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-cloud-token': ready.adminToken || '' },
    body: JSON.stringify({ service, mode }),
  });
  if (!res.ok) throw new Error(`fault switch answered ${res.status}: ${await res.text()}`);
}

/** A plain copy of a value made in the vm (its objects have the vm's prototypes). */
export const plain = (v) => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
