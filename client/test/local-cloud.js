// Starts local-cloud (the shaded jar) on a free port with its own data folder and reads its READY line.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const jar = join(repoRoot, 'local-cloud', 'target', 'local-cloud.jar');

/** A JDK tool: from JAVA_HOME when set (as Maven runs us), else the PATH's. */
function jdkTool(name) {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', name) : name;
}

function run(command, args, cwd = undefined) {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (${result.error || result.status}): ${result.stderr}; `
      + 'the tests compile their fixture functions with the JDK that builds this project (set JAVA_HOME).');
  }
}

/**
 * Compiles the fixture function `sources` (Java files) against `classpath` (a jar holding fc-java-core) into
 * `dir/<jarName>`, with `resources` (files) packed beside the classes; returns the jar's path. `withClasspath`:
 * the classpath jar's own contents go into the fixture jar too (a fixture on the function kit needs the kit and
 * its SDKs, which a shaded example jar holds).
 */
export function buildFixtureJar({ sources, classpath, dir, jarName, resources = [], withClasspath = false }) {
  const classes = join(dir, `${jarName}-classes`);
  mkdirSync(classes);
  if (withClasspath) run(jdkTool('jar'), ['--extract', '--file', resolve(classpath)], classes);
  run(jdkTool('javac'), ['--release', '11', '-cp', classpath, '-d', classes, ...sources]);
  resources.forEach((file) => copyFileSync(file, join(classes, basename(file))));
  const out = join(dir, jarName);
  run(jdkTool('jar'), ['--create', '--file', out, '-C', classes, '.']);
  return out;
}

export function tempDataDir() {
  return mkdtempSync(join(tmpdir(), 'local-cloud-test-'));
}

/**
 * Resolves to { ready, stop(), output() } once local-cloud printed READY; rejects if it exits first. `args`: more
 * options (e.g. `--template FILE`).
 */
export function startLocalCloud(dataDir = tempDataDir(), args = []) {
  const child = spawn('java', ['-jar', jar, '--port', '0', '--data', dataDir, ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const stopped = new Promise((res) => child.once('exit', res));
  const ready = new Promise((res, rej) => {
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (line && out.includes('\n', out.indexOf(line))) res(JSON.parse(line.slice('READY '.length)));
    });
    child.once('exit', (code) => rej(new Error(`local-cloud exited with ${code} before READY:\n${out}\n${err}`)));
  });
  return ready.then((info) => ({
    ready: info,
    dataDir,
    output: () => out + err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await stopped;
    },
  }));
}

/** Waits until `check()` is truthy, polling; fails after `limitMs`. */
export async function eventually(check, limitMs = 10000) {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > limitMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts local-cloud and resolves to `{cloud, config}`: config is what createClient needs to reach it. */
export async function startForClients() {
  const cloud = await startLocalCloud();
  const r = cloud.ready;
  const config = {
    endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
    sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName,
  };
  return { cloud, config };
}
