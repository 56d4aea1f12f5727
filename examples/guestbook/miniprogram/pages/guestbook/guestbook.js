// The public guestbook (table `guestbook`, mode creator-write): every logged-in user reads the latest 20 posts,
// newest first; anyone posts (the server sets `_owner`), only a post's author changes or deletes it through the db
// function. Everyone likes every post through the app function `like` (client.call): creator-write lets no user
// change another's post, the function does it with server authority and only this: the caller's uid into the post's
// `likedBy`, once, and `likes` one up (`like: false` takes it back). A post's photo is uploaded to its author's public
// folder, which every user may read (downloadUrl with `owner`).
const app = getApp();

const TABLE = 'guestbook';
const PAGE_SIZE = 20;

/** The chosen image's local path: `tempFilePaths` in today's base library, `apFilePaths` in older ones. */
const chosenPath = (res) => (res.tempFilePaths || res.apFilePaths || [])[0] || '';

Page({
  data: {
    userId: '',
    text: '',
    photo: '', // the chosen image's local path, uploaded with the next post
    posts: [],
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

  onPullDownRefresh() {
    return this.run(() => this.reload()).then(() => my.stopPullDownRefresh && my.stopPullDownRefresh());
  },

  onTextInput(e) {
    this.setData({ text: e.detail.value });
  },

  onChoosePhoto() {
    return new Promise((resolve) => {
      my.chooseImage({
        count: 1,
        sourceType: ['camera', 'album'],
        success: (res) => {
          this.setData({ photo: chosenPath(res) });
          resolve();
        },
        fail: () => resolve(), // cancelled: the post goes without a photo
      });
    });
  },

  onPost() {
    const text = this.data.text.trim();
    if (!text) {
      this.setData({ error: 'Write something first.' });
      return Promise.resolve();
    }
    return this.run(async () => {
      const post = { text, likes: 0 };
      if (this.data.photo) {
        // the author's public folder: public/<uid>/guestbook/…; the path is unique among the author's files
        const path = `guestbook/${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.jpg`;
        await app.client.files.upload(path, this.data.photo, { contentType: 'image/jpeg', public: true });
        post.photo = path;
      }
      const { id } = await app.client.db.collection(TABLE).add(post);
      this.setData({ text: '', photo: '' });
      await this.reload(id);
    });
  },

  /** Likes the tapped post, or takes the like back when the caller likes it already; shows the function's answer. */
  onLike(e) {
    const post = this.postOf(e);
    return this.run(async () => {
      const row = await app.client.call('like', post.liked ? { id: post.id, like: false } : { id: post.id });
      const shown = { likes: row.likes || 0, liked: this.likedByMe(row) };
      this.setData({ posts: this.data.posts.map((p) => (p.id === row.id ? Object.assign({}, p, shown) : p)) });
    });
  },

  onDelete(e) {
    const post = this.postOf(e);
    return this.run(async () => {
      await app.client.db.collection(TABLE).doc(post.id).remove();
      if (post.photo) await app.client.files.remove(post.photo, { public: true });
      // not a reload: the query may list the post for up to a few seconds more (the search index's lag)
      this.setData({ posts: this.data.posts.filter((p) => p.id !== post.id) });
    });
  },

  /**
   * Reads the latest posts. `added`: the id of a post just written, which the query may not list yet (the search
   * index trails writes by up to a few seconds) while a get by id sees it at once: it is put first.
   */
  async reload(added) {
    const posts = app.client.db.collection(TABLE);
    let { data: rows } = await posts.orderBy('_createdAt', 'desc').limit(PAGE_SIZE).get();
    if (added && !rows.some((r) => r.id === added)) {
      const { data: row } = await posts.doc(added).get();
      if (row) rows = [row].concat(rows).slice(0, PAGE_SIZE);
    }
    this.setData({ posts: await Promise.all(rows.map((row) => this.shown(row))) });
  },

  /** Whether the caller's uid is in the row's `likedBy` (the like function keeps it). */
  likedByMe(row) {
    return Array.isArray(row.likedBy) && row.likedBy.includes(this.data.userId);
  },

  /**
   * A row as the page shows it: its photo's URL (from its author's public folder), whether it is the caller's and
   * whether the caller likes it.
   */
  async shown(row) {
    const photoUrl = row.photo
      ? (await app.client.files.downloadUrl(row.photo, { public: true, owner: row._owner })).url
      : '';
    return {
      id: row.id, text: row.text, likes: row.likes || 0, liked: this.likedByMe(row), photo: row.photo || '', photoUrl,
      owner: row._owner, mine: row._owner === this.data.userId, createdAt: row._createdAt,
    };
  },

  postOf(e) {
    return this.data.posts.find((p) => p.id === e.target.dataset.id);
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
