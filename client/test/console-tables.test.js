// The local-cloud console's Tables view in a real browser (Debian's headless Chromium driven by playwright-core, as
// console.test.js): local-cloud serves examples/guestbook/template.yml with --search-lag-ms 0; two users write
// through the client, then the console shows each declared table's mode, rules, indexes and search index, runs
// queries as a chosen user (the rows that user may read, in the order asked) and shows a refusal's code and message,
// and sets the search lag. A screenshot goes to client/target/console-screenshots/tables.png.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createClient } from '../src/index.js';
import { repoRoot, startLocalCloud, tempDataDir } from './local-cloud.js';
import { alipayMy } from './sandbox.js';

const WAIT_MS = 20000;
const LAUNCH_MS = 60000;
const SHOTS = join(repoRoot, 'client', 'target', 'console-screenshots');
const TEMPLATE = join(repoRoot, 'examples', 'guestbook', 'template.yml');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}: the console tests need Debian's chromium package `
      + '(sudo apt-get install chromium; npm test installs it as root: scripts/ensure-chromium.mjs) or CHROMIUM_PATH '
      + 'naming a Chromium binary.');
  }
  return path;
}

const testId = (id, attrs = {}) => `[data-testid="${id}"]${Object.entries(attrs)
  .map(([k, v]) => `[data-${k}="${String(v).replace(/["\\]/g, '\\$&')}"]`).join('')}`;

let cloud;
let browser;
let page;
const pageErrors = [];
const users = {};

async function login(name) {
  const r = cloud.ready;
  const client = createClient({
    endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
    sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName, my: alipayMy(name),
  });
  users[name] = { client, uid: (await client.login()).userId };
}

/** Runs a query in the console and resolves to the admin API's answer (status and JSON). */
async function runQuery({ table, user, where = '', orderBy = '', limit = '20' }) {
  await page.locator(testId('query-table')).selectOption(table);
  await page.locator(testId('query-user')).selectOption(users[user].uid);
  await page.locator(testId('query-where')).fill(where);
  await page.locator(testId('query-order')).fill(orderBy);
  await page.locator(testId('query-limit')).fill(limit);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/_admin/data-tables/${table}/query`)),
    page.locator(testId('query-run')).click(),
  ]);
  return { status: answer.status(), body: await answer.json() };
}

before(async () => {
  const executablePath = chromiumPath();
  mkdirSync(SHOTS, { recursive: true });
  cloud = await startLocalCloud(tempDataDir(), ['--template', TEMPLATE, '--search-lag-ms', '0']);
  for (const name of ['alice', 'bob', 'carol']) await login(name);
  const guestbook = (u) => users[u].client.db.collection('guestbook');
  await guestbook('alice').add({ text: 'first', likes: 1 });
  await guestbook('bob').add({ text: 'hello', likes: 3 });
  await guestbook('alice').add({ text: 'second', likes: 5 });
  await users.alice.client.db.collection('lists').add({ title: 'groceries', members: [users.bob.uid] });

  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: LAUNCH_MS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(cloud.ready.consoleUrl);
  await page.locator(testId('nav-tables')).click();
  await page.locator(testId('table-row', { table: 'guestbook' })).waitFor();
});

after(async () => {
  await browser?.close();
  for (const u of Object.values(users)) u.client.close();
  await cloud?.stop();
});

describe('the console Tables view', { timeout: 120000 }, () => {
  test('shows each declared table with its mode, rules, declared indexes and search index', async () => {
    const row = (table) => page.locator(testId('table-row', { table }));
    assert.equal(await row('guestbook').locator(testId('table-mode')).innerText(), 'creator-write');
    assert.match(await row('guestbook').locator(testId('table-indexes')).innerText(), /likes: integer/);
    const index = await row('guestbook').locator(testId('table-search-index')).innerText();
    assert.match(index, /guestbook_index/);
    assert.match(index, /likes: LONG/);
    assert.equal(await row('lists').locator(testId('table-mode')).innerText(), 'rules');
    const rules = await row('lists').locator(testId('table-rules')).innerText();
    assert.match(rules, /read: doc\._owner == auth\.uid \|\| auth\.uid in doc\.members/);
    assert.match(rules, /delete: doc\._owner == auth\.uid/);
    assert.match(await row('lists').locator(testId('table-search-index')).innerText(), /members: KEYWORD\[\] \(no sort\)/);
    assert.equal(await row('secrets').locator(testId('table-mode')).innerText(), 'server-only');
    assert.equal(await page.locator(testId('tables-source')).innerText(), 'from DATA_TABLES');
  });

  test('a query as a user shows the rows that user may read in the order asked', async () => {
    const { status, body } = await runQuery({ table: 'guestbook', user: 'carol', orderBy: '[["likes", "desc"]]' });
    assert.equal(status, 200);
    assert.deepEqual(body.data.map((p) => p.text), ['second', 'hello', 'first']);
    await page.locator(testId('query-count'), { hasText: '3 rows' }).waitFor();
    const shown = JSON.parse(await page.locator(testId('query-rows')).innerText());
    assert.deepEqual(shown.map((p) => p.likes), [5, 3, 1]);
    assert.equal(shown[0]._owner, users.alice.uid);
    assert.equal(await page.locator(testId('query-error')).innerText(), '');
  });

  test('a rules table answers its member, not another user, and pages with Next', async () => {
    const member = await runQuery({ table: 'lists', user: 'bob' });
    assert.equal(member.status, 200);
    assert.deepEqual(member.body.data.map((l) => l.title), ['groceries']);
    const other = await runQuery({ table: 'lists', user: 'carol' });
    assert.equal(other.status, 200);
    assert.deepEqual(other.body.data, []);

    const first = await runQuery({ table: 'guestbook', user: 'bob', orderBy: '[["likes", "asc"]]', limit: '2' });
    assert.deepEqual(first.body.data.map((p) => p.likes), [1, 3]);
    assert.equal(typeof first.body.next, 'string');
    const [next] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/_admin/data-tables/guestbook/query')),
      page.locator(testId('query-next')).click(),
    ]);
    const rest = await next.json();
    assert.deepEqual(rest.data.map((p) => p.likes), [5]);
    assert.equal(rest.next, null);
    await page.locator(testId('query-count'), { hasText: '1 row' }).waitFor();
    assert.ok(await page.locator(testId('query-next')).isDisabled());
  });

  test('a refused query shows the code and the message, and no rows', async () => {
    const denied = await runQuery({ table: 'secrets', user: 'alice' });
    assert.equal(denied.status, 403);
    await page.locator(testId('query-error'), { hasText: /403: .*server-only/ }).waitFor();
    assert.equal(await page.locator(testId('query-rows')).innerText(), '');
    assert.ok(await page.locator('#banner').isHidden(), 'a refused query is no refusal of the console');

    const unindexed = await runQuery({ table: 'guestbook', user: 'alice', where: '{"text": "first"}' });
    assert.equal(unindexed.status, 400);
    assert.equal(unindexed.body.ErrorCode, 'INVALID_ARGUMENT');
    await page.locator(testId('query-error'), { hasText: /400: where\.text/ }).waitFor();

    await page.locator(testId('query-where')).fill('{not json');
    await page.locator(testId('query-run')).click();
    await page.locator(testId('query-error'), { hasText: 'where is not JSON' }).waitFor();
  });

  test('sets the search lag', async () => {
    await page.locator(testId('lag-ms')).fill('250');
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/_admin/search-lag') && r.request().method() === 'POST'),
      page.locator(testId('lag-set')).click(),
    ]);
    assert.equal((await answer.json()).ms, 250);
    const res = await fetch(`${cloud.ready.adminUrl}/_admin/search-lag`, {
      headers: { 'x-local-cloud-token': cloud.ready.adminToken }, signal: AbortSignal.timeout(WAIT_MS),
    });
    assert.equal((await res.json()).ms, 250);
    await page.screenshot({ path: join(SHOTS, 'tables.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  });
});
