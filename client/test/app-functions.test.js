// client.call(name, input) against a real local-cloud serving app functions (test/app-cloud.js): in Node and in the
// mini-program sandbox (the BUILT dist/fc-miniapp.js, strict my), FC 2.0 and FC 3.0. Routing to services[name] or
// serviceName, the input's round trip, the contract's errors from the function, FC's AccessDenied for a function
// the deployment does not declare callable, refresh of expired credentials, and the TypeErrors that send nothing.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createClient, MiniappError } from '../src/index.js';
import { startAppCloud } from './app-cloud.js';
import { alipayMy, loadDist, plain } from './sandbox.js';

const APIS = ['2016-08-15', '2023-03-30'];
const HOURS_2 = 2 * 3600 * 1000;

let cloud;
let config;
let n = 0;
const code = (name) => `${name}:${Date.now()}-${++n}`;

before(async () => { ({ cloud, config } = await startAppCloud()); });
after(() => cloud?.stop());

/** Inputs that must come back exactly as sent: nested, unicode (a lone surrogate too), every JSON type, 100 KB. */
const ROUND_TRIPS = [
  ['nested', { a: [1, { b: [true, null, { c: 'd' }] }], e: {}, f: [], g: -0.5, h: 1e300 }],
  ['unicode', { text: '牛奶 ☕ é 😀 \u0000 \u2028 "quoted" \\ / \ud800', '键 🔑': ['ü', '\t\n'] }],
  ['a string', 'just a string'],
  ['a number', 42.25],
  ['false', false],
  ['null', null],
  ['an array', [1, 'two', [3]]],
  ['100 KB', { blob: 'x'.repeat(100 * 1024), tail: 'end' }],
];

/** A request function over fetch that records every URL it was given (the client's own fetch otherwise). */
function recording() {
  const urls = [];
  const request = async ({ url, method, headers, body }) => {
    urls.push(url);
    const res = await fetch(url, { method, headers, body });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
  };
  return { urls, request };
}

const invokeUrl = (api, service, fn) => (api === '2023-03-30'
  ? `${config.endpoint}/2023-03-30/functions/${fn}/invocations`
  : `${config.endpoint}/2016-08-15/services/${service}/functions/${fn}/invocations`);

/** Asserts a MiniappError (by name: the sandbox's errors have the sandbox's prototypes) of `expected` code. */
async function rejectsWith(promise, expected, pattern) {
  let caught;
  await assert.rejects(promise, (e) => {
    assert.equal(e && e.name, 'MiniappError', `expected a MiniappError, got ${e && e.stack}`);
    assert.equal(e.code, expected, e.message);
    if (pattern) assert.match(e.message, pattern);
    caught = e;
    return true;
  });
  return caught;
}

/** Asserts a TypeError (by name, as above) whose message matches `pattern`. */
async function rejectsTypeError(promise, pattern) {
  await assert.rejects(promise, (e) => {
    assert.equal(e && e.name, 'TypeError', `expected a TypeError, got ${e && e.stack}`);
    assert.match(e.message, pattern);
    return true;
  });
}

for (const api of APIS) {
  describe(`client.call in Node (FC ${api})`, () => {
    const node = (extra = {}) => {
      const rec = recording();
      return { client: createClient({ ...config, api, request: rec.request, ...extra }), urls: rec.urls };
    };

    test('call(\'echo\') reaches echo (FC 2.0: in services.echo) with the sid in one request, resolving with data',
      async () => {
        const { client, urls } = node();
        await client.login(code('cara'));
        const before = urls.length;
        const data = await client.call('echo', { hello: 'world' });
        assert.deepEqual(urls.slice(before), [invokeUrl(api, config.services.echo, 'echo')]);
        assert.deepEqual(data,
          { input: { hello: 'world' }, sidPresent: true, service: config.services.echo, function: 'echo' });
        client.close();
      });

    test(api === '2023-03-30' ? 'a function is invoked by its name alone (no services in FC 3.0)'
      : 'a function with no services entry is invoked in serviceName (hello, in the db function\'s service)',
    async () => {
      const { client, urls } = node({ services: { echo: config.services.echo } });
      await client.login(code('dina'));
      const data = await client.call('hello', [1]);
      assert.equal(urls.at(-1), invokeUrl(api, config.serviceName, 'hello'));
      assert.deepEqual([data.function, data.service, data.input], ['hello', config.serviceName, [1]]);
      client.close();
    });

    test('the input comes back exactly as sent: nested, unicode, every JSON type, 100 KB; undefined is sent as null',
      async () => {
        const { client } = node();
        await client.login(code('ella'));
        for (const [label, input] of ROUND_TRIPS) {
          assert.deepEqual((await client.call('echo', input)).input, input, label);
        }
        assert.equal((await client.call('echo')).input, null, 'no input');
        assert.equal((await client.call('echo', undefined)).input, null, 'undefined input');
        client.close();
      });

    test('an error the function answers keeps its contract code, message and request id', async () => {
      const { client } = node();
      await client.login(code('fern'));
      for (const c of ['NOT_FOUND', 'PERMISSION_DENIED', 'INVALID_ARGUMENT', 'CONFLICT']) {
        const e = await rejectsWith(client.call('echo', { fail: c }), c, new RegExp(`asked to fail with ${c}`));
        assert.ok(e instanceof MiniappError);
        assert.match(e.requestId, /\S/);
      }
      client.close();
    });

    test('a function that throws (FC\'s unhandled error) is INTERNAL with FC\'s request id', async () => {
      const { client } = node();
      await client.login(code('gail'));
      const e = await rejectsWith(client.call('echo', { crash: true }), 'INTERNAL', /function 'echo' failed/);
      assert.match(e.requestId, /\S/);
      client.close();
    });

    test('a function the deployment does not declare callable is refused by FC (AccessDenied): PERMISSION_DENIED',
      async () => {
        const { client, urls } = node();
        await client.login(code('hana'));
        const before = urls.length;
        const e = await rejectsWith(client.call('secret', {}), 'PERMISSION_DENIED', /may not call the function 'secret'/);
        assert.equal(e.cause.code, 'AccessDenied');
        assert.deepEqual(urls.slice(before), [invokeUrl(api, config.services.secret, 'secret')],
          'sent once: no refresh and no resend for a refusal a refresh cannot change');
        client.close();
      });

    test('credentials past their expiry (by the client clock) are refreshed before the call, which then succeeds',
      async () => {
        let offset = 0;
        const { client, urls } = node({ now: () => Date.now() + offset });
        await client.login(code('iris'));
        const keys = client.credentials.AccessKeyId;
        offset = HOURS_2;
        const before = urls.length;
        assert.deepEqual((await client.call('echo', { after: 'refresh' })).input, { after: 'refresh' });
        assert.notEqual(client.credentials.AccessKeyId, keys);
        assert.deepEqual(urls.slice(before), [config.sessionUrl, invokeUrl(api, config.services.echo, 'echo')]);
        client.close();
      });

    test('without a login a call is UNAUTHENTICATED and sends nothing; after logout too', async () => {
      const { client, urls } = node();
      await rejectsWith(client.call('echo', 1), 'UNAUTHENTICATED', /Log in first/);
      assert.deepEqual(urls, []);
      await client.login(code('jade'));
      await client.logout();
      await rejectsWith(client.call('echo', 1), 'UNAUTHENTICATED');
      assert.deepEqual(urls, [config.sessionUrl, config.sessionUrl]);
    });
  });
}

describe('call\'s arguments and config.services: TypeErrors, and nothing sent', () => {
  const BAD_NAMES = ['', '1echo', '-echo', 'echo/x', 'echo x', 'éčho', 'a'.repeat(129), 42, null, undefined, {}];
  const BAD_INPUTS = [['NaN', NaN], ['Infinity', { n: [-Infinity] }], ['a function', { f() {} }],
    ['a symbol', Symbol('s')], ['a bigint', { big: 10n }]];

  test('a name that is no FC function name is a TypeError naming the rule; a 128-character name is sent', async () => {
    const { urls, request } = recording();
    const client = createClient({ ...config, request });
    await client.login(code('kira'));
    const before = urls.length;
    for (const name of BAD_NAMES) {
      await rejectsTypeError(client.call(name, {}), /name must be an FC function name/);
    }
    assert.equal(urls.length, before, 'no request for a bad name');
    await rejectsWith(client.call(`_${'a'.repeat(127)}`, {}), 'PERMISSION_DENIED', /may not call/);
    assert.equal(urls.length, before + 1);
    client.close();
  });

  test('an input JSON cannot carry is a TypeError naming what; a cycle too; nothing is sent', async () => {
    const { urls, request } = recording();
    const client = createClient({ ...config, request });
    await client.login(code('lena'));
    const before = urls.length;
    for (const [what, input] of BAD_INPUTS) {
      await rejectsTypeError(client.call('echo', input), new RegExp(`${what.replace('a ', '')}.*JSON cannot carry`));
    }
    const cycle = { a: 1 };
    cycle.self = cycle;
    await rejectsTypeError(client.call('echo', cycle), /input is not JSON/);
    assert.equal(urls.length, before);
    client.close();
  });

  test('services must map function names to FC 2.0 service names: each bad entry is a TypeError naming it', () => {
    const bad = [[null, /config.services must be an object/], [[], /config.services must be an object/],
      ['fc-miniapp-echo', /config.services must be an object/], [{ echo: '' }, /config.services.echo .* not ""/],
      [{ echo: 5 }, /config.services.echo .* not 5/], [{ ok: 'svc', echo: 'a/b' }, /config.services.echo .* "a\/b"/],
      [{ echo: null }, /config.services.echo .* not null/], [{ 'a b': 'svc' }, /entry "a b"/]];
    for (const [services, pattern] of bad) {
      assert.throws(() => createClient({ ...config, services }), (e) => e instanceof TypeError && pattern.test(e.message),
        JSON.stringify(services));
    }
    assert.equal(typeof createClient({ ...config, services: {} }).call, 'function');
    assert.equal(typeof createClient({ ...config, services: undefined }).call, 'function');
  });
});

describe('client.call in the mini-program sandbox (dist/fc-miniapp.js, strict my)', () => {
  /** A client made inside the sandbox with `my`, plus that `my`. */
  function miniClient(extra = {}, env = {}) {
    const my = alipayMy(`mini${++n}`, env);
    const { lib } = loadDist(my);
    return { client: lib.createClient({ ...config, my, ...extra }), my };
  }
  const requests = (my) => my.calls.filter((c) => c.api === 'request').map((c) => c.url);

  for (const api of APIS) {
    test(`FC ${api}: echo and hello through my.request, exactly one my.request per call`, async () => {
      const { client, my } = miniClient({ api });
      await client.login();
      const before = requests(my).length;
      const echo = plain(await client.call('echo', { hi: '支付宝' }));
      assert.deepEqual([echo.input, echo.sidPresent, echo.function], [{ hi: '支付宝' }, true, 'echo']);
      const hello = plain(await client.call('hello'));
      assert.deepEqual([hello.input, hello.function], [null, 'hello']);
      assert.deepEqual(requests(my).slice(before), [invokeUrl(api, config.services.echo, 'echo'),
        invokeUrl(api, config.serviceName, 'hello')]);
      if (api === '2016-08-15') assert.deepEqual([echo.service, hello.service], ['fc-miniapp-echo', 'fc-miniapp']);
      client.close();
    });

    test(`FC ${api}: the input's round trip, the function's errors, AccessDenied, in the ES2017 sandbox`,
      async () => {
        const { client } = miniClient({ api });
        await client.login();
        for (const [label, input] of ROUND_TRIPS) {
          assert.deepEqual(plain(await client.call('echo', input)).input, input, label);
        }
        const e = await rejectsWith(client.call('echo', { fail: 'NOT_FOUND' }), 'NOT_FOUND');
        assert.match(e.requestId, /\S/);
        await rejectsWith(client.call('echo', { crash: true }), 'INTERNAL');
        await rejectsWith(client.call('secret', 1), 'PERMISSION_DENIED', /may not call the function 'secret'/);
        client.close();
      });

    test(`FC ${api}: expired credentials are refreshed (one session my.request) before the call`, async () => {
      let offset = 0;
      const { client, my } = miniClient({ api, now: () => Date.now() + offset });
      await client.login();
      const keys = client.credentials.AccessKeyId;
      offset = HOURS_2;
      const before = requests(my).length;
      assert.equal(plain(await client.call('echo', 'x')).input, 'x');
      assert.notEqual(client.credentials.AccessKeyId, keys);
      assert.deepEqual(requests(my).slice(before), [config.sessionUrl, invokeUrl(api, config.services.echo, 'echo')]);
      client.close();
    });
  }

  test('a bad name or input is the sandbox\'s TypeError and no my.request', async () => {
    const { client, my } = miniClient();
    await client.login();
    const before = my.calls.length;
    await rejectsTypeError(client.call('echo/x', 1), /name must be an FC function name/);
    await rejectsTypeError(client.call('echo', { n: NaN }), /NaN, which JSON cannot carry/);
    assert.equal(my.calls.length, before);
    assert.throws(() => miniClient({ services: { echo: '' } }), (e) => e.name === 'TypeError'
      && /config.services.echo/.test(e.message));
    client.close();
  });

  test('on a phone (https only) the http login is INVALID_ARGUMENT naming https; a call then sends nothing', async () => {
    // autoLogin off: with it a call would try the (refused) login again
    const { client, my } = miniClient({ autoLogin: false }, { env: 'phone' });
    await rejectsWith(client.login(code('phone')), 'INVALID_ARGUMENT', /https:\/\//);
    const before = my.calls.length;
    await rejectsWith(client.call('echo', 1), 'UNAUTHENTICATED', /Log in first/);
    await rejectsTypeError(client.call('', 1), /name must be an FC function name/);
    assert.equal(my.calls.length, before);
  });
});
