// examples/todo-miniprogram's page logic in the mini-program sandbox against local-cloud: App/Page/getApp/my
// are provided as the Alipay runtime provides them; onLoad and the tap handlers are driven as a user would.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../src/index.js';
import { repoRoot, startForClients } from './local-cloud.js';
import {
  alipayMy, fault, loadModule, miniContext, miniStorage, plain,
} from './sandbox.js';

const example = join(repoRoot, 'examples', 'todo-miniprogram');
let cloud;
let config;

before(async () => { ({ cloud, config } = await startForClients()); });
after(() => cloud?.stop());

/**
 * Starts the example app as the Alipay runtime does and opens its index page; config.js points at local-cloud.
 * `storage`: the phone's storage (the same one again: a relaunch).
 */
function openApp(name, photo, extraConfig = {}, storage = miniStorage()) {
  const my = alipayMy(name, { storage });
  my.chooseImage = (opts) => setImmediate(() => opts.success({ apFilePaths: [photo] }));
  let app;
  let pageDef;
  const ctx = miniContext(my, {
    App: (def) => { app = def; },
    getApp: () => app,
    Page: (def) => { pageDef = def; },
  });
  loadModule(ctx, join(example, 'app.js'), { [join(example, 'config.js')]: { ...config, ...extraConfig } });
  app.onLaunch();
  loadModule(ctx, join(example, 'pages', 'index', 'index.js'));
  const page = Object.assign(Object.create(pageDef), {
    data: JSON.parse(JSON.stringify(pageDef.data)),
    setData(patch) { Object.assign(this.data, patch); },
  });
  return { page, app, my };
}

const tap = (id) => ({ target: { dataset: { id } } });

test('the todo page logs in, adds, completes, attaches a photo, deletes and logs out against the backend', async () => {
  const name = `todo${Date.now()}`;
  const photoBytes = Buffer.from('not really a jpeg \u00ff\u0000');
  const photo = join(mkdtempSync(join(tmpdir(), 'example-')), 'photo.jpg');
  writeFileSync(photo, photoBytes);
  const { page } = openApp(name, photo);
  // the same user seen from node, to check what the server holds
  const server = createClient(config);
  await server.login(`${name}:check`);

  await page.onLoad();
  assert.equal(page.data.error, '');
  assert.equal(page.data.userId, server.userId);
  assert.deepEqual(plain(page.data.todos), []);

  page.onTitleInput({ detail: { value: '  ' } });
  await page.onAdd();
  assert.equal(page.data.error, 'Type what to do first.');
  page.onTitleInput({ detail: { value: 'buy milk' } });
  await page.onAdd();
  assert.equal(page.data.error, '');
  assert.equal(page.data.title, '');
  assert.deepEqual(plain(page.data.todos.map((t) => [t.title, t.done])), [['buy milk', false]]);
  const { id } = page.data.todos[0];
  assert.equal((await server.db.get(id)).title, 'buy milk');

  await page.onToggle(tap(id));
  assert.equal(page.data.todos[0].done, true);
  assert.equal((await server.db.get(id)).done, true);

  await page.onPhoto(tap(id));
  assert.equal(page.data.error, '');
  const todo = page.data.todos[0];
  assert.equal(todo.photo, `photos/${id}.jpg`);
  assert.deepEqual(Buffer.from(await (await fetch(todo.photoUrl)).arrayBuffer()), photoBytes);
  assert.deepEqual((await server.files.list({ prefix: 'photos/' })).items.map((f) => f.path), [todo.photo]);

  await page.onDelete(tap(id));
  assert.deepEqual(plain(page.data.todos), []);
  assert.equal(await server.db.get(id), null);
  assert.deepEqual((await server.files.list({ prefix: 'photos/' })).items, []);

  await page.onLogout();
  assert.equal(page.data.userId, '');
  await server.logout();
});

test('with localUser (local-cloud) the app logs in as that user; a backend failure shows on the page, a retry works',
  async () => {
  const localUser = `local${Date.now()}`;
  const { page } = openApp('unused', '/nonexistent', { localUser });
  await page.onLoad();
  const same = createClient(config);
  assert.equal(page.data.userId, (await same.login(`${localUser}:check`)).userId);
  same.close();
  await fault(cloud.ready, 'tablestore', 'fail');
  try {
    page.onTitleInput({ detail: { value: 'later' } });
    await page.onAdd();
  } finally {
    await fault(cloud.ready, 'tablestore', 'none');
  }
  assert.match(page.data.error, /\S/);
  assert.equal(page.data.busy, false);
  assert.deepEqual(plain(page.data.todos), []);
  await page.onAdd();
  assert.equal(page.data.error, '');
  assert.deepEqual(plain(page.data.todos.map((t) => t.title)), ['later']);
});

test('with localUser, a relaunch uses the session kept on the phone: the page\'s list alone, no session call',
  async () => {
    const localUser = `again${Date.now()}`;
    const phone = miniStorage();
    const first = openApp('unused', '/nonexistent', { localUser }, phone);
    await first.page.onLoad();
    const sent = (my) => my.calls.map((c) => (c.url === config.sessionUrl ? JSON.parse(c.opts.data).action
      : (c.api === 'request' && JSON.parse(c.opts.data).op) || c.api));
    assert.deepEqual(sent(first.my), ['login', 'list']);
    const again = openApp('unused', '/nonexistent', { localUser }, phone);
    assert.equal(again.app.client.userId, first.page.data.userId, 'known at launch, before any request');
    await again.page.onLoad();
    assert.equal(again.page.data.error, '');
    assert.equal(again.page.data.userId, first.page.data.userId);
    assert.deepEqual(sent(again.my), ['list']);

    // another localUser on the same phone keeps a session of its own: it logs in as that user
    const other = openApp('unused', '/nonexistent', { localUser: `${localUser}b` }, phone);
    await other.page.onLoad();
    assert.deepEqual(sent(other.my), ['login', 'list']);
    assert.notEqual(other.page.data.userId, first.page.data.userId);
    [first, again, other].forEach((o) => o.app.client.close());
  });

test('with localUser, a kept session ended on the server: Alipay\'s real code is refused, then a login as localUser',
  async () => {
    const localUser = `ended${Date.now()}`;
    const phone = miniStorage();
    const first = openApp('unused', '/nonexistent', { localUser }, phone);
    await first.page.onLoad();
    const [[key, text]] = [...phone.entries];
    const kept = JSON.parse(text);
    const out = await fetch(config.sessionUrl, { method: 'POST', body: JSON.stringify({ action: 'logout', sessionId: kept.sessionId }) });
    assert.deepEqual(await out.json(), { loggedOut: true });
    kept.sts.Expiration = new Date(Date.now() - 60000).toISOString();
    phone.entries.set(key, JSON.stringify(kept));

    const again = openApp('unused', '/nonexistent', { localUser }, phone);
    // the IDE's my.getAuthCode hands a real Alipay code, which local-cloud's stand-in does not know
    again.my.getAuthCode = (opts) => setImmediate(() => opts.success({ authCode: 'a0b1c2d3e4f5', authSuccessScopes: ['auth_base'] }));
    await again.page.onLoad();
    assert.equal(again.page.data.error, '');
    assert.equal(again.page.data.userId, first.page.data.userId);
    const sessionCalls = again.my.calls.filter((c) => c.url === config.sessionUrl).map((c) => JSON.parse(c.opts.data));
    assert.deepEqual(sessionCalls.map((b) => b.action), ['refresh', 'login', 'login']);
    assert.equal(sessionCalls[1].authCode, 'a0b1c2d3e4f5');
    assert.match(sessionCalls[2].authCode, new RegExp(`^${localUser}:`));
    assert.notEqual(JSON.parse(phone.entries.get(key)).sessionId, kept.sessionId);
    [first, again].forEach((o) => o.app.client.close());
  });

test('a page of photos renews all their URLs in one invocation: the list and one downloadUrls', async () => {
  const name = `photos${Date.now()}`;
  const photo = join(mkdtempSync(join(tmpdir(), 'example-')), 'photo.jpg');
  writeFileSync(photo, 'jpeg bytes');
  const { page, my } = openApp(name, photo);
  await page.onLoad();
  for (const title of ['one', 'two', 'three']) {
    page.onTitleInput({ detail: { value: title } });
    await page.onAdd();
  }
  for (const todo of plain(page.data.todos)) await page.onPhoto(tap(todo.id));
  assert.equal(page.data.error, '');
  const invocations = () => my.calls.filter((c) => c.api === 'request' && c.url !== config.sessionUrl);
  const before = invocations().length;
  await page.reload();
  assert.equal(invocations().length - before, 2);
  const events = invocations().slice(before).map((c) => JSON.parse(c.opts.data).op);
  assert.deepEqual(events, ['list', 'downloadUrls']);
  const todos = plain(page.data.todos);
  assert.equal(todos.length, 3);
  for (const todo of todos) {
    assert.equal(await (await fetch(todo.photoUrl)).text(), 'jpeg bytes', todo.title);
  }
});
