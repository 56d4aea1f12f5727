// One client for the whole app: it keeps the session and refreshes the STS credentials by itself.
// lib/fc-miniapp.js is client/dist/fc-miniapp.js, copied here by `./mvnw package` (client/scripts/build.mjs).
const { createClient } = require('./lib/fc-miniapp.js');
const config = require('./config.js');

App({
  onLaunch() {
    this.client = createClient(Object.assign({}, config, { my }));
    this.signedIn = null;
  },

  /** Logs in once for both pages: with my.getAuthCode, or as config.localUser against local-cloud. */
  login() {
    if (!this.signedIn) {
      const code = config.localUser ? `${config.localUser}:${Date.now()}` : undefined;
      this.signedIn = this.client.login(code).catch((e) => {
        this.signedIn = null; // a failed login may be retried from the page
        throw e;
      });
    }
    return this.signedIn;
  },
});
