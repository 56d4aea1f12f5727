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
import {
  alipayMy, loadModule, miniContext, miniStorage, plain,
} from './sandbox.js';

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
 * pages; `photos`: what my.chooseImage picks; `storage`: the phone's storage (the same one again: a relaunch).
 * Resolves to `{guestbook, list, my}`.
 */
function openApp(name, {
  photos = [], legacy = false, cloudConfig = config, storage = miniStorage(),
} = {}) {
  const my = alipayMy(name, { photos, legacy, storage });
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

/**
 * `name` opens the app and posts `text` with a photo of `bytes` from the guestbook page; resolves to
 * `{app, post}` (post: the page's first post after it).
 */
async function postWithPhoto(name, text, bytes) {
  const app = openApp(name, { photos: [photoFile(bytes)] });
  await app.guestbook.onLoad();
  app.guestbook.onTextInput(typed(text));
  await app.guestbook.onChoosePhoto();
  await app.guestbook.onPost();
  assert.equal(app.guestbook.data.error, '');
  return { app, post: plain(app.guestbook.data.posts[0]) };
}

describe('the guestbook page', () => {
  test('alice posts with a photo in her public folder; bob sees it first, the photo included; newest first',
    async () => {
      fresh();
      const bytes = Buffer.from('a guestbook photo \u00ff\u0000');
      const { app: alice, post: mine } = await postWithPhoto(user('alice'), 'hello from alice', bytes);
      assert.deepEqual([alice.guestbook.data.text, alice.guestbook.data.photo], ['', '']);
      assert.deepEqual([mine.text, mine.mine, mine.likes], ['hello from alice', true, 0]);
      assert.match(mine.photo, /^guestbook\/[0-9a-z]+-[0-9a-z]+\.jpg$/);
      assert.deepEqual(await fetchBytes(mine.photoUrl), bytes);
      const chooser = alice.my.calls.find((c) => c.api === 'chooseImage').opts;
      assert.deepEqual([chooser.count, plain(chooser.sourceType)], [1, ['camera', 'album']]);

      const [aliceNode, bobNode] = await Promise.all([nodeAs(user('alice')), nodeAs(user('bob'))]);
      try {
        const row = (await aliceNode.db.collection('guestbook').doc(mine.id).get()).data;
        assert.deepEqual([row._owner, row.photo], [aliceNode.userId, mine.photo]);
        assert.deepEqual((await bobNode.files.list({ prefix: 'guestbook/', public: true, owner: aliceNode.userId }))
          .items.map((f) => f.path), [mine.photo]);
        assert.deepEqual((await aliceNode.files.list({ prefix: 'guestbook/' })).items, [], 'not the private folder');
      } finally {
        aliceNode.close();
        bobNode.close();
      }

      const bob = openApp(user('bob'));
      await bob.guestbook.onLoad();
      assert.equal(bob.guestbook.data.error, '');
      const seen = plain(bob.guestbook.data.posts[0]);
      assert.deepEqual([seen.id, seen.text, seen.mine, seen.owner], [mine.id, 'hello from alice', false, alice.guestbook.data.userId]);
      assert.deepEqual(await fetchBytes(seen.photoUrl), bytes);
      bob.guestbook.onTextInput(typed('hi from bob'));
      await bob.guestbook.onPost();
      const [bobs, alices] = plain(bob.guestbook.data.posts);
      assert.deepEqual([bobs.text, bobs.mine, bobs.photoUrl, alices.id], ['hi from bob', true, '', mine.id]);
    });

  test('bob likes alice\'s post through the like function: once, also from a second device; a tap again takes it '
    + 'back; only alice deletes, her photo with it', async () => {
    fresh();
    const { app: alice, post } = await postWithPhoto(user('alice'), 'like me', Buffer.from('photo'));
    const [bob, bobsPhone] = [openApp(user('bob')), openApp(user('bob'))];
    await Promise.all([bob.guestbook.onLoad(), bobsPhone.guestbook.onLoad()]);
    const [aliceNode, bobNode] = await Promise.all([nodeAs(user('alice')), nodeAs(user('bob'))]);
    const doc = (client) => client.db.collection('guestbook').doc(post.id);
    const shownTo = (page) => plain(page.data.posts.find((p) => p.id === post.id));
    try {
      assert.deepEqual([shownTo(bob.guestbook).mine, shownTo(bob.guestbook).liked, shownTo(bob.guestbook).likes],
        [false, false, 0]);
      const from = bob.my.calls.length;
      await bob.guestbook.onLike(tap({ id: post.id }));
      assert.equal(bob.guestbook.data.error, '');
      assert.deepEqual([shownTo(bob.guestbook).likes, shownTo(bob.guestbook).liked], [1, true]);
      const sent = bob.my.calls.slice(from).filter((c) => c.api === 'request');
      assert.deepEqual(sent.map((c) => new URL(c.url).pathname),
        ['/2016-08-15/services/fc-miniapp-like/functions/like/invocations'], 'one call of the like function');
      assert.deepEqual(JSON.parse(sent[0].opts.data).input, { id: post.id });

      // bob's phone still shows the post unliked: its tap is a like again, and it counts once
      assert.equal(shownTo(bobsPhone.guestbook).liked, false);
      await bobsPhone.guestbook.onLike(tap({ id: post.id }));
      assert.equal(bobsPhone.guestbook.data.error, '');
      assert.deepEqual([shownTo(bobsPhone.guestbook).likes, shownTo(bobsPhone.guestbook).liked], [1, true]);

      await alice.guestbook.onLike(tap({ id: post.id }));
      assert.equal(alice.guestbook.data.error, '');
      assert.deepEqual([shownTo(alice.guestbook).likes, shownTo(alice.guestbook).liked], [2, true]);
      let row = (await doc(bobNode).get()).data;
      assert.deepEqual([row.likes, plain(row.likedBy), row.text, row._owner],
        [2, [bobNode.userId, aliceNode.userId], 'like me', aliceNode.userId]);

      // ten more users at once, through the client's call: each counted once
      const fans = await Promise.all(Array.from({ length: 10 }, (_, i) => nodeAs(user(`fan${i}`))));
      try {
        await Promise.all(fans.map((fan) => fan.call('like', { id: post.id })));
        await Promise.all(fans.slice(0, 3).map((fan) => fan.call('like', { id: post.id })));
      } finally {
        fans.forEach((fan) => fan.close());
      }
      row = (await doc(bobNode).get()).data;
      assert.equal(row.likes, 12, 'ten simultaneous likes all counted, three repeated ones not');
      assert.equal(new Set(row.likedBy).size, 12);

      // bob taps again: his like is taken back
      await bob.guestbook.onLike(tap({ id: post.id }));
      assert.equal(bob.guestbook.data.error, '');
      assert.deepEqual([shownTo(bob.guestbook).likes, shownTo(bob.guestbook).liked], [11, false]);
      assert.equal(plain((await doc(aliceNode).get()).data.likedBy).includes(bobNode.userId), false);

      // creator-write: bob may not change alice's post himself, nor remove it or her photo
      const _ = bobNode.db.command;
      await rejectsDenied(doc(bobNode).update({ likes: _.inc(1) }));
      await bob.guestbook.onDelete(tap({ id: post.id }));
      assert.match(bob.guestbook.data.error, /\S/);
      await rejectsDenied(bobNode.files.remove(post.photo, { public: true, owner: aliceNode.userId }));
      const still = (await doc(bobNode).get()).data;
      assert.deepEqual([still.likes, still.text], [11, 'like me']);

      await alice.guestbook.onDelete(tap({ id: post.id }));
      assert.equal(alice.guestbook.data.error, '');
      assert.equal(alice.guestbook.data.posts.some((p) => p.id === post.id), false);
      assert.equal((await doc(bobNode).get()).data, null);
      assert.deepEqual((await bobNode.files.list({ prefix: 'guestbook/', public: true, owner: aliceNode.userId })).items,
        []);
      // a like of the deleted post, from a page that still shows it: NOT_FOUND, shown
      await bobsPhone.guestbook.onLike(tap({ id: post.id }));
      assert.equal(bobsPhone.guestbook.data.error, 'No post with this id.');
    } finally {
      aliceNode.close();
      bobNode.close();
    }
  });

  test('a relaunch uses the session kept on the phone: no session call, both pages load with their db calls alone',
    async () => {
      fresh();
      const phone = miniStorage();
      const sessionCalls = (my) => my.calls.filter((c) => c.url === config.sessionUrl)
        .map((c) => JSON.parse(c.opts.data).action);
      const first = openApp(user('hana'), { storage: phone });
      await Promise.all([first.guestbook.onLoad(), first.list.onLoad()]);
      assert.deepEqual([first.guestbook.data.error, first.list.data.error], ['', '']);
      assert.deepEqual(sessionCalls(first.my), ['login'], 'one login shared by both pages');

      const again = openApp(user('hana'), { storage: phone });
      await Promise.all([again.guestbook.onLoad(), again.list.onLoad()]);
      assert.deepEqual([again.guestbook.data.error, again.list.data.error], ['', '']);
      assert.equal(again.guestbook.data.userId, first.guestbook.data.userId);
      assert.deepEqual(sessionCalls(again.my), []);
      assert.deepEqual(again.my.calls.filter((c) => c.api !== 'request'), [], 'no my.getAuthCode either');
      assert.deepEqual(opsSince(again.my, 0).sort(), opsSince(first.my, 0).sort(), 'the same db calls as the first');
    });

  test('a post needs a text; the page says so and sends nothing', async () => {
    fresh();
    const alice = openApp(user('alice'));
    await alice.guestbook.onLoad();
    const from = alice.my.calls.length;
    alice.guestbook.onTextInput(typed('  '));
    await alice.guestbook.onPost();
    assert.equal(alice.guestbook.data.error, 'Write something first.');
    assert.deepEqual(opsSince(alice.my, from), []);
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

/**
 * alice creates the list `name` with the items milk and eggs from the list page and shares it with bob; resolves
 * to `{alice, bob, id}` (both apps, the list page open on it for alice).
 */
async function sharedList(name) {
  const alice = openApp(user('alice'));
  const bob = openApp(user('bob'));
  await Promise.all([alice.list.onLoad(), bob.list.onLoad()]);
  alice.list.onNameInput(typed(name));
  await alice.list.onCreate();
  assert.equal(alice.list.data.error, '');
  const { id } = alice.list.data.current;
  for (const text of ['milk', 'eggs']) {
    alice.list.onItemInput(typed(text));
    await alice.list.onAddItem();
  }
  // not shared yet: bob is refused by the rule, and his lists do not hold it
  await bob.list.onOpen(tap({ id }));
  assert.match(bob.list.data.error, /\S/);
  assert.equal(bob.list.data.current, null);
  await bob.list.reload();
  assert.equal(bob.list.data.lists.some((l) => l.id === id), false);
  alice.list.onMemberInput(typed(bob.list.data.userId));
  await alice.list.onAddMember();
  assert.equal(alice.list.data.error, '');
  return { alice, bob, id };
}

const itemsOf = (page) => plain(page.data.current.items.map((i) => [i.text, i.done]));

describe('the shared-list page (lists: rules)', () => {
  test('alice creates a list and shares it by uid; both see it and tick items; a stale tick is shown again',
    async () => {
      fresh();
      const { alice, bob, id } = await sharedList('Groceries');
      assert.deepEqual(plain(alice.list.data.current), {
        id, name: 'Groceries', owner: alice.list.data.userId, mine: true, members: [bob.list.data.userId],
        items: plain(alice.list.data.current.items), version: 4,
      });
      assert.deepEqual(itemsOf(alice.list), [['milk', false], ['eggs', false]]);
      assert.deepEqual(plain(alice.list.data.lists.find((l) => l.id === id)), { id, name: 'Groceries', mine: true });

      await bob.list.reload();
      assert.deepEqual(plain(bob.list.data.lists.find((l) => l.id === id)), { id, name: 'Groceries', mine: false });
      await bob.list.onOpen(tap({ id }));
      assert.equal(bob.list.data.error, '');
      await bob.list.onTick(tap({ key: bob.list.data.current.items[0].key }));
      bob.list.onItemInput(typed('bread'));
      await bob.list.onAddItem();
      assert.equal(bob.list.data.error, '');
      assert.deepEqual(itemsOf(bob.list), [['milk', true], ['eggs', false], ['bread', false]]);

      // alice's page still holds the list from before bob's changes: her tick is a CONFLICT, and the list is shown again
      const eggs = alice.list.data.current.items[1].key;
      await alice.list.onTick(tap({ key: eggs }));
      assert.equal(alice.list.data.error, 'Someone changed this list meanwhile: here it is again.');
      assert.deepEqual(itemsOf(alice.list), [['milk', true], ['eggs', false], ['bread', false]]);
      await alice.list.onTick(tap({ key: eggs }));
      assert.equal(alice.list.data.error, '');
      assert.deepEqual(itemsOf(alice.list), [['milk', true], ['eggs', true], ['bread', false]]);
    });

  test('carol, a third user, is refused even with the list\'s id; a member may not delete; a removed member is '
    + 'refused; the owner deletes', async () => {
    fresh();
    const { alice, bob, id } = await sharedList('Party');
    const carol = openApp(user('carol'));
    await carol.list.onLoad({ id }); // a shared link: pages/list/list?id=…
    assert.match(carol.list.data.error, /\S/);
    assert.equal(carol.list.data.current, null);
    assert.equal(carol.list.data.lists.some((l) => l.id === id), false);
    const carolNode = await nodeAs(user('carol'));
    try {
      const doc = carolNode.db.collection('lists').doc(id);
      await rejectsDenied(doc.get());
      await rejectsDenied(doc.update({ name: 'mine now' }));
      await rejectsDenied(doc.remove());
      assert.equal(await carolNode.db.collection('lists').where({ _owner: alice.list.data.userId }).count(), 0);
    } finally {
      carolNode.close();
    }

    await bob.list.onOpen(tap({ id }));
    await bob.list.onDeleteList();
    assert.match(bob.list.data.error, /\S/, 'delete: doc._owner == auth.uid');
    await alice.list.onOpen(tap({ id }));
    assert.equal(alice.list.data.current.name, 'Party');

    await alice.list.onRemoveMember(tap({ uid: bob.list.data.userId }));
    assert.deepEqual(plain(alice.list.data.current.members), []);
    await bob.list.onOpen(tap({ id }));
    assert.match(bob.list.data.error, /\S/);

    await alice.list.onDeleteList();
    assert.deepEqual([alice.list.data.error, alice.list.data.current], ['', null]);
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
