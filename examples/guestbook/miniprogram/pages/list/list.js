// Shared shopping lists (table `lists`, mode rules): read and update `doc._owner == auth.uid || auth.uid in
// doc.members`, create `true`, delete `doc._owner == auth.uid`. The owner adds a member by uid (`_.push`) and
// removes one (`_.pull`); owner and members see the list and tick its items; anyone else is refused
// (PERMISSION_DENIED), even with the list's id. A list's query needs no where: the server adds the rule's
// owner/member conditions.
const app = getApp();

const TABLE = 'lists';

/** A key for a new item, unique within its list. */
const newKey = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

Page({
  data: {
    userId: '',
    name: '',
    lists: [],
    current: null, // the open list: {id, name, owner, mine, members, items, version}
    member: '',
    item: '',
    busy: false,
    error: '',
  },

  /** `query.id`: a list opened from a shared link (pages/list/list?id=…). */
  onLoad(query) {
    return this.run(async () => {
      const { userId } = await app.login();
      this.setData({ userId });
      await this.reload();
      if (query && query.id) await this.open(query.id);
    });
  },

  onNameInput(e) { this.setData({ name: e.detail.value }); },
  onMemberInput(e) { this.setData({ member: e.detail.value }); },
  onItemInput(e) { this.setData({ item: e.detail.value }); },

  onCreate() {
    const name = this.data.name.trim();
    if (!name) {
      this.setData({ error: 'Name the list first.' });
      return Promise.resolve();
    }
    return this.run(async () => {
      const { id } = await this.lists().add({ name, members: [], items: [] });
      this.setData({ name: '' });
      await this.open(id);
      await this.reload();
    });
  },

  onOpen(e) {
    return this.run(() => this.open(e.target.dataset.id));
  },

  onAddMember() {
    const uid = this.data.member.trim();
    if (!uid) {
      this.setData({ error: 'Type the member\'s user id first.' });
      return Promise.resolve();
    }
    const _ = app.client.db.command;
    return this.change({ members: _.push([uid]) })
      .then(() => { if (!this.data.error) this.setData({ member: '' }); });
  },

  onRemoveMember(e) {
    const _ = app.client.db.command;
    return this.change({ members: _.pull([e.target.dataset.uid]) });
  },

  onAddItem() {
    const text = this.data.item.trim();
    if (!text) {
      this.setData({ error: 'Type the item first.' });
      return Promise.resolve();
    }
    const _ = app.client.db.command;
    return this.change({ items: _.push([{ key: newKey(), text, done: false }]) })
      .then(() => { if (!this.data.error) this.setData({ item: '' }); });
  },

  /** Ticks (or unticks) an item: the whole array written back, only if nobody changed the list since it was read. */
  onTick(e) {
    const { current } = this.data;
    const key = e.target.dataset.key;
    const items = current.items.map((it) => (it.key === key ? Object.assign({}, it, { done: !it.done }) : it));
    return this.change({ items }, current.version);
  },

  onDeleteList() {
    const { current } = this.data;
    return this.run(async () => {
      await this.lists().doc(current.id).remove();
      this.setData({ current: null, lists: this.data.lists.filter((l) => l.id !== current.id) });
    });
  },

  onClose() {
    this.setData({ current: null });
  },

  lists() {
    return app.client.db.collection(TABLE);
  },

  /** The lists the caller owns or is a member of, newest first (the rule's conditions are the server's to add). */
  async reload() {
    const { data } = await this.lists().orderBy('_createdAt', 'desc').limit(20).get();
    this.setData({ lists: data.map((row) => ({ id: row.id, name: row.name, mine: row._owner === this.data.userId })) });
  },

  async open(id) {
    this.setData({ current: null });
    const { data: row } = await this.lists().doc(id).get();
    if (!row) throw new Error('This list does not exist (any more).');
    this.show(row);
  },

  show(row) {
    this.setData({
      current: {
        id: row.id, name: row.name, owner: row._owner, mine: row._owner === this.data.userId,
        members: row.members || [], items: row.items || [], version: row._version,
      },
    });
  },

  /**
   * Updates the open list with `changes` (values and commands) and shows the row after. With `version`, a list
   * changed meanwhile (CONFLICT) is read again and shown, for the user to tick once more.
   */
  change(changes, version) {
    const { current } = this.data;
    return this.run(async () => {
      try {
        this.show(await this.lists().doc(current.id).update(changes, { version }));
      } catch (e) {
        if (e.code !== 'CONFLICT') throw e;
        await this.open(current.id);
        throw new Error('Someone changed this list meanwhile: here it is again.');
      }
    });
  },

  /** Runs one user action: busy while it runs, its failure shown with the client's message. */
  async run(action) {
    this.setData({ busy: true, error: '' });
    try {
      await action();
    } catch (e) {
      this.setData({ error: e.message || String(e) });
    } finally {
      this.setData({ busy: false });
    }
  },
});
