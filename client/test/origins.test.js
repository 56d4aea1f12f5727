// The admin token and the owner key stay off the FC endpoint's origin: a page served there by an HTTP-trigger
// function (here a fixture that serves test/fixtures/attack-page/attack.html), loaded in Debian's headless Chromium,
// tries same-origin /_admin/info, /, /_console/ and /_admin/users, then the admin origin across origins (fetch,
// no-cors, a frame). It must read neither the token nor the secret, and list no user.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { buildFixtureJar, jar, repoRoot, startLocalCloud } from './local-cloud.js';

const WAIT_MS = 20000;
const LAUNCH_MS = 60000;
const FIXTURE = join(repoRoot, 'client', 'test', 'fixtures', 'attack-page');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TEMPLATE = `ROSTemplateFormatVersion: '2015-09-01'
Transform: 'Aliyun::Serverless-2018-04-03'
Resources:
  web:
    Type: 'Aliyun::Serverless::Service'
    page:
      Type: 'Aliyun::Serverless::Function'
      Properties: {Runtime: java11, CodeUri: page.jar, Handler: attack.Page::handleRequest}
      Events:
        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['GET']}}
  # the console's users view reads these: a page that got the token would list users with a 200
  SessionTable:
    Type: 'ALIYUN::OTS::Table'
    Properties: {InstanceName: localcloud, TableName: session, PrimaryKey: [{Name: id, Type: STRING}]}
  TodoListTable:
    Type: 'ALIYUN::OTS::Table'
    Properties:
      InstanceName: localcloud
      TableName: todo_list
      PrimaryKey: [{Name: uid, Type: STRING}, {Name: id, Type: STRING}]
`;

let cloud;
let browser;
let adminOrigin;

/** Compiles the fixture page function against local-cloud.jar (it holds fc-java-core) into dir/page.jar. */
function buildPageJar(dir) {
  buildFixtureJar({
    sources: [join(FIXTURE, 'Page.java')], classpath: jar, dir, jarName: 'page.jar',
    resources: [join(FIXTURE, 'attack.html')],
  });
}

function chromiumPath() {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(`No Chromium at ${path}: install Debian's chromium package (npm test does it as root: `
      + 'scripts/ensure-chromium.mjs) or set CHROMIUM_PATH.');
  }
  return path;
}

before(async () => {
  const executablePath = chromiumPath();
  const dir = mkdtempSync(join(tmpdir(), 'origins-'));
  buildPageJar(dir);
  writeFileSync(join(dir, 'template.yml'), TEMPLATE);
  cloud = await startLocalCloud(join(dir, 'data'), ['--template', join(dir, 'template.yml')]);
  adminOrigin = new URL(cloud.ready.adminUrl).origin;
  browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_FLAGS, timeout: LAUNCH_MS });
});

after(async () => {
  await browser?.close();
  await cloud?.stop();
});

test('the admin API answers READY\'s token on its own origin (the control for the page below)', async () => {
  assert.equal(cloud.ready.adminUrl, adminOrigin, 'adminUrl is an origin: admin paths are ${adminUrl}/_admin/...');
  assert.notEqual(adminOrigin, new URL(cloud.ready.endpoint).origin, 'the admin API is on its own origin');
  const res = await fetch(`${adminOrigin}/_admin/functions`, {
    headers: { 'X-Local-Cloud-Token': cloud.ready.adminToken }, signal: AbortSignal.timeout(WAIT_MS),
  });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /"function":"page"/);
  const users = await fetch(`${adminOrigin}/_admin/users`, {
    headers: { 'X-Local-Cloud-Token': cloud.ready.adminToken }, signal: AbortSignal.timeout(WAIT_MS),
  });
  assert.equal(users.status, 200, 'with the token the users list is readable');
});

test('a page on the FC endpoint\'s origin reads neither the admin token nor the owner secret, nor lists users',
  { timeout: 90000 }, async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const url = `${cloud.ready.endpoint}/2016-08-15/proxy/web/page/?admin=${encodeURIComponent(adminOrigin)}`;
    await page.goto(url);
    await page.waitForFunction(() => window.attack !== undefined, null, { timeout: WAIT_MS });
    const { attempts, token } = await page.evaluate(() => window.attack);
    const recorded = JSON.stringify(attempts, null, 2);
    assert.equal(token, '', `the page read a token:\n${recorded}`);
    assert.ok(!recorded.includes(cloud.ready.adminToken), `the admin token reached the page:\n${recorded}`);
    assert.ok(!recorded.includes(cloud.ready.accessKeySecret), `the owner secret reached the page:\n${recorded}`);
    for (const a of attempts.filter((x) => x.url && x.url.includes('/_admin/users'))) {
      assert.notEqual(a.status, 200, `${a.name} listed users:\n${recorded}`);
      assert.ok(!(a.text || '').includes('"users"'), `${a.name} read the users:\n${recorded}`);
    }
    for (const name of ['same-origin /_admin/info', 'same-origin /', 'same-origin /_console/']) {
      const a = attempts.find((x) => x.name === name);
      assert.equal(a.status, 404, `${name} on the FC endpoint is FC's PathNotFound:\n${recorded}`);
      assert.match(a.text, /PathNotFound/);
    }
    assert.equal(attempts.find((x) => x.name === 'framed console').text, null, 'the console was framed and read');
    await page.close();
  });
