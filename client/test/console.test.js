// The local-cloud console in a real browser: Debian's headless Chromium driven by playwright-core. Two users log in
// through the client, then the console shows them, edits a row (the client reads the edit), deletes a file, shows the
// invocation the client made with its request id, and flips a fault that makes a login fail. A screenshot of each
// view goes to client/target/console-screenshots/.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { createClient, MiniappError } from '../src/index.js';
import { fetchRequest } from '../src/transport.js';
import { repoRoot, startForClients } from './local-cloud.js';
import { alipayMy } from './sandbox.js';

// generous bounds on waits for things that do happen (a first draw on a cold CI machine is slow); a pass never waits
// them out
const WAIT_MS = 20000;
const LAUNCH_MS = 60000;
/** Tabs opened at once, one more than the 6 connections a browser opens to a host. */
const TABS = 7;
/** How long a tab may take to draw a view or a new invocation: far below the 25 s a stalled request waited. */
const TAB_MS = 8000;
const SHOTS = join(repoRoot, 'client', 'target', 'console-screenshots');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** The system Chromium; a missing one fails the run with what to install (never a silent skip). */
function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}: the console tests need Debian's chromium package `
      + '(sudo apt-get install chromium; npm test installs it as root: scripts/ensure-chromium.mjs) or CHROMIUM_PATH '
      + 'naming a Chromium binary.');
  }
  return path;
}

let cloud;
let config;
let browser;
let page;
const pageErrors = [];
const alice = {};
const bob = {};
/** Every answer the clients got: request id, URL and body, to find the request id a call saw. */
const answers = [];

/** A request function recording each answer (as the client sees it) before the client reads it. */
function recordingRequest() {
  const send = fetchRequest(WAIT_MS);
  return async (req) => {
    const res = await send(req);
    answers.push({ url: req.url, body: req.body, requestId: res.headers['x-fc-request-id'], answer: res.body });
    return res;
  };
}

/** A logged-in user: a client with `my` (uploads go through my.uploadFile) and the recording request function. */
async function user(into, name) {
  into.client = createClient({ ...config, my: alipayMy(name), request: recordingRequest() });
  into.uid = (await into.client.login()).userId;
  into.name = name;
}

async function admin(path, init = {}) {
  const res = await fetch(`${cloud.ready.adminUrl}${path}`, {
    ...init,
    headers: { 'x-local-cloud-token': cloud.ready.adminToken, ...(init.headers || {}) },
    signal: AbortSignal.timeout(WAIT_MS),
  });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return res.json();
}

/**
 * Picks a fault mode in the console and waits for local-cloud's answer to the page's POST and the redrawn select:
 * the select shows the new mode at once, before the request has even left the page.
 */
async function setFault(service, mode) {
  const select = page.locator(testId('fault-select', { service }));
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/_admin/faults') && r.request().method() === 'POST'),
    select.selectOption(mode),
  ]);
  assert.equal(answer.status(), 200);
  assert.equal((await answer.json())[service], mode);
  await page.waitForFunction(([s, m]) => document.querySelector(`[data-testid="fault-select"][data-service="${s}"]`)
    ?.value === m, [service, mode], { timeout: WAIT_MS });
}

async function shot(name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

const testId = (id, attrs = {}) => `[data-testid="${id}"]${Object.entries(attrs)
  .map(([k, v]) => `[data-${k}="${String(v).replace(/["\\]/g, '\\$&')}"]`).join('')}`;

before(async () => {
  const executablePath = chromiumPath();
  mkdirSync(SHOTS, { recursive: true });
  ({ cloud, config } = await startForClients());
  await user(alice, 'alice');
  await user(bob, 'bob');
  await alice.client.db.put({ id: 'todo-1', title: 'buy milk', done: false });
  await alice.client.db.put({ id: 'todo-2', title: 'call mum', done: false });
  await bob.client.db.put({ id: 'todo-b', title: 'bob only' });
  const files = mkdtempSync(join(tmpdir(), 'console-files-'));
  writeFileSync(join(files, 'cat.png'), Buffer.from('89504e470d0a1a0a-not-really-a-png', 'utf8'));
  writeFileSync(join(files, 'a.txt'), 'a note\n');
  await alice.client.files.upload('photos/cat.png', join(files, 'cat.png'), { contentType: 'image/png' });
  await alice.client.files.upload('notes/a.txt', join(files, 'a.txt'), { contentType: 'text/plain' });
  alice.catBytes = readFileSync(join(files, 'cat.png'));

  browser = await chromium.launch({
    executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: LAUNCH_MS,
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(cloud.ready.consoleUrl);
});

after(async () => {
  await browser?.close();
  for (const u of [alice, bob]) u.client?.close();
  await cloud?.stop();
});

describe('the console', { timeout: 120000 }, () => {
  test('opens from READY consoleUrl and drops the token from the address bar', async () => {
    assert.match(cloud.ready.consoleUrl, /^http:\/\/127\.0\.0\.1:\d+\/_console\/#token=[A-Za-z0-9_-]{43}$/);
    assert.equal(cloud.ready.consoleUrl, `${cloud.ready.adminUrl}/_console/#token=${cloud.ready.adminToken}`);
    assert.notEqual(new URL(cloud.ready.adminUrl).origin, new URL(cloud.ready.endpoint).origin,
      'the console has its own origin');
    await page.locator(testId('nav-users')).waitFor();
    assert.equal(new URL(page.url()).hash, '#users');
    assert.ok(!page.url().includes(cloud.ready.adminToken));
  });

  test('Users shows both users with their session expiry, and no session id', async () => {
    await page.locator(testId('nav-users')).click();
    const aliceRow = page.locator(testId('user-row', { uid: alice.uid }));
    const bobRow = page.locator(testId('user-row', { uid: bob.uid }));
    await aliceRow.waitFor();
    await bobRow.waitFor();
    const aliceText = await aliceRow.innerText();
    assert.match(aliceText, /alice/);
    assert.ok(aliceText.includes(alice.uid));
    assert.match(aliceText, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/, 'a session expiry');
    assert.match(await bobRow.innerText(), /bob/);
    const html = await page.content();
    for (const a of answers.filter((x) => x.url === config.sessionUrl)) {
      const sessionId = JSON.parse(a.answer).sessionId;
      if (sessionId) assert.ok(!html.includes(sessionId), 'a session id is on the page');
    }
    await shot('users');
  });

  test('Data: open a row, edit it, and the client reads the edited value', async () => {
    await page.locator(testId('nav-data')).click();
    await page.locator(testId('user-filter')).selectOption(alice.uid);
    const row = page.locator(testId('data-row', { uid: alice.uid, id: 'todo-1' }));
    await row.click();
    const editor = page.locator(testId('row-json'));
    await page.waitForFunction(() => document.querySelector('[data-testid="row-json"]').value.includes('buy milk'),
      null, { timeout: WAIT_MS });
    assert.deepEqual(JSON.parse(await editor.inputValue()), { id: 'todo-1', title: 'buy milk', done: false });
    await editor.fill(JSON.stringify({ id: 'todo-1', title: 'buy oat milk', done: true, tags: ['shop'] }));
    await page.locator(testId('row-save')).click();
    await page.locator('#editor-title', { hasText: '(saved)' }).waitFor();
    assert.equal(await page.locator(testId('row-error')).innerText(), '');
    const read = await alice.client.db.get('todo-1');
    assert.equal(read.title, 'buy oat milk');
    assert.equal(read.done, true);
    assert.deepEqual(read.tags, ['shop']);
    assert.equal(read._version, 2);
    await shot('data');
  });

  test('Data: an edit breaking the rules shows why and changes nothing', async () => {
    const editor = page.locator(testId('row-json'));
    // a row cannot be handed to another user through its fields: uid is reserved
    await editor.fill(JSON.stringify({ id: 'todo-1', uid: bob.uid }));
    await page.locator(testId('row-save')).click();
    await page.locator(testId('row-error'), { hasText: /"?uid"? is reserved/ }).waitFor();
    await editor.fill('{not json');
    await page.locator(testId('row-save')).click();
    await page.locator(testId('row-error'), { hasText: 'Not valid JSON' }).waitFor();
    const stored = await alice.client.db.get('todo-1');
    assert.equal(stored._version, 2);
    assert.equal(stored.title, 'buy oat milk');
    assert.equal(await bob.client.db.get('todo-1'), null);
  });

  test('Data: the user filter shows only that user, and paging needs no next page here', async () => {
    await page.locator(testId('user-filter')).selectOption(bob.uid);
    await page.locator(testId('data-row', { uid: bob.uid, id: 'todo-b' })).waitFor();
    assert.equal(await page.locator(testId('data-row', { uid: alice.uid })).count(), 0);
    assert.equal(await page.locator(testId('page-next')).isDisabled(), true);
    assert.equal(await page.locator(testId('page-prev')).isDisabled(), true);
  });

  test('Files: download a file, delete another, and the client no longer lists it', async () => {
    await page.locator(testId('nav-files')).click();
    const cat = page.locator(testId('file-row', { uid: alice.uid, path: 'photos/cat.png' }));
    const note = page.locator(testId('file-row', { uid: alice.uid, path: 'notes/a.txt' }));
    await cat.waitFor();
    await note.waitFor();
    await shot('files');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: WAIT_MS }),
      cat.locator(testId('file-download')).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'cat.png');
    assert.deepEqual(readFileSync(await download.path()), alice.catBytes);
    page.once('dialog', (dialog) => dialog.accept());
    await note.locator(testId('file-delete')).click();
    await note.waitFor({ state: 'detached' });
    const listed = (await alice.client.files.list()).items.map((f) => f.path);
    assert.deepEqual(listed, ['photos/cat.png']);
  });

  test('Log: the invocation the client made appears with the request id it saw, and its log lines', async () => {
    await alice.client.db.get('todo-2');
    const call = answers.filter((a) => a.body && a.body.includes('"op":"get"')).at(-1);
    assert.ok(call.requestId, 'the FC answer carries x-fc-request-id');
    await page.locator(testId('nav-log')).click();
    const row = page.locator(testId('log-row', { 'request-id': call.requestId }));
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /\bget\b/);
    assert.match(text, /\/db\b/);
    assert.match(text, /\b200\b/);
    assert.match(text, /\d+ ms/);
    await row.click();
    await page.locator(testId('log-lines')).waitFor();
    await shot('log');
  });

  test('Faults: alipay set to fail makes a login fail with UPSTREAM_UNAVAILABLE, none lets it work again', async () => {
    await page.locator(testId('nav-faults')).click();
    await setFault('alipay', 'fail');
    assert.equal((await admin('/_admin/faults')).alipay, 'fail');
    await shot('faults');
    const carol = createClient({ ...config, request: recordingRequest() });
    await assert.rejects(carol.login(`carol:${Date.now()}`), (e) => {
      assert.ok(e instanceof MiniappError);
      assert.equal(e.code, 'UPSTREAM_UNAVAILABLE', e.message);
      return true;
    });
    const failed = answers.at(-1);
    await page.locator(testId('nav-log')).click();
    const row = page.locator(testId('log-row', { 'request-id': failed.requestId }));
    await row.waitFor();
    assert.match(await row.innerText(), /503 UPSTREAM_UNAVAILABLE/);
    await page.locator(testId('nav-faults')).click();
    await setFault('alipay', 'none');
    assert.equal((await admin('/_admin/faults')).alipay, 'none');
    assert.ok((await carol.login(`carol:${Date.now()}`)).userId);
    carol.close();
  });

  test('Functions: each function with the build it runs and when it was loaded', async () => {
    const { functions } = await admin('/_admin/functions');
    const db = functions.find((f) => f.function === config.dbFunctionName);
    assert.equal(db.build.sha256, createHash('sha256').update(readFileSync(db.jar)).digest('hex'));
    await page.locator(testId('nav-functions')).click();
    const row = page.locator(testId('function-row', { function: config.dbFunctionName }));
    await row.waitFor();
    const text = await row.innerText();
    assert.ok(text.includes(db.build.sha256.slice(0, 12)), text);
    assert.ok(text.includes(db.loadedAt), text);
    await shot('functions');
  });

  test('Export writes the state where it says', async () => {
    await page.locator(testId('export-button')).click();
    const result = page.locator(testId('export-result'), { hasText: 'Exported to' });
    await result.waitFor();
    const dir = (await result.innerText()).replace(/^Exported to /, '').trim();
    assert.ok(dir.startsWith(cloud.ready.dataDir), dir);
    const todos = JSON.parse(readFileSync(join(dir, 'tables', 'todo_list.json'), 'utf8'));
    assert.equal(todos.alice.find((i) => i.id === 'todo-1').title, 'buy oat milk');
    assert.ok(existsSync(join(dir, 'files', 'alice', 'photos', 'cat.png')));
    assert.ok(!existsSync(join(dir, 'files', 'alice', 'notes', 'a.txt')));
  });

  test('seven tabs stay responsive and each shows a new invocation (one log poll for all of them)', async () => {
    // a browser opens at most 6 connections to one host; a long poll per tab held them all, and a 7th tab (or
    // any click in any tab) waited for a poll to end, up to 25 s
    const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
    try {
      const tabs = [];
      for (let i = 0; i < TABS; i += 1) {
        const tab = await context.newPage();
        tab.setDefaultTimeout(TAB_MS);
        tab.on('pageerror', (e) => pageErrors.push(`tab ${i}: ${e.message}`));
        await tab.goto(cloud.ready.consoleUrl, { timeout: TAB_MS });
        await tab.locator(testId('user-row', { uid: alice.uid })).waitFor({ timeout: TAB_MS });
        tabs.push(tab);
      }
      for (const tab of tabs) await tab.locator(testId('nav-log')).click();
      await alice.client.db.get('todo-2');
      const call = answers.filter((a) => a.body && a.body.includes('"op":"get"')).at(-1);
      for (const [i, tab] of tabs.entries()) {
        await tab.locator(testId('log-row', { 'request-id': call.requestId })).waitFor({ timeout: TAB_MS })
          .catch((e) => { throw new Error(`tab ${i} did not show the new invocation: ${e.message}`); });
      }
      for (const [i, tab] of tabs.entries()) {
        await tab.locator(testId('nav-users')).click();
        await tab.locator(testId('user-row', { uid: bob.uid })).waitFor({ timeout: TAB_MS })
          .catch((e) => { throw new Error(`tab ${i} did not show its users: ${e.message}`); });
      }
    } finally {
      await context.close();
    }
  });

  test('the page raised no script error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
