// Where the client keeps its session between launches: the mini-program's own storage (my.getStorageSync and
// friends), a store the Node app injects, or memory only. What it keeps is exactly the login answer's four
// fields; anything else found under its key (corrupt, foreign, an older format) is not a session.
import { MiniappError } from './errors.js';

// the session function's sessionId: 256 bits, base64url without padding (contract "Identities")
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const STS_FIELDS = ['AccessKeyId', 'AccessKeySecret', 'SecurityToken', 'Expiration'];
const FIELDS = ['expiresAt', 'sessionId', 'sts', 'userId'];

const isText = (v) => typeof v === 'string' && v.length > 0;
const isTime = (v) => isText(v) && !Number.isNaN(Date.parse(v));
const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const sameKeys = (obj, keys) => Object.keys(obj).sort().join(',') === keys.slice().sort().join(',');

/** A store in memory: what a client keeps when given neither `storage` nor `my` (nothing survives a restart). */
export function memoryStorage() {
  const entries = new Map();
  return {
    get: (key) => (entries.has(key) ? entries.get(key) : null),
    set: (key, value) => { entries.set(key, value); },
    remove: (key) => { entries.delete(key); },
  };
}

/** Throws when a my.*StorageSync answer carries Alipay's `{error, errorMessage}` (it returns errors, never throws). */
function checked(api, res) {
  if (res && res.error !== undefined) {
    throw new MiniappError('INTERNAL', `my.${api} failed (error ${res.error}).`, { cause: res });
  }
  return res;
}

/**
 * A store over Alipay's synchronous storage: `my.getStorageSync({key})` → `{data}` (`data` null for a missing
 * key), `my.setStorageSync({key, data})`, `my.removeStorageSync({key})`; Alipay keeps it per Alipay account and
 * mini-program, at most 200 KB a key and 10 MB in all.
 */
export function myStorage(my) {
  return {
    get: (key) => {
      const res = checked('getStorageSync', my.getStorageSync({ key }));
      return res && res.data !== undefined ? res.data : null;
    },
    set: (key, data) => { checked('setStorageSync', my.setStorageSync({ key, data })); },
    remove: (key) => { checked('removeStorageSync', my.removeStorageSync({ key })); },
  };
}

/** The store `config` asks for: `config.storage`, else the mini-program's (with `my`), else memory. */
export function storageFor(config, my) {
  const { storage } = config;
  if (storage !== undefined) {
    if (!storage || ['get', 'set', 'remove'].some((m) => typeof storage[m] !== 'function')) {
      throw new TypeError('config.storage must be an object with get(key), set(key, value) and remove(key) '
        + '(each may return a promise)');
    }
    return storage;
  }
  if (my && typeof my.getStorageSync === 'function' && typeof my.setStorageSync === 'function'
    && typeof my.removeStorageSync === 'function') {
    return myStorage(my);
  }
  return memoryStorage();
}

/** The value kept for `session`: the login answer's fields and nothing else. */
export function storedValue(session) {
  const sts = {};
  STS_FIELDS.forEach((f) => { sts[f] = session.sts[f]; });
  return { sessionId: session.sessionId, userId: session.userId, expiresAt: session.expiresAt, sts };
}

/**
 * The session in a value read back from the store, or null when it is none this client wrote: exactly the four
 * fields, a well-formed sessionId, text credentials and parsable times. JSON text (a store that keeps strings)
 * is read as the value it holds.
 */
export function sessionFrom(value) {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!isPlainObject(v) || !sameKeys(v, FIELDS) || !isPlainObject(v.sts) || !sameKeys(v.sts, STS_FIELDS)) return null;
  if (typeof v.sessionId !== 'string' || !SESSION_ID.test(v.sessionId) || !isText(v.userId) || !isTime(v.expiresAt)) return null;
  if (!STS_FIELDS.every((f) => isText(v.sts[f])) || !isTime(v.sts.Expiration)) return null;
  return storedValue(v);
}
