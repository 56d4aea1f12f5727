// examples/guestbook's mini-program in the mini-program sandbox against local-cloud serving
// examples/guestbook/template.yml (its tables.json: guestbook creator-write, lists rules, …), started with
// --search-lag-ms 0 so a query sees a write at once. App/Page/getApp/my are provided as the Alipay runtime
// provides them; the pages are driven as two or three users would drive them, every call through the dist over
// my.request with the user's own STS key. Node clients of the same users check what the server holds.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../src/index.js';
import { repoRoot, startLocalCloud, tempDataDir } from './local-cloud.js';
import { alipayMy, loadModule, miniContext, plain } from './sandbox.js';

const exampleDir = join(repoRoot, 'examples', 'guestbook');
const example = join(exampleDir, 'miniprogram');
const template = join(exampleDir, 'template.yml');
const PAGES = { guestbook: join('pages', 'guestbook', 'guestbook.js'), list: join('pages', 'list', 'list.js') };

let cloud;
let config;
let stamp = Date.now();

const configOf = (r) => ({
  endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
  sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName, services: r.services,
});

before(async () => {
  cloud = await startLocalCloud(tempDataDir(), ['--template', template, '--search-lag-ms', '0']);
  config = configOf(cloud.ready);
});
after(() => cloud?.stop());

/**
 * Starts the example app as the Alipay runtime does (as `name`, through config.js's localUser) and opens both
 * pages; `photos`: what my.chooseImage picks. Resolves to `{guestbook, list, my}`.
 */
function openApp(name, { photos = [], legacy = false, cloudConfig = config } = {}) {
  const my = alipayMy(name, { photos, legacy });
  let app;
  let pageDef;
  const ctx = miniContext(my, {
    App: (def) => { app = def; },
    getApp: () => app,
    Page: (def) => { pageDef = def; },
  });
  loadModule(ctx, join(example, 'app.js'), { [join(example, 'config.js')]: { ...cloudConfig, localUser: name } });
  app.onLaunch();
  const pages = { my };
  Object.keys(PAGES).forEach((key) => {
    loadModule(ctx, join(example, PAGES[key]));
    pages[key] = Object.assign(Object.create(pageDef), {
      data: JSON.parse(JSON.stringify(pageDef.data)),
      setData(patch) { Object.assign(this.data, patch); },
    });
  });
  return pages;
}

/** A Node client logged in as `name` (the same uid as the page's user of that name). */
async function nodeAs(name, cloudConfig = config) {
  const client = createClient(cloudConfig);
  await client.login(`${name}:node-${Date.now()}`);
  return client;
}

const tap = (dataset) => ({ target: { dataset } });
const typed = (value) => ({ detail: { value } });
const user = (who) => `${who}${stamp}`;
const fresh = () => { stamp += 1; };

function photoFile(bytes) {
  const file = join(mkdtempSync(join(tmpdir(), 'guestbook-')), 'photo.jpg');
  writeFileSync(file, bytes);
  return file;
}

const fetchBytes = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());

/** The db events the page sent through my.request since `from`, as their ops. */
const opsSince = (my, from) => my.calls.slice(from).filter((c) => c.api === 'request' && c.url !== config.sessionUrl
  && c.url.includes('/invocations')).map((c) => JSON.parse(c.opts.data).op);

async function rejectsDenied(promise) {
  await assert.rejects(promise, (e) => e.code === 'PERMISSION_DENIED' || assert.fail(`${e.code}: ${e.message}`));
}

describe('the guestbook page', () => {
  test('alice posts with a photo; bob sees it first, with the photo from alice\'s public folder; only alice changes '
    + 'or deletes it', async () => {
    fresh();
    const bytes = Buffer.from('a guestbook photo \u00ff\u0000');
    const alice = openApp(user('alice'), { photos: [photoFile(bytes)] });
    await alice.guestbook.onLoad();
    assert.equal(alice.guestbook.data.error, '');

    alice.guestbook.onTextInput(typed('  '));
    await alice.guestbook.onPost();
    assert.equal(alice.guestbook.data.error, 'Write something first.');
    alice.guestbook.onTextInput(typed('hello from alice'));
    await alice.guestbook.onChoosePhoto();
    assert.match(alice.guestbook.data.photo, /photo\.jpg$/);
    await alice.guestbook.onPost();
    assert.equal(alice.guestbook.data.error, '');
    assert.equal(alice.guestbook.data.text, '');
    assert.equal(alice.guestbook.data.photo, '');
    const [mine] = plain(alice.guestbook.data.posts);
    assert.equal(mine.text, 'hello from alice');
    assert.equal(mine.mine, true);
    assert.equal(mine.likes, 0);
    assert.match(mine.photo, /^guestbook\/[0-9a-z]+-[0-9a-z]+\.jpg$/);
    assert.deepEqual(await fetchBytes(mine.photoUrl), bytes);
    const chooser = alice.my.calls.find((c) => c.api === 'chooseImage').opts;
    assert.deepEqual([chooser.count, plain(chooser.sourceType)], [1, ['camera', 'album']]);

    const aliceNode = await nodeAs(user('alice'));
    const bobNode = await nodeAs(user('bob'));
    try {
      // the photo is in alice's public folder, which bob lists and reads with owner
      const row = (await aliceNode.db.collection('guestbook').doc(mine.id).get()).data;
      assert.equal(row._owner, aliceNode.userId);
      assert.equal(row.photo, mine.photo);
      assert.deepEqual((await bobNode.files.list({ prefix: 'guestbook/', public: true, owner: aliceNode.userId }))
        .items.map((f) => f.path), [mine.photo]);
      assert.deepEqual((await aliceNode.files.list({ prefix: 'guestbook/' })).items, [], 'not in the private folder');

      const bob = openApp(user('bob'));
      await bob.guestbook.onLoad();
      assert.equal(bob.guestbook.data.error, '');
      const seen = plain(bob.guestbook.data.posts[0]);
      assert.deepEqual([seen.id, seen.text, seen.mine, seen.owner], [mine.id, 'hello from alice', false, aliceNode.userId]);
      assert.deepEqual(await fetchBytes(seen.photoUrl), bytes);

      bob.guestbook.onTextInput(typed('hi from bob'));
      await bob.guestbook.onPost();
      const [bobs, alices] = plain(bob.guestbook.data.posts);
      assert.deepEqual([bobs.text, bobs.mine, bobs.photoUrl], ['hi from bob', true, ''], 'newest first');
      assert.equal(alices.id, mine.id);

      // likes: atomic increments, the author's alone (creator-write)
      await alice.guestbook.onLike(tap({ id: mine.id }));
      await alice.guestbook.onLike(tap({ id: mine.id }));
      assert.equal(alice.guestbook.data.error, '');
      assert.equal(alice.guestbook.data.posts.find((p) => p.id === mine.id).likes, 2);
      const _ = aliceNode.db.command;
      await Promise.all(Array.from({ length: 10 }, () => aliceNode.db.collection('guestbook').doc(mine.id)
        .update({ likes: _.inc(1) })));
      assert.equal((await bobNode.db.collection('guestbook').doc(mine.id).get()).data.likes, 12);

      await bob.guestbook.onLike(tap({ id: mine.id }));
      assert.match(bob.guestbook.data.error, /\S/, 'bob may not change alice\'s post');
      await rejectsDenied(bobNode.db.collection('guestbook').doc(mine.id).update({ likes: _.inc(1) }));
      await bob.guestbook.onDelete(tap({ id: mine.id }));
      assert.match(bob.guestbook.data.error, /\S/);
      await rejectsDenied(bobNode.files.remove(mine.photo, { public: true, owner: aliceNode.userId }));
      const still = (await bobNode.db.collection('guestbook').doc(mine.id).get()).data;
      assert.deepEqual([still.likes, still.text], [12, 'hello from alice']);

      await alice.guestbook.onDelete(tap({ id: mine.id }));
      assert.equal(alice.guestbook.data.error, '');
      assert.equal(alice.guestbook.data.posts.some((p) => p.id === mine.id), false);
      assert.equal((await bobNode.db.collection('guestbook').doc(mine.id).get()).data, null);
      assert.deepEqual((await bobNode.files.list({ prefix: 'guestbook/', public: true, owner: aliceNode.userId })).items, []);
    } finally {
      aliceNode.close();
      bobNode.close();
    }
  });

  test('the page shows the latest 20 posts, newest first (ties by id), as the query orders them', async () => {
    fresh();
    const carol = await nodeAs(user('carol'));
    try {
      const added = [];
      for (let i = 0; i < 22; i += 1) added.push((await carol.db.collection('guestbook').add({ text: `post ${i}` })).id);
      const rows = await Promise.all(added.map(async (id) => (await carol.db.collection('guestbook').doc(id).get()).data));
      const expected = rows.sort((a, b) => (b._createdAt - a._createdAt) || (a.id < b.id ? -1 : 1)).slice(0, 20)
        .map((r) => r.id);
      const dave = openApp(user('dave'));
      const from = dave.my.calls.length;
      await dave.guestbook.onLoad();
      assert.equal(dave.guestbook.data.error, '');
      assert.deepEqual(plain(dave.guestbook.data.posts.map((p) => p.id)), expected);
      assert.deepEqual(opsSince(dave.my, from), ['query'], 'one query, no photo to sign');
      const query = dave.my.calls.filter((c) => c.api === 'request').map((c) => JSON.parse(c.opts.data))
        .find((e) => e.op === 'query');
      assert.deepEqual([query.table, query.orderBy, query.limit, query.where], ['guestbook', [['_createdAt', 'desc']], 20,
        undefined]);
    } finally {
      carol.close();
    }
  });

  test('an older base library\'s my.chooseImage (apFilePaths only) posts the photo as well', async () => {
    fresh();
    const bytes = Buffer.from('legacy photo');
    const erin = openApp(user('erin'), { photos: [photoFile(bytes)], legacy: true });
    await erin.guestbook.onLoad();
    await erin.guestbook.onChoosePhoto();
    erin.guestbook.onTextInput(typed('from an old phone'));
    await erin.guestbook.onPost();
    assert.equal(erin.guestbook.data.error, '');
    assert.deepEqual(await fetchBytes(erin.guestbook.data.posts[0].photoUrl), bytes);
    // nothing picked (the user cancelled): no photo, no error
    await erin.guestbook.onChoosePhoto();
    assert.deepEqual([erin.guestbook.data.photo, erin.guestbook.data.error], ['', '']);
  });
});

describe('the shared-list page (lists: rules)', () => {
  test('alice creates a list and shares it with bob: both see and tick items; carol is refused, even with the id; '
    + 'only alice deletes', async () => {
    fresh();
    const alice = openApp(user('alice'));
    const bob = openApp(user('bob'));
    const carol = openApp(user('carol'));
    await Promise.all([alice.list.onLoad(), bob.list.onLoad()]);
    const bobUid = bob.list.data.userId;

    alice.list.onNameInput(typed('Groceries'));
    await alice.list.onCreate();
    assert.equal(alice.list.data.error, '');
    const { id } = alice.list.data.current;
    assert.deepEqual(plain(alice.list.data.current), {
      id, name: 'Groceries', owner: alice.list.data.userId, mine: true, members: [], items: [], version: 1,
    });
    assert.deepEqual(plain(alice.list.data.lists.find((l) => l.id === id)), { id, name: 'Groceries', mine: true });
    for (const text of ['milk', 'eggs']) {
      alice.list.onItemInput(typed(text));
      await alice.list.onAddItem();
    }
    assert.deepEqual(plain(alice.list.data.current.items.map((i) => [i.text, i.done])), [['milk', false], ['eggs', false]]);

    // not shared yet: bob is refused by the rule and does not see it listed
    await bob.list.onOpen(tap({ id }));
    assert.match(bob.list.data.error, /\S/);
    assert.equal(bob.list.data.current, null);
    await bob.list.reload();
    assert.equal(bob.list.data.lists.some((l) => l.id === id), false);

    alice.list.onMemberInput(typed(bobUid));
    await alice.list.onAddMember();
    assert.equal(alice.list.data.error, '');
    assert.deepEqual(plain(alice.list.data.current.members), [bobUid]);

    await bob.list.reload();
    assert.deepEqual(plain(bob.list.data.lists.find((l) => l.id === id)), { id, name: 'Groceries', mine: false });
    await bob.list.onOpen(tap({ id }));
    assert.equal(bob.list.data.error, '');
    const milk = bob.list.data.current.items[0].key;
    await bob.list.onTick(tap({ key: milk }));
    bob.list.onItemInput(typed('bread'));
    await bob.list.onAddItem();
    assert.equal(bob.list.data.error, '');

    // alice's page still holds the list as it was before bob's changes: her tick is a CONFLICT, shown again
    const eggs = alice.list.data.current.items[1].key;
    await alice.list.onTick(tap({ key: eggs }));
    assert.equal(alice.list.data.error, 'Someone changed this list meanwhile: here it is again.');
    assert.deepEqual(plain(alice.list.data.current.items.map((i) => [i.text, i.done])),
      [['milk', true], ['eggs', false], ['bread', false]]);
    await alice.list.onTick(tap({ key: eggs }));
    assert.equal(alice.list.data.error, '');
    assert.deepEqual(plain(alice.list.data.current.items.map((i) => i.done)), [true, true, false]);

    // carol, a third user, with the list's id (a shared link): refused; her lists do not hold it
    await carol.list.onLoad({ id });
    assert.match(carol.list.data.error, /\S/);
    assert.equal(carol.list.data.current, null);
    assert.equal(carol.list.data.lists.some((l) => l.id === id), false);
    const carolNode = await nodeAs(user('carol'));
    try {
      await rejectsDenied(carolNode.db.collection('lists').doc(id).get());
      await rejectsDenied(carolNode.db.collection('lists').doc(id).update({ name: 'mine now' }));
      await rejectsDenied(carolNode.db.collection('lists').doc(id).remove());
      assert.equal(await carolNode.db.collection('lists').where({ _owner: alice.list.data.userId }).count(), 0);
    } finally {
      carolNode.close();
    }

    // a member may update but not delete (delete: doc._owner == auth.uid)
    await bob.list.onDeleteList();
    assert.match(bob.list.data.error, /\S/);
    await alice.list.onOpen(tap({ id }));
    assert.equal(alice.list.data.current.id, id);

    await alice.list.onRemoveMember(tap({ uid: bobUid }));
    assert.deepEqual(plain(alice.list.data.current.members), []);
    await bob.list.onOpen(tap({ id }));
    assert.match(bob.list.data.error, /\S/);

    await alice.list.onDeleteList();
    assert.equal(alice.list.data.error, '');
    assert.equal(alice.list.data.current, null);
    const aliceNode = await nodeAs(user('alice'));
    try {
      assert.equal((await aliceNode.db.collection('lists').doc(id).get()).data, null);
    } finally {
      aliceNode.close();
    }
  });
});

describe('the search index\'s lag', () => {
  let lagging;
  let lagConfig;
  // a lag far longer than the test: a query cannot have caught up, whatever the machine's speed
  before(async () => {
    lagging = await startLocalCloud(tempDataDir(), ['--template', template, '--search-lag-ms', '600000']);
    lagConfig = configOf(lagging.ready);
  });
  after(() => lagging?.stop());

  test('a query right after an add does not list the row yet while get does; the page shows the new post by get',
    async () => {
      fresh();
      const frank = await nodeAs(user('frank'), lagConfig);
      try {
        const { id } = await frank.db.collection('guestbook').add({ text: 'just now' });
        const { data } = await frank.db.collection('guestbook').orderBy('_createdAt', 'desc').get();
        assert.equal(data.some((r) => r.id === id), false, 'the index has not caught up');
        assert.equal((await frank.db.collection('guestbook').doc(id).get()).data.text, 'just now');
      } finally {
        frank.close();
      }
      const gina = openApp(user('gina'), { cloudConfig: lagConfig });
      await gina.guestbook.onLoad();
      gina.guestbook.onTextInput(typed('mine, at once'));
      const from = gina.my.calls.length;
      await gina.guestbook.onPost();
      assert.equal(gina.guestbook.data.error, '');
      assert.equal(gina.guestbook.data.posts[0].text, 'mine, at once');
      assert.deepEqual(opsSince(gina.my, from), ['add', 'query', 'get']);
    });
});
