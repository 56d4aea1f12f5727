// Request signing for the Function Compute invoke APIs, with no Node built-in: hashes from @noble/hashes,
// encodings from @scure/base, so the same code runs in node and in an Alipay mini-program.
import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { base64, hex, utf8 } from '@scure/base';

const bytes = (text) => utf8.decode(text);
const sha256Hex = (text) => hex.encode(sha256(bytes(text)));
const hmacSha256 = (secret, text) => hmac(sha256, bytes(secret), bytes(text));

/** Splits an absolute http(s) URL into host (with port), path and raw query; the `URL` class is not everywhere. */
export function splitUrl(url) {
  const m = /^https?:\/\/([^/?#]+)([^?#]*)(?:\?([^#]*))?/i.exec(url);
  if (!m) throw new TypeError(`not an http(s) URL: ${url}`);
  return { host: m[1], path: m[2] || '/', query: m[3] || '' };
}

/**
 * Headers of an FC 2.0 (2016-08-15) InvokeFunction request exactly as @alicloud/fc2 2.6.6 signs them
 * (`lib/client.js` request + `lib/helper.js` composeStringToSign): content-md5 is the base64 of the HEX md5,
 * the signature a base64 HMAC-SHA256 over method, md5, type, date, sorted x-fc-* headers and the path.
 * Host, content-length and user-agent are left to the transport (none of them is signed).
 */
export function signFc2Invoke({ path, body, accountId, sts, date = new Date() }) {
  const headers = {
    accept: 'application/json',
    date: date.toUTCString(),
    'x-fc-account-id': accountId,
    'content-type': 'application/octet-stream',
    'content-md5': base64.encode(bytes(hex.encode(md5(bytes(body))))),
  };
  if (sts.SecurityToken) headers['x-fc-security-token'] = sts.SecurityToken;
  const fcHeaders = Object.keys(headers).filter((k) => k.startsWith('x-fc-')).sort()
    .map((k) => `${k}:${headers[k]}\n`).join('');
  const toSign = `POST\n${headers['content-md5']}\n${headers['content-type']}\n${headers.date}\n${fcHeaders}${path}`;
  headers.authorization = `FC ${sts.AccessKeyId}:${base64.encode(hmacSha256(sts.AccessKeySecret, toSign))}`;
  return headers;
}

/** RFC 3986 percent-encoding, as Alibaba Cloud's V3 signature wants it. */
const acsEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const decodeQueryPart = (s) => decodeURIComponent(s.replace(/\+/g, ' '));

function canonicalQuery(query) {
  return query.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [acsEncode(decodeQueryPart(k)), acsEncode(decodeQueryPart(v))];
  }).sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`).join('&');
}

let nonceCount = 0;

/**
 * A per-request nonce of the SDK's shape (64 hex digits). It must be unique, not secret (the HMAC protects the
 * request), so time, a counter and Math.random hashed suffice where no crypto API exists.
 */
export function newNonce(date = new Date()) {
  nonceCount = (nonceCount + 1) % 1e9;
  return sha256Hex(`${date.getTime()}-${nonceCount}-${Math.random()}-${Math.random()}`);
}

/**
 * Headers of an FC 3.0 (2023-03-30) InvokeFunction request signed with ACS3-HMAC-SHA256 by the STS key `sts`,
 * header for header what Alibaba's own SDK (@alicloud/fc20230330 on @alicloud/openapi-core) sends for
 * `invokeFunction(name, {body})`: it signs host, content-type and every x-acs-* header; accept is sent unsigned.
 * Host is signed as the URL gives it (the transport sends it so); user-agent, host and content-length are left to
 * the transport. `nonce` is injectable only so that a test can compare with a captured SDK request.
 */
export function signFc3Invoke(url, body, sts, date = new Date(), nonce = newNonce(date)) {
  const u = splitUrl(url);
  const headers = {
    accept: 'application/json',
    'content-type': 'application/octet-stream',
    'x-acs-action': 'InvokeFunction',
    'x-acs-version': '2023-03-30',
    'x-acs-date': date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'x-acs-signature-nonce': nonce,
    'x-acs-content-sha256': sha256Hex(body),
    'x-acs-credentials-provider': sts.SecurityToken ? 'static_sts' : 'static_ak',
  };
  if (sts.SecurityToken) {
    headers['x-acs-accesskey-id'] = sts.AccessKeyId;
    headers['x-acs-security-token'] = sts.SecurityToken;
  }
  const signing = { host: u.host };
  Object.keys(headers).filter((n) => n === 'content-type' || n.startsWith('x-acs-'))
    .forEach((n) => { signing[n] = headers[n]; });
  const names = Object.keys(signing).sort();
  const canonical = ['POST', u.path, canonicalQuery(u.query),
    ...names.map((n) => `${n}:${String(signing[n]).trim()}`), '', names.join(';'),
    headers['x-acs-content-sha256']].join('\n');
  const signature = hex.encode(hmacSha256(sts.AccessKeySecret, `ACS3-HMAC-SHA256\n${sha256Hex(canonical)}`));
  headers.authorization = `ACS3-HMAC-SHA256 Credential=${sts.AccessKeyId},SignedHeaders=${names.join(';')},`
    + `Signature=${signature}`;
  return headers;
}
