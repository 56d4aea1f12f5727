// Installs the pinned deploy tools (package-lock.json) with `npm ci`, unless node_modules already holds exactly
// that lock: the stamp is the lock's SHA-256, written only after a successful install.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const lock = path.join(root, 'package-lock.json');
const stamp = path.join(root, 'node_modules', '.fc-miniapp-lock.sha256');
const wanted = crypto.createHash('sha256').update(fs.readFileSync(lock)).digest('hex');
const present = fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === wanted
    && fs.existsSync(path.join(root, 'node_modules', '.bin', 'fun'))
    && fs.existsSync(path.join(root, 'node_modules', '.bin', 's'));
if (present) {
  console.log('deploy tools up to date (package-lock.json unchanged)');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error('npm ci failed' + (result.error ? ': ' + result.error.message : ''));
  process.exit(result.status || 1);
}
fs.writeFileSync(stamp, wanted + '\n');
