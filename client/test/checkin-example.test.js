// examples/checkin's mini-program in the mini-program sandbox against local-cloud serving examples/checkin/template.yml
// (the session and db functions plus the checkin and leaderboard app functions): App/Page/getApp/my are provided as
// the Alipay runtime provides them; onLoad and the taps are driven as a user would, and every call goes through
// client.call over my.request with the user's own STS key.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createClient, MiniappError } from '../src/index.js';
import { repoRoot, startLocalCloud, tempDataDir } from './local-cloud.js';
import { alipayMy, loadModule, miniContext, plain } from './sandbox.js';

const example = join(repoRoot, 'examples', 'checkin', 'miniprogram');
const shipped = createRequire(import.meta.url)(join(example, 'config.js'));
let cloud;
let config;

before(async () => {
  cloud = await startLocalCloud(tempDataDir(), ['--template', join(repoRoot, 'examples', 'checkin', 'template.yml')]);
  const r = cloud.ready;
  config = {
    endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
    sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName, services: r.services,
  };
});
after(() => cloud?.stop());

/** Starts the example app as the Alipay runtime does and opens its page; config.js points at local-cloud. */
function openApp(name) {
  const my = alipayMy(name);
  let app;
  let pageDef;
  const ctx = miniContext(my, {
    App: (def) => { app = def; },
    getApp: () => app,
    Page: (def) => { pageDef = def; },
  });
  loadModule(ctx, join(example, 'app.js'), { [join(example, 'config.js')]: { ...config } });
  app.onLaunch();
  loadModule(ctx, join(example, 'pages', 'index', 'index.js'));
  const page = Object.assign(Object.create(pageDef), {
    data: JSON.parse(JSON.stringify(pageDef.data)),
    setData(patch) { Object.assign(this.data, patch); },
  });
  return { page, my };
}

/** The FC 2.0 invocations the page sent through my.request, as `service/function`. */
const invoked = (my) => my.calls.filter((c) => c.api === 'request' && c.url !== config.sessionUrl)
  .map((c) => c.url.match(/\/services\/([^/]+)\/functions\/([^/]+)\/invocations/).slice(1).join('/'));

const entryOf = (page, userId) => plain(page.data.top).find((e) => e.userId === userId);

test('local-cloud names each app function\'s service as the example\'s config.js does', () => {
  assert.equal(config.services.checkin, shipped.services.checkin);
  assert.equal(config.services.leaderboard, shipped.services.leaderboard);
  assert.deepEqual(shipped.services, { checkin: 'fc-miniapp-checkin', leaderboard: 'fc-miniapp-leaderboard' });
});

test('the page logs in, checks in once a day for 10 points and shows both users on the leaderboard', async () => {
  const stamp = Date.now();
  const { page: alice, my: aliceMy } = openApp(`alice${stamp}`);
  await alice.onLoad();
  assert.equal(alice.data.error, '');
  assert.match(alice.data.userId, /\S/);
  assert.equal(entryOf(alice, alice.data.userId), undefined, 'no check-in yet: not on the leaderboard');

  await alice.onCheckin();
  assert.equal(alice.data.error, '');
  assert.equal(alice.data.checkedIn, true);
  assert.equal(alice.data.points, 10);
  assert.equal(alice.data.status, 'Checked in: +10 points.');
  assert.deepEqual(entryOf(alice, alice.data.userId),
    { rank: entryOf(alice, alice.data.userId).rank, me: true, userId: alice.data.userId, points: 10 });

  await alice.onCheckin();
  assert.equal(alice.data.error, '');
  assert.equal(alice.data.checkedIn, false);
  assert.equal(alice.data.points, 10);
  assert.equal(alice.data.status, 'Already checked in today.');

  const { page: bob } = openApp(`bob${stamp}`);
  await bob.onLoad();
  await bob.onCheckin();
  assert.equal(bob.data.points, 10);
  assert.notEqual(bob.data.userId, alice.data.userId);
  await alice.onRefresh();
  const both = plain(alice.data.top).filter((e) => [alice.data.userId, bob.data.userId].includes(e.userId));
  // equal points: the smaller userId first
  assert.deepEqual(both.map((e) => [e.userId, e.points, e.me]),
    [[alice.data.userId, 10, true], [bob.data.userId, 10, false]]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  assert.equal(entryOf(bob, bob.data.userId).me, true);

  assert.deepEqual(invoked(aliceMy), [
    'fc-miniapp-leaderboard/leaderboard',
    'fc-miniapp-checkin/checkin', 'fc-miniapp-leaderboard/leaderboard',
    'fc-miniapp-checkin/checkin', 'fc-miniapp-leaderboard/leaderboard',
    'fc-miniapp-leaderboard/leaderboard',
  ]);
});

test('a user\'s STS key calls both functions, never another function, and a uid in the input changes nothing',
  async () => {
  const stamp = Date.now();
  const carol = createClient(config);
  const dave = createClient(config);
  const { userId: carolId } = await carol.login(`carol${stamp}:1`);
  const { userId: daveId } = await dave.login(`dave${stamp}:1`);
  try {
    assert.deepEqual(await dave.call('checkin'), { checkedIn: true, points: 10 });
    // carol claims to be dave, with points and a check-in of her own making
    const forged = { uid: daveId, userId: daveId, points: 1000, checkedIn: true };
    assert.deepEqual(await carol.call('checkin', forged), { checkedIn: true, points: 10 });
    assert.deepEqual(await carol.call('checkin', forged), { checkedIn: false, points: 10 });
    const { top } = await carol.call('leaderboard', { uid: daveId });
    assert.deepEqual(top.filter((e) => [carolId, daveId].includes(e.userId)).map((e) => [e.userId, e.points]),
      [[carolId, 10], [daveId, 10]].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    // the user's key reaches the declared functions only: the session function itself is refused by FC's policy
    const refused = createClient({ ...config, services: { session: cloud.ready.sessionServiceName } });
    await refused.login(`carol${stamp}:2`);
    await assert.rejects(refused.call('session', { action: 'logout' }),
      (e) => e instanceof MiniappError && e.code === 'PERMISSION_DENIED' && e.cause.code === 'AccessDenied');
    refused.close();
  } finally {
    carol.close();
    dave.close();
  }
});
