// The todo list: rows in the db function's default table (ids `todo-…`), one photo per todo under photos/.
const app = getApp();

const PREFIX = 'todo-';

Page({
  data: {
    userId: '',
    title: '',
    todos: [],
    busy: false,
    error: '',
  },

  onLoad() {
    return this.run(async () => {
      const { userId } = await app.login();
      this.setData({ userId });
      await this.reload();
    });
  },

  onTitleInput(e) {
    this.setData({ title: e.detail.value });
  },

  onAdd() {
    const title = this.data.title.trim();
    if (!title) {
      this.setData({ error: 'Type what to do first.' });
      return Promise.resolve();
    }
    return this.run(async () => {
      await app.client.db.put({ id: `${PREFIX}${Date.now()}`, title, done: false }, { expect: 'absent' });
      this.setData({ title: '' });
      await this.reload();
    });
  },

  onToggle(e) {
    const todo = this.todoOf(e);
    return this.run(async () => {
      // the version makes a change made meanwhile on another phone a CONFLICT instead of a silent overwrite
      await app.client.db.update(todo.id, { set: { done: !todo.done }, version: todo._version });
      await this.reload();
    });
  },

  onDelete(e) {
    const todo = this.todoOf(e);
    return this.run(async () => {
      await app.client.db.remove(todo.id, { version: todo._version });
      if (todo.photo) await app.client.files.remove(todo.photo);
      await this.reload();
    });
  },

  onPhoto(e) {
    const todo = this.todoOf(e);
    return new Promise((resolve) => {
      my.chooseImage({
        count: 1,
        success: (res) => resolve(this.attachPhoto(todo, res.apFilePaths[0])),
        fail: () => resolve(),
      });
    });
  },

  attachPhoto(todo, filePath) {
    return this.run(async () => {
      const path = `photos/${todo.id}.jpg`;
      await app.client.files.upload(path, filePath, { contentType: 'image/jpeg' });
      await app.client.db.update(todo.id, { set: { photo: path }, version: todo._version });
      await this.reload();
    });
  },

  onLogout() {
    return this.run(async () => {
      await app.client.logout();
      this.setData({ userId: '', todos: [] });
    });
  },

  /** Reads the list again, with fresh download URLs for its photos: one downloadUrls call for the whole page. */
  async reload() {
    const { items } = await app.client.db.list({ prefix: PREFIX, limit: 100 });
    const photos = items.filter((todo) => todo.photo).map((todo) => todo.photo);
    const urls = {};
    if (photos.length > 0) {
      (await app.client.files.downloadUrls(photos)).forEach((link) => { urls[link.path] = link.url; });
    }
    const todos = items.map((todo) => Object.assign({}, todo, { photoUrl: todo.photo ? urls[todo.photo] : '' }));
    this.setData({ todos });
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

  todoOf(e) {
    return this.data.todos.find((t) => t.id === e.target.dataset.id);
  },
});
