// The daily check-in: the checkin function adds 10 points once a day (Asia/Shanghai) and answers the total; the
// leaderboard function answers the ten best. Both are app functions reached with client.call; the page sends them no
// input: who checks in, and for how much, is the server's to decide.
const app = getApp();

Page({
  data: {
    userId: '',
    points: 0,
    checkedIn: false,
    status: '',
    top: [],
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

  onCheckin() {
    return this.run(async () => {
      const { checkedIn, points } = await app.client.call('checkin');
      this.setData({
        checkedIn,
        points,
        status: checkedIn ? 'Checked in: +10 points.' : 'Already checked in today.',
      });
      await this.reload();
    });
  },

  onRefresh() {
    return this.run(() => this.reload());
  },

  /** Reads the leaderboard again; the caller's own row is marked. */
  async reload() {
    const { top } = await app.client.call('leaderboard');
    const me = this.data.userId;
    this.setData({ top: top.map((entry, i) => Object.assign({ rank: i + 1, me: entry.userId === me }, entry)) });
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
