// One client for the whole app: it keeps the session and refreshes the STS credentials by itself.
// lib/fc-miniapp.js is client/dist/fc-miniapp.js, copied here by `./mvnw package` (client/scripts/build.mjs).
const { createClient } = require('./lib/fc-miniapp.js');
const config = require('./config.js');

App({
  onLaunch() {
    this.client = createClient(Object.assign({}, config, { my }));
  },

  /** Logs in: with my.getAuthCode, or as config.localUser against local-cloud. */
  login() {
    return config.localUser ? this.client.login(`${config.localUser}:${Date.now()}`) : this.client.login();
  },
});
