// Finds the Chromium the console's browser tests drive (test/console.test.js), before `npm test`: CHROMIUM_PATH,
// else Debian's /usr/bin/chromium. Where neither exists it installs Debian's `chromium` package when it can
// (root with apt-get, as on CI and a fresh machine), else stops naming the exact command to run. Playwright's own
// browser download is not used: it is not reachable from every machine this project is built on.
import { accessSync, constants, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** The Chromium the tests use: CHROMIUM_PATH when set, else Debian's. */
export function chromiumPath(env = process.env) {
  return env.CHROMIUM_PATH || DEBIAN_CHROMIUM;
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function run(command, args) {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

/** Installs Debian's chromium with apt-get; false when this process may not or cannot. */
function install() {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get')) return false;
  return run('apt-get', ['update', '-qq']) && run('apt-get', ['install', '-y', '-qq', 'chromium'])
    && executable(DEBIAN_CHROMIUM);
}

const path = chromiumPath();
if (executable(path)) {
  console.log(`ensure-chromium: using ${path}`);
} else if (process.env.CHROMIUM_PATH) {
  console.error(`ensure-chromium: CHROMIUM_PATH=${path} is not an executable file; point it at a Chromium binary.`);
  process.exit(1);
} else if (install()) {
  console.log(`ensure-chromium: installed Debian's chromium at ${DEBIAN_CHROMIUM}`);
} else {
  console.error('ensure-chromium: the console\'s browser tests need Chromium and none was found. Run\n'
    + '  sudo apt-get update && sudo apt-get install -y chromium\n'
    + 'or set CHROMIUM_PATH to a Chromium binary, then run the tests again.');
  process.exit(1);
}
