// One client for the whole app: it keeps the session and refreshes the STS credentials by itself.
// lib/fc-miniapp.js is client/dist/fc-miniapp.js, copied here by `./mvnw package` (client/scripts/build.mjs).
const { createClient } = require('./lib/fc-miniapp.js');
const config = require('./config.js');

App({
  onLaunch() {
    // the client reads the session kept from the last launch here: a live one needs no session call at all
    this.client = createClient(Object.assign({}, config, { my }, keptApart()));
    this.signedIn = null;
  },

  /**
   * Signs in once for both pages: the kept session while it lives, else with my.getAuthCode, or as
   * config.localUser against local-cloud.
   */
  login() {
    if (!this.signedIn) {
      this.signedIn = signIn(this.client).catch((e) => {
        this.signedIn = null; // a failed login may be retried from the page
        throw e;
      });
    }
    return this.signedIn;
  },
});

/** Against local-cloud, each config.localUser keeps its own session (changing the name signs in as that user). */
function keptApart() {
  return config.localUser ? { storageKey: `fc-miniapp:session:${config.sessionUrl}:${config.localUser}` } : {};
}

/**
 * login() without a code: the kept session while it lives (no request; one refresh near its keys' expiry), else a
 * login with my.getAuthCode. local-cloud knows no real Alipay code, so with config.localUser and nothing kept (or
 * the kept session ended and Alipay's code was refused) it logs in with a `localUser:…` code instead.
 */
function signIn(client) {
  const asLocalUser = () => client.login(`${config.localUser}:${Date.now()}`);
  if (!config.localUser) return client.login();
  if (client.userId === null) return asLocalUser();
  return client.login().catch((e) => {
    if (client.userId !== null) throw e; // the kept session still stands: not a refusal of it
    return asLocalUser();
  });
}
