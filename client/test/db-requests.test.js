// The chainable db API's events on the wire (contract "Shared tables, access modes and queries", design §6): each
// call sends exactly one db-function event of the shape asserted here, in the Node module and in the built dist
// through my.request; what the wire cannot express throws INVALID_ARGUMENT at the call and sends nothing. A
// loopback server plays the session function and the db function (it answers what the test queues).
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createClient } from '../src/index.js';
import { alipayMy, loadDist, plain } from './sandbox.js';

const STS = { AccessKeyId: 'STS.db', AccessKeySecret: 'secret', SecurityToken: 'token', Expiration: '2999-01-01T00:00:00Z' };
const SID = 'dbRequestsSessionIdOf43CharactersBase64url_';
let server;
let base;
const seen = [];
const answers = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/session') {
        res.end(JSON.stringify({ sessionId: SID, userId: 'u1', expiresAt: STS.Expiration, sts: STS }));
        return;
      }
      seen.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.end(JSON.stringify(answers.shift() || { data: null }));
    });
  });
  await new Promise((res) => server.listen(0, '127.0.0.1', res));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((res) => server.close(res)));

const KINDS = [['the Node module', false], ['the dist through my.request', true]];

async function loggedIn(dist) {
  const config = { endpoint: base, sessionUrl: `${base}/session`, accountId: '1234567890123456', region: 'cn-hangzhou',
    serviceName: 'fc-miniapp', dbFunctionName: 'db' };
  const my = alipayMy();
  const client = dist ? loadDist(my).lib.createClient({ ...config, my }) : createClient(config);
  await client.login('any:1');
  return client;
}

/** The one event `action` sent (answered with `answer`), without the sid; and what it resolved to. */
async function sends(action, answer) {
  const before = seen.length;
  if (answer) answers.push(answer);
  const result = plain(await action());
  assert.equal(seen.length - before, 1, 'one invocation');
  const { sid, ...event } = seen.at(-1);
  assert.equal(sid, SID);
  return { event, result };
}

/** `fn` throws INVALID_ARGUMENT at once, with a message matching `hint`, and nothing is sent. */
function throwsAtOnce(fn, hint) {
  const before = seen.length;
  assert.throws(fn, (e) => e.name === 'MiniappError' && e.code === 'INVALID_ARGUMENT' && hint.test(e.message)
    || assert.fail(`${e.code}: ${e.message}`));
  assert.equal(seen.length, before, 'nothing sent');
}

for (const [kind, dist] of KINDS) {
  describe(`${kind}: the chain's events`, () => {
    let client;
    let db;
    let _;
    before(async () => {
      client = await loggedIn(dist);
      ({ db } = client);
      _ = db.command;
    });
    after(() => client.close());

    test('collection(t).add(obj) sends add and resolves with {id, _version}', async () => {
      const { event, result } = await sends(() => db.collection('guestbook').add({ text: 'hi', likes: 0 }),
        { data: { id: '01JF0000000000000000000000', _version: 1 } });
      assert.deepEqual(event, { op: 'add', table: 'guestbook', obj: { text: 'hi', likes: 0 } });
      assert.deepEqual(result, { id: '01JF0000000000000000000000', _version: 1 });
    });

    test('doc(id).get() sends get and resolves with {data}, data null when missing', async () => {
      const row = { id: 'a', text: 'x', _version: 2, _owner: 'u9' };
      const found = await sends(() => db.collection('guestbook').doc('a').get(), { data: row });
      assert.deepEqual(found.event, { op: 'get', table: 'guestbook', id: 'a' });
      assert.deepEqual(found.result, { data: row });
      const missing = await sends(() => db.collection('guestbook').doc('b').get(), { data: null });
      assert.deepEqual(missing.result, { data: null });
    });

    test('doc(id).set(obj) is a put of obj with that id; expect and version pass through', async () => {
      const { event, result } = await sends(() => db.collection('lists').doc('l1').set({ name: 'food' }),
        { data: { id: 'l1', _version: 1 } });
      assert.deepEqual(event, { op: 'put', table: 'lists', obj: { name: 'food', id: 'l1' } });
      assert.deepEqual(result, { id: 'l1', _version: 1 });
      const again = await sends(() => db.collection('lists').doc('l1').set({ id: 'l1', name: 'f' }, { version: 1 }));
      assert.deepEqual(again.event, { op: 'put', table: 'lists', obj: { id: 'l1', name: 'f' }, version: 1 });
      throwsAtOnce(() => db.collection('lists').doc('l1').set({ id: 'l2' }), /'l2' is not the doc's 'l1'/);
    });

    test('doc(id).update() turns values and commands into set/unset/inc/push/pull and resolves with the row after',
      async () => {
        const after = { id: 'p', likes: 3, _version: 4 };
        const { event, result } = await sends(() => db.collection('guestbook').doc('p').update({
          likes: _.inc(1), tags: _.push(['x']), old: _.remove(), title: 'x', members: _.pull(['bob']),
          one: _.push('y'), gone: _.remove(), skipped: undefined,
        }), { data: after });
        assert.deepEqual(event, {
          op: 'update', table: 'guestbook', id: 'p', set: { title: 'x' }, unset: ['old', 'gone'], inc: { likes: 1 },
          push: { tags: ['x'], one: ['y'] }, pull: { members: ['bob'] },
        });
        assert.deepEqual(result, after);
        const versioned = await sends(() => db.collection('guestbook').doc('p').update({ done: true }, { version: 4 }));
        assert.deepEqual(versioned.event, { op: 'update', table: 'guestbook', id: 'p', set: { done: true }, version: 4 });
      });

    test('doc(id).remove() sends remove (version when given)', async () => {
      const { event, result } = await sends(() => db.collection('guestbook').doc('p').remove());
      assert.deepEqual(event, { op: 'remove', table: 'guestbook', id: 'p' });
      assert.equal(result, null);
      const versioned = await sends(() => db.collection('guestbook').doc('p').remove({ version: 7 }));
      assert.deepEqual(versioned.event, { op: 'remove', table: 'guestbook', id: 'p', version: 7 });
    });

    test('where/orderBy/limit/get sends one query and resolves with {data, next}; get({next}) reads the next page',
      async () => {
        const q = db.collection('scores')
          .where({ score: _.gte(10).and(_.lt(100)), done: false, tags: _.in(['a', 'b']) })
          .orderBy('score', 'desc').orderBy('_createdAt', 'asc').limit(20);
        const where = { score: { gte: 10, lt: 100 }, done: false, tags: { in: ['a', 'b'] } };
        const first = await sends(() => q.get(), { data: [{ id: 'r1' }], next: 'tok1' });
        assert.deepEqual(first.event, {
          op: 'query', table: 'scores', where, orderBy: [['score', 'desc'], ['_createdAt', 'asc']], limit: 20,
        });
        assert.deepEqual(first.result, { data: [{ id: 'r1' }], next: 'tok1' });
        const second = await sends(() => q.get({ next: first.result.next }), { data: [{ id: 'r2' }], next: null });
        assert.deepEqual(second.event, { ...first.event, next: 'tok1' });
        assert.deepEqual(second.result, { data: [{ id: 'r2' }], next: null });
      });

    test('collection(t).get() without where is a query of the table alone; orderBy defaults to asc', async () => {
      const all = await sends(() => db.collection('guestbook').get(), { data: [] });
      assert.deepEqual(all.event, { op: 'query', table: 'guestbook' });
      assert.deepEqual(all.result, { data: [], next: null });
      const latest = await sends(() => db.collection('guestbook').orderBy('_createdAt', 'desc').limit(20).get());
      assert.deepEqual(latest.event, { op: 'query', table: 'guestbook', orderBy: [['_createdAt', 'desc']], limit: 20 });
      const asc = await sends(() => db.collection('guestbook').orderBy('likes').get());
      assert.deepEqual(asc.event.orderBy, [['likes', 'asc']]);
    });

    test('where(…).count() sends count with the where only and resolves with the number', async () => {
      const q = db.collection('todo_list').where({ done: false }).orderBy('_createdAt', 'desc').limit(5);
      const { event, result } = await sends(() => q.count(), { data: 3 });
      assert.deepEqual(event, { op: 'count', table: 'todo_list', where: { done: false } });
      assert.equal(result, 3);
      const all = await sends(() => db.collection('todo_list').count(), { data: 0 });
      assert.deepEqual(all.event, { op: 'count', table: 'todo_list' });
      assert.equal(all.result, 0);
    });

    test('every query command is its wire operator; _.and(a, b) is a.and(b)', async () => {
      const { event } = await sends(() => db.collection('t').where({
        a: _.eq('x'), b: _.neq(1), c: _.lt(1), d: _.lte(2), e: _.gt(3), f: _.gte(4), g: _.in([1, 2]),
        h: _.exists(true), i: _.prefix('ab'), j: _.and(_.gt(1), _.lt(9)), id: _.prefix('01'), _owner: 'u1',
        _updatedAt: _.gt(5),
      }).get());
      assert.deepEqual(event.where, {
        a: { eq: 'x' }, b: { ne: 1 }, c: { lt: 1 }, d: { lte: 2 }, e: { gt: 3 }, f: { gte: 4 }, g: { in: [1, 2] },
        h: { exists: true }, i: { prefix: 'ab' }, j: { gt: 1, lt: 9 }, id: { prefix: '01' }, _owner: 'u1',
        _updatedAt: { gt: 5 },
      });
    });

    test('builders are immutable: a base query is reused unchanged; where() twice ANDs both', async () => {
      const mine = db.collection('lists').where({ done: false });
      const sorted = mine.orderBy('_createdAt', 'desc');
      mine.limit(5);
      const narrowed = mine.where({ _owner: 'u1' });
      assert.deepEqual((await sends(() => mine.get())).event, { op: 'query', table: 'lists', where: { done: false } });
      assert.deepEqual((await sends(() => sorted.get())).event,
        { op: 'query', table: 'lists', where: { done: false }, orderBy: [['_createdAt', 'desc']] });
      assert.deepEqual((await sends(() => narrowed.get())).event,
        { op: 'query', table: 'lists', where: { done: false, _owner: 'u1' } });
      assert.ok(Object.isFrozen(mine) && Object.isFrozen(_.gt(1)));
    });

    test('what the wire cannot express throws INVALID_ARGUMENT at once, saying what to use, and sends nothing', () => {
      const t = db.collection('t');
      throwsAtOnce(() => _.or(_.gt(1), _.lt(0)), /one query per alternative/);
      throwsAtOnce(() => _.gt(1).or(_.lt(0)), /one query per alternative/);
      throwsAtOnce(() => _.nin([1]), /use _\.in/);
      throwsAtOnce(() => _.not(_.eq(1)), /_\.neq/);
      throwsAtOnce(() => _.all(['a']), /string\[\]/);
      throwsAtOnce(() => _.mul(2), /version/);
      throwsAtOnce(() => _.addToSet('a'), /_\.pull/);
      throwsAtOnce(() => db.RegExp({ regexp: 'a' }), /_\.prefix/);
      throwsAtOnce(() => db.serverDate(), /_createdAt/);
      throwsAtOnce(() => t.where({ name: /^a/ }), /regular expression.*_\.prefix/);
      throwsAtOnce(() => _.eq(/a/), /regular expression/);
      throwsAtOnce(() => t.where({ 'a.b': 1 }), /nested field path 'a\.b'/);
      throwsAtOnce(() => t.where({ a: { b: 1 } }), /nested fields/);
      throwsAtOnce(() => t.where({ tags: ['a'] }), /_\.in/);
      throwsAtOnce(() => t.where({ a: null }), /_\.exists\(false\)/);
      throwsAtOnce(() => t.where({ a: _.inc(1) }), /update command/);
      throwsAtOnce(() => t.where({ a: _.gt(1).and(_.gt(2)) }), /'gt' twice/);
      throwsAtOnce(() => t.where({ a: 1 }).where({ a: 2 }), /given twice.*\.and\(\)/);
      throwsAtOnce(() => t.orderBy('a.b'), /nested field path/);
      throwsAtOnce(() => t.orderBy('a', 'DESC'), /'asc' or 'desc'/);
      throwsAtOnce(() => t.skip(20), /next/);
      throwsAtOnce(() => t.field({ a: true }), /whole/);
      throwsAtOnce(() => t.watch({}), /realtime/);
      throwsAtOnce(() => t.doc('x').update({ 'a.b': 1 }), /nested field path/);
      throwsAtOnce(() => t.doc('x').update({ a: _.gt(1) }), /query command/);
      throwsAtOnce(() => t.doc('x').update({}), /nothing to change/);
      throwsAtOnce(() => _.inc(1.5), /integer/);
      throwsAtOnce(() => _.push({ each: ['a'], position: 0 }), /the array itself/);
      throwsAtOnce(() => _.in('a'), /array/);
      throwsAtOnce(() => t.doc(''), /non-empty string/);
      throwsAtOnce(() => db.collection(''), /table name/);
      // a command where no command is read is refused, not serialized into something else
      throwsAtOnce(() => JSON.stringify({ where: { a: _.gt(1) } }), /db\.query\/db\.update take the wire/);
    });

    test('the low-level db.add/query/count and db.update\'s inc/push/pull send the wire\'s own shapes', async () => {
      const add = await sends(() => db.add({ a: 1 }, { table: 'guestbook' }), { data: { id: 'x', _version: 1 } });
      assert.deepEqual(add.event, { op: 'add', table: 'guestbook', obj: { a: 1 } });
      assert.deepEqual(add.result, { id: 'x', _version: 1 });
      const query = await sends(() => db.query({ table: 'g', where: { a: { gte: 1 } }, orderBy: [['a', 'desc']],
        limit: 5, next: 'n' }), { data: [{ id: 'x' }], next: null });
      assert.deepEqual(query.event, { op: 'query', table: 'g', where: { a: { gte: 1 } }, orderBy: [['a', 'desc']],
        limit: 5, next: 'n' });
      assert.deepEqual(query.result, { items: [{ id: 'x' }], next: null });
      const count = await sends(() => db.count({ table: 'g', where: { a: 1 } }), { data: 9 });
      assert.deepEqual(count.event, { op: 'count', table: 'g', where: { a: 1 } });
      assert.equal(count.result, 9);
      const update = await sends(() => db.update('x', { table: 'g', inc: { n: 2 }, push: { t: ['a'] }, pull: { t: ['b'] },
        version: 3 }));
      assert.deepEqual(update.event, { op: 'update', id: 'x', table: 'g', inc: { n: 2 }, push: { t: ['a'] },
        pull: { t: ['b'] }, version: 3 });
    });

    test('files: public and owner reach the wire on the ops that take them', async () => {
      const policy = await sends(() => client.files.uploadPolicy('p/a.jpg', { contentType: 'image/jpeg', public: true }));
      assert.deepEqual(policy.event, { op: 'uploadPolicy', path: 'p/a.jpg', contentType: 'image/jpeg', public: true });
      const url = await sends(() => client.files.downloadUrl('p/a.jpg', { public: true, owner: 'u2' }),
        { data: { url: 'http://x', expiresAt: 'e' } });
      assert.deepEqual(url.event, { op: 'downloadUrl', path: 'p/a.jpg', public: true, owner: 'u2' });
      assert.deepEqual(url.result, { url: 'http://x', expiresAt: 'e' });
      const list = await sends(() => client.files.list({ prefix: 'p/', public: true, owner: 'u2' }), { data: [], next: null });
      assert.deepEqual(list.event, { op: 'listFiles', prefix: 'p/', public: true, owner: 'u2' });
      assert.deepEqual(list.result, { items: [], next: null });
      const removed = await sends(() => client.files.remove('p/a.jpg', { public: true }));
      assert.deepEqual(removed.event, { op: 'removeFile', path: 'p/a.jpg', public: true });
      const privateUrl = await sends(() => client.files.downloadUrl('p/a.jpg'));
      assert.deepEqual(privateUrl.event, { op: 'downloadUrl', path: 'p/a.jpg' });
    });
  });
}
