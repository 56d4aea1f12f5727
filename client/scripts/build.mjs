// Builds dist/fc-miniapp.js: src bundled by esbuild into one CommonJS file of ES2017 syntax with no require or
// import, for an Alipay mini-program to copy and require. Fails if anything reaches a Node built-in. Built-ins
// newer than ES2017 that a dependency calls are replaced by scripts/es2017-shims.js (esbuild lowers syntax only).
import { builtinModules } from 'node:module';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'fc-miniapp.js');
const builtins = new Set(builtinModules);
const shims = join(root, 'scripts', 'es2017-shims.js');

/** Refuses every import of a Node built-in (node:x or a bare built-in name), naming the importer. */
export const noNodeBuiltins = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.path.startsWith('node:') || builtins.has(args.path) || builtins.has(args.path.split('/')[0])) {
        return { errors: [{ text: `${args.importer} imports the Node built-in '${args.path}'; a mini-program has none` }] };
      }
      return undefined;
    });
  },
};

/** Bundles `entry` into `outfile` as the mini-program build. */
export function bundle(entry, outfile) {
  return build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    format: 'cjs',
    target: 'es2017',
    inject: [shims],
    define: { 'Object.hasOwn': 'objectHasOwn' },
    legalComments: 'inline',
    plugins: [noNodeBuiltins],
    logLevel: 'silent',
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await bundle(join(root, 'src', 'index.js'), out);
  // esbuild's CommonJS output of an ESM graph calls no require; prove it stayed so
  if (/\brequire\s*\(|\bimport\s*\(|^\s*import\s/m.test(readFileSync(out, 'utf8'))) {
    throw new Error(`${out} still calls require or import`);
  }
  // an example mini-program cannot require outside its own folder: each gets a copy
  for (const example of [['todo-miniprogram'], ['checkin', 'miniprogram'], ['guestbook', 'miniprogram']]) {
    const lib = join(root, '..', 'examples', ...example, 'lib');
    mkdirSync(lib, { recursive: true });
    copyFileSync(out, join(lib, 'fc-miniapp.js'));
  }
}
