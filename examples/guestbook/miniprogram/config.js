// Where the backend is: local-cloud's READY line (started with --template examples/guestbook/template.yml), or your
// deployment of examples/guestbook/template.yml (see client/README.md). From the IDE simulator or a phone, local-cloud
// runs with `--host 0.0.0.0` and these URLs use this machine's LAN address; a deployed backend uses https URLs
// whitelisted in the Alipay open platform console.
module.exports = {
  endpoint: 'http://192.168.1.10:9000',
  accountId: '1234567890123456',
  region: 'cn-hangzhou',
  serviceName: 'fc-miniapp',
  sessionUrl: 'http://192.168.1.10:9000/2016-08-15/proxy/fc-miniapp-session/session/',
  dbFunctionName: 'db',
  // FC 2.0: each app function's service (local-cloud's READY `services`, or the template's Outputs)
  services: { 'post-notice': 'fc-miniapp-post-notice', secret: 'fc-miniapp-secret', like: 'fc-miniapp-like' },
  // local-cloud only: it knows no real Alipay code, so log in as this user with a `name:anything` code.
  // Delete this line for a deployed backend: login then uses my.getAuthCode.
  localUser: 'alice',
};
