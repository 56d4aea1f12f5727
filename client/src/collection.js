// `db.collection(t)`: immutable query builders (each call answers a new query, so a base query can be reused) and
// `doc(id)` handles over the low-level db ops. Answers are WeChat's shapes: `{data}` for a row, `{data, next}`
// for a page. The arguments are checked when the call is made: a wrong one throws there, before any promise.
import { MiniappError } from './errors.js';
import {
  UNSUPPORTED_QUERY, objWithId, wireOrder, wireUpdate, wireWhere,
} from './query.js';

const invalid = (message) => new MiniappError('INVALID_ARGUMENT', message);

function checkId(id) {
  if (typeof id !== 'string' || id.length === 0) throw invalid('doc(id) takes the row\'s id, a non-empty string');
  return id;
}

/** One row of table `table` by `id`. */
function docRef(db, table, id) {
  return Object.freeze({
    id,
    /** `{data}`: the row, or null when there is none (or it is not the caller's to see as null). */
    get: async () => ({ data: await db.get(id, { table }) }),
    /** Writes the whole row (a put with this id): `{id, _version}`. `opts`: `expect`, `version`. */
    set: (obj, opts = {}) => db.put(objWithId(id, obj), { ...opts, table }),
    /**
     * Changes fields: values are set, `_.inc(n)`, `_.push(values)`, `_.pull(values)`, `_.remove()` the
     * wire's inc/push/pull/unset; answers the row after. `opts.version`: only if the stored `_version` is it.
     */
    update: (changes, opts = {}) => db.update(id, { ...wireUpdate(changes), version: opts.version, table }),
    /** Removes the row (`null`); `opts.version`: only if the stored `_version` is it. */
    remove: async (opts = {}) => db.remove(id, { version: opts.version, table }),
  });
}

/** A query of `table`: `state` is `{where, orderBy, limit}` (wire shapes); never changed after it is made. */
function queryOf(db, table, state) {
  const next = (patch) => queryOf(db, table, Object.assign({}, state, patch));
  const q = {
    /** ANDs `conditions` (`{field: value | command}`) into the query. */
    where: (conditions) => next({ where: wireWhere(conditions, state.where) }),
    /** Orders by `field`, 'asc' (default) or 'desc'; later calls order ties of earlier ones; `id` breaks the rest. */
    orderBy: (field, direction) => next({ orderBy: (state.orderBy || []).concat([wireOrder(field, direction)]) }),
    /** At most `n` rows a page (1–100; the server's default is 20). */
    limit: (n) => next({ limit: n }),
    /**
     * One page: `{data, next}`; `next` is null on the last page, else pass it back: `q.get({next})` reads the
     * page after.
     */
    get: async (opts = {}) => {
      const { items, next: token } = await db.query({ ...state, table, next: opts.next });
      return { data: items, next: token };
    },
    /** The number of rows the caller may read that match the where (orderBy and limit do not matter). */
    count: async () => db.count({ table, where: state.where }),
  };
  Object.keys(UNSUPPORTED_QUERY).forEach((name) => {
    q[name] = () => { throw invalid(`.${name}() cannot be sent: ${UNSUPPORTED_QUERY[name]}`); };
  });
  return Object.freeze(q);
}

/** `db.collection(table)`: a query of every row the caller may read, plus `add` and `doc`. */
export function collectionOf(db, table) {
  if (typeof table !== 'string' || table.length === 0) throw invalid('collection(name) takes a table name');
  const base = queryOf(db, table, {});
  return Object.freeze(Object.assign({}, base, {
    name: table,
    /** A new row with a server-made id (unique, sortable by creation time): `{id, _version}`. */
    add: async (obj) => db.add(obj, { table }),
    doc: (id) => docRef(db, table, checkId(id)),
  }));
}
