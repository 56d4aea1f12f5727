// The chainable database API mini-program developers know from WeChat cloud and uniCloud
// (`db.collection(t).where({score: _.gte(10)}).orderBy('score', 'desc').limit(20).get()`, `_.inc(1)`), turned into
// the db function's events (`query`, `count`, `add`, `get`, `put`, `update`, `remove`). What the wire cannot
// express (`_.or`, `_.nin`, a regular expression, a nested field path, skip, a projection) throws a MiniappError
// INVALID_ARGUMENT at the call that asks for it, saying what to use instead: it is never sent, never ignored.
import { MiniappError } from './errors.js';

const invalid = (message) => new MiniappError('INVALID_ARGUMENT', message);

/** The wire's query operators by the command that makes each. */
const QUERY_OPS = {
  eq: 'eq', neq: 'ne', lt: 'lt', lte: 'lte', gt: 'gt', gte: 'gte', in: 'in', exists: 'exists', prefix: 'prefix',
};

/**
 * WeChat/uniCloud commands the wire has no counterpart for, with what to do instead; each throws at once. Update
 * commands first, then query commands.
 */
const UNSUPPORTED = {
  or: 'a query is one AND of conditions: run one query per alternative, or declare the rule so that one query covers it',
  nor: 'a query is one AND of conditions: run one query per alternative',
  not: 'use _.neq(value), or _.exists(false) for a missing field',
  nin: 'use _.in([...]) of the values wanted, or _.neq(value) for one value',
  all: 'use one _.eq(value) per value on a string[] field (equality there means "the array holds")',
  elemMatch: 'store the matched value in an indexed field of its own',
  size: 'store the array\'s length in an indexed integer field',
  geoNear: 'no geo queries: store and query numeric fields',
  geoWithin: 'no geo queries: store and query numeric fields',
  geoIntersects: 'no geo queries: store and query numeric fields',
  expr: 'no aggregation expressions: query indexed fields',
  set: 'pass the value itself: .update({field: value})',
  mul: 'read the row, then .update({field: newValue}, {version: row._version})',
  min: 'read the row, then .update({field: newValue}, {version: row._version})',
  max: 'read the row, then .update({field: newValue}, {version: row._version})',
  rename: 'write the new field and _.remove() the old one',
  pop: 'use _.pull([value])',
  shift: 'use _.pull([value])',
  unshift: 'use _.push([...]) (it appends)',
  addToSet: 'use _.pull([value]) and _.push([value]) in two updates, or check the array first',
  pullAll: 'use _.pull([...values])',
};

// by tag, not instanceof: a value made in another realm (a page's module, a test's vm) is no instance of ours
const tagOf = (v) => Object.prototype.toString.call(v);
const isRegExp = (v) => tagOf(v) === '[object RegExp]';

const COMMAND = typeof Symbol === 'function' ? Symbol('fc-miniapp command') : '__fcMiniappCommand';

/** One command: a query condition (`conds`: [[wireOp, value], …]) or an update operator (`update`: {op, value}). */
function makeCommand(fields) {
  const cmd = Object.assign(Object.create(commandProto), fields);
  Object.defineProperty(cmd, COMMAND, { value: true });
  return Object.freeze(cmd);
}

const commandProto = {
  /** `_.gte(10).and(_.lt(100))`: both conditions on the same field. */
  and(...others) {
    if (!this.conds) throw invalid(`.and() combines query conditions; _.${this.update.op}() is an update command`);
    return makeCommand({ conds: this.conds.concat(...others.map((o) => queryCommand(o, '.and()').conds)) });
  },
  or() {
    throw invalid(`.or() cannot be sent: ${UNSUPPORTED.or}`);
  },
  /** Commands are never JSON themselves: one reaching JSON.stringify was put where no command is read. */
  toJSON() {
    throw invalid('A command (_.gte(), _.inc(), …) goes in collection().where({field: command}) or '
      + 'doc(id).update({field: command}); db.query/db.update take the wire\'s plain objects.');
  },
};

const isCommand = (v) => v !== null && typeof v === 'object' && v[COMMAND] === true;

function queryCommand(v, where) {
  if (!isCommand(v) || !v.conds) throw invalid(`${where} takes query commands such as _.lt(100)`);
  return v;
}

function condition(wireOp, value) {
  if (wireOp === 'in' && !Array.isArray(value)) throw invalid('_.in() takes an array of values');
  if (wireOp === 'exists' && typeof value !== 'boolean') throw invalid('_.exists() takes true or false');
  if (wireOp === 'prefix' && typeof value !== 'string') throw invalid('_.prefix() takes a string');
  if (isRegExp(value)) throw invalid(`A regular expression cannot be sent: ${REGEX_HINT}`);
  return makeCommand({ conds: [[wireOp, value]] });
}

const REGEX_HINT = 'use _.prefix(\'text\') for "starts with", or _.eq/_.in for exact values';

function updateCommand(op, value) {
  if (op === 'inc' && !Number.isInteger(value)) throw invalid('_.inc() takes an integer (the wire adds integers)');
  if (op === 'push' || op === 'pull') {
    if (value === undefined) throw invalid(`_.${op}() takes a value or an array of values`);
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'each' in value) {
      throw invalid(`_.${op}({each, …}) cannot be sent: pass the array itself, _.${op}([...values]) (push appends)`);
    }
  }
  return makeCommand({ update: { op, value } });
}

/** `db.command` (`_`): the query and update commands the wire carries; the others throw saying what to use. */
export function createCommands() {
  const _ = {};
  Object.keys(UNSUPPORTED).forEach((name) => {
    _[name] = () => { throw invalid(`_.${name}() cannot be sent: ${UNSUPPORTED[name]}`); };
  });
  Object.keys(QUERY_OPS).forEach((name) => {
    _[name] = (value) => condition(QUERY_OPS[name], value);
  });
  _.and = (...cmds) => {
    if (cmds.length === 0) throw invalid('_.and() takes query commands');
    return cmds.slice(1).reduce((acc, c) => acc.and(c), queryCommand(cmds[0], '_.and()'));
  };
  _.inc = (n) => updateCommand('inc', n);
  _.push = (values) => updateCommand('push', values);
  _.pull = (values) => updateCommand('pull', values);
  _.remove = () => updateCommand('unset');
  return Object.freeze(_);
}

// the contract's field-name rule, plus the server-managed fields a query may name
const FIELD = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const QUERY_SYSTEM_FIELDS = ['id', '_owner', '_createdAt', '_updatedAt'];

function checkField(field, where, system) {
  if (typeof field === 'string' && field.includes('.')) {
    throw invalid(`${where}: the nested field path '${field}' cannot be sent: query and update top-level fields `
      + '(store what you match on in a field of its own)');
  }
  if (typeof field !== 'string' || !(FIELD.test(field) || system.includes(field))) {
    throw invalid(`${where}: '${String(field)}' is no field name (letters, digits and _, starting with a letter`
      + `${system.length ? `, or one of ${system.join(', ')}` : ''})`);
  }
}

const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && tagOf(v) === '[object Object]';

/** The wire condition for one `where` value: a command's `{op: value}` or a plain value (equality). */
function wireCondition(field, value) {
  if (isCommand(value)) {
    if (!value.conds) throw invalid(`where.${field}: _.${value.update.op === 'unset' ? 'remove' : value.update.op}() `
      + 'is an update command; use it in doc(id).update()');
    const out = {};
    value.conds.forEach(([op, v]) => {
      if (Object.prototype.hasOwnProperty.call(out, op)) {
        throw invalid(`where.${field}: '${op}' twice; one condition per operator on a field`);
      }
      out[op] = v;
    });
    return out;
  }
  if (isRegExp(value)) throw invalid(`where.${field}: a regular expression cannot be sent: ${REGEX_HINT}`);
  if (value === null || value === undefined) {
    throw invalid(`where.${field}: ${String(value)} matches nothing on the wire; use _.exists(false) for a missing field`);
  }
  if (Array.isArray(value)) {
    throw invalid(`where.${field}: an array cannot be matched whole; use _.in([...]) for "one of", or _.eq(value) `
      + 'on a string[] field for "the array holds"');
  }
  if (isPlainObject(value)) {
    throw invalid(`where.${field}: an object matches nested fields, which the wire cannot; query top-level fields `
      + 'with commands (_.gte(…), …)');
  }
  if (!['string', 'number', 'boolean'].includes(typeof value)) {
    throw invalid(`where.${field}: a ${typeof value} cannot be sent; match strings, numbers and booleans`);
  }
  return value;
}

/** `where` of a chain (`{field: value | command}`) as the wire's where, merged into `base` (AND). */
export function wireWhere(where, base) {
  if (!isPlainObject(where) || isCommand(where)) {
    throw invalid('where() takes an object of field → value or command, e.g. {score: _.gte(10), done: false}');
  }
  const out = Object.assign({}, base);
  Object.keys(where).forEach((field) => {
    checkField(field, 'where', QUERY_SYSTEM_FIELDS);
    const cond = wireCondition(field, where[field]);
    if (Object.prototype.hasOwnProperty.call(out, field)) {
      throw invalid(`where.${field} is given twice; combine its conditions with .and(): _.gte(1).and(_.lt(9))`);
    }
    out[field] = cond;
  });
  return out;
}

/** An update's `{field: value | command}` as the wire's `{set, unset, inc, push, pull}` (only the ones used). */
export function wireUpdate(changes) {
  if (!isPlainObject(changes) || isCommand(changes)) {
    throw invalid('update() takes an object of field → value or command, e.g. {likes: _.inc(1), title: \'x\'}');
  }
  const out = {};
  const put = (kind, field, value) => { out[kind] = Object.assign(out[kind] || {}, { [field]: value }); };
  Object.keys(changes).forEach((field) => {
    const value = changes[field];
    checkField(field, 'update', []);
    if (value === undefined) return; // as JSON drops it, and as WeChat ignores it
    if (isRegExp(value)) throw invalid(`update.${field}: a regular expression is no value`);
    if (!isCommand(value)) {
      put('set', field, value);
    } else if (!value.update) {
      throw invalid(`update.${field}: a query command (_.gte(…), …) is no value; use it in where()`);
    } else if (value.update.op === 'unset') {
      out.unset = (out.unset || []).concat(field);
    } else if (value.update.op === 'inc') {
      put('inc', field, value.update.value);
    } else {
      put(value.update.op, field, [].concat(value.update.value));
    }
  });
  if (Object.keys(out).length === 0) throw invalid('update() has nothing to change');
  return out;
}

/** `orderBy(field, direction)`'s wire pair. */
export function wireOrder(field, direction = 'asc') {
  checkField(field, 'orderBy', QUERY_SYSTEM_FIELDS);
  if (direction !== 'asc' && direction !== 'desc') {
    throw invalid(`orderBy('${field}', …): the direction is 'asc' or 'desc', not ${JSON.stringify(direction)}`);
  }
  return [field, direction];
}

/** The builders that throw at once, with their hints. */
export const UNSUPPORTED_QUERY = {
  skip: 'page with next: const page = await q.get(); … q.get({next: page.next})',
  field: 'rows come whole; pick the fields you show in the page',
  aggregate: 'no aggregation: count() counts, queries read indexed fields',
  watch: 'no realtime listeners: query again (e.g. on onShow or a pull-down refresh)',
};

/** `db.RegExp()` and `db.serverDate()` of WeChat, which throw saying what to use. */
export const UNSUPPORTED_DB = {
  RegExp: REGEX_HINT,
  serverDate: 'the server sets _createdAt and _updatedAt (epoch ms) on every row; order and query by them',
};

/** `doc.set()`'s object: `obj` with `id`, which must match when it has one. */
export function objWithId(id, obj) {
  if (!isPlainObject(obj)) throw invalid('set() takes the row as an object');
  if (obj.id !== undefined && obj.id !== id) {
    throw invalid(`set(): the object's id '${String(obj.id)}' is not the doc's '${id}'`);
  }
  return Object.assign({}, obj, { id });
}
