// fc-miniapp-client/testing as a team uses it in its own tests: rulesTestEnv starts local-cloud on the guestbook
// example's template (its tables.json: todo_list private, guestbook creator-write, lists rules, notices
// server-write, secrets server-only), as(name) logs users in, assertSucceeds/assertFails judge each op.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { assertFails, assertSucceeds, rulesTestEnv } from 'fc-miniapp-client/testing';
import { repoRoot } from './local-cloud.js';

let env;
let alice;
let bob;
let carol;

before(async () => {
  env = await rulesTestEnv({ template: join(repoRoot, 'examples', 'guestbook', 'template.yml') });
  [alice, bob, carol] = await Promise.all(['alice', 'bob', 'carol'].map((name) => env.as(name)));
});
after(() => env?.cleanup());

describe('the guestbook example\'s rules, as a team would test them', () => {
  test('guestbook (creator-write): everyone reads, anyone posts, only the author changes or removes', async () => {
    const { id } = await assertSucceeds(alice.db.collection('guestbook').add({ text: 'hi', likes: 0 }));
    const { data } = await assertSucceeds(bob.db.collection('guestbook').doc(id).get());
    assert.deepEqual([data.text, data._owner], ['hi', alice.userId]);
    const page = await assertSucceeds(bob.db.collection('guestbook').where({ _owner: alice.userId }).get());
    assert.ok(page.data.some((r) => r.id === id));
    const _ = bob.db.command;
    await assertFails(bob.db.collection('guestbook').doc(id).update({ likes: _.inc(1) }));
    await assertFails(bob.db.collection('guestbook').doc(id).remove());
    await assertFails(bob.db.collection('guestbook').doc(id).set({ text: 'bob was here' }));
    assert.equal((await assertSucceeds(alice.db.collection('guestbook').doc(id).update({ likes: _.inc(1) }))).likes, 1);
    await assertSucceeds(alice.db.collection('guestbook').doc(id).remove());
  });

  test('lists (rules): the owner and members read and update, others are refused; only the owner deletes',
    async () => {
      const lists = (client) => client.db.collection('lists');
      const _ = alice.db.command;
      const { id } = await assertSucceeds(lists(alice).add({ name: 'food', members: [], items: [] }));
      await assertFails(lists(bob).doc(id).get());
      await assertSucceeds(lists(alice).doc(id).update({ members: _.push([bob.userId]) }));
      assert.equal((await assertSucceeds(lists(bob).doc(id).get())).data.name, 'food');
      await assertSucceeds(lists(bob).doc(id).update({ items: _.push([{ text: 'milk' }]) }));
      await assertFails(lists(carol).doc(id).get());
      await assertFails(lists(carol).doc(id).update({ name: 'mine' }));
      // a query is filtered by the rule's owner/member conditions: carol's finds none of alice's lists
      assert.equal(await assertSucceeds(lists(carol).where({ _owner: alice.userId }).count()), 0);
      assert.ok((await assertSucceeds(lists(bob).get())).data.some((r) => r.id === id));
      await assertFails(lists(bob).doc(id).remove());
      await assertSucceeds(lists(alice).doc(id).remove());
    });

  test('notices (server-write) are read by users and written by app functions only; secrets (server-only) by '
    + 'neither', async () => {
    await assertFails(alice.db.collection('notices').add({ text: 'hello' }));
    await assertSucceeds(alice.db.collection('notices').get());
    await assertFails(alice.db.collection('secrets').add({ key: 'x' }));
    await assertFails(alice.db.collection('secrets').doc('x').get());
    await assertFails(alice.db.collection('secrets').get());
  });

  test('todo_list (private): each user sees only their own rows, without a denial', async () => {
    const { id } = await assertSucceeds(alice.db.collection('todo_list').add({ title: 'milk', done: false }));
    assert.equal((await assertSucceeds(bob.db.collection('todo_list').doc(id).get())).data, null);
    assert.equal(await assertSucceeds(bob.db.collection('todo_list').where({ done: false }).count()), 0);
    assert.ok(await alice.db.collection('todo_list').where({ done: false }).count() >= 1);
  });
});

describe('the helpers themselves', () => {
  test('as(name) is the same user each time, another per name', async () => {
    const again = await env.as('alice');
    assert.equal(again.userId, alice.userId);
    assert.notEqual(bob.userId, alice.userId);
    await assert.rejects(env.as('a b'), TypeError);
  });

  test('assertFails resolves with the PERMISSION_DENIED error; rejects saying what happened otherwise', async () => {
    const denied = await assertFails(alice.db.collection('secrets').doc('x').get());
    assert.equal(denied.code, 'PERMISSION_DENIED');
    await assert.rejects(assertFails(alice.db.collection('notices').get()),
      /Expected PERMISSION_DENIED, but the op succeeded with \{"data":/);
    await assert.rejects(assertFails(alice.db.collection('no_such_table').get()),
      /Expected PERMISSION_DENIED, but the op failed with INVALID_ARGUMENT: /);
    // an argument refused at the call counts when the op is given as a function
    await assert.rejects(assertFails(() => alice.db.collection('lists').where({ 'a.b': 1 }).get()),
      /failed with INVALID_ARGUMENT: where: the nested field path 'a\.b'/);
  });

  test('assertSucceeds resolves with the op\'s value; rejects naming the code when it fails', async () => {
    assert.deepEqual(Object.keys(await assertSucceeds(() => alice.db.collection('notices').get())).sort(), ['data', 'next']);
    await assert.rejects(assertSucceeds(alice.db.collection('secrets').get()),
      /Expected the op to succeed, but it failed with PERMISSION_DENIED: /);
  });

  test('rulesTestEnv({ready}) uses a running local-cloud (and leaves it running); it needs ready or template',
    async () => {
      const second = await rulesTestEnv({ ready: `READY ${JSON.stringify(env.ready)}` });
      const dave = await second.as('dave');
      await assertSucceeds(dave.db.collection('notices').get());
      await second.cleanup();
      await assertSucceeds(alice.db.collection('notices').get());
      await assert.rejects(rulesTestEnv({}), /needs ready/);
    });

  test('a local-cloud that cannot start rejects with its output', async () => {
    await assert.rejects(rulesTestEnv({ template: 'template.yml', jar: join(repoRoot, 'no-such.jar') }),
      /local-cloud exited with 1 before READY:\n.*no-such\.jar/s);
  });
});
