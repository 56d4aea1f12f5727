// scripts/new-function.sh on a copy of the repository's descriptors (template.yml, s.yaml, pom.xml,
// deploy/policies/) and of the script itself, in a temporary directory: what one run adds, file by file and parsed
// (the YAML with js-yaml from deploy/node_modules, which the deploy module's verify installs), and that every
// refusal exits non-zero with what to fix and leaves the tree byte for byte as it was.
// Run: node --test scripts/test/new-function.test.mjs (./mvnw verify runs it in the deploy module).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync }
  from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function loadYamlParser() {
  try {
    return createRequire(join(repo, 'deploy', 'package.json'))('js-yaml');
  } catch (e) {
    throw new Error('js-yaml not found in deploy/node_modules: run `node deploy/scripts/ensure-tools.js` first (the '
      + `deploy module's verify does) (${e.message})`);
  }
}
const yaml = loadYamlParser();
const parseYaml = (text) => (yaml.safeLoad || yaml.load)(text);

/** A temporary copy of what the scaffold reads and writes; `functions/` too when the repository has one. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'new-function-'));
  for (const file of ['template.yml', 's.yaml', 'pom.xml', 'tables.json']) cpSync(join(repo, file), join(dir, file));
  cpSync(join(repo, 'deploy', 'policies'), join(dir, 'deploy', 'policies'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  for (const file of ['new-function.sh', 'new-function.mjs', 'tables.mjs']) {
    cpSync(join(repo, 'scripts', file), join(dir, 'scripts', file));
  }
  if (existsSync(join(repo, 'functions'))) {
    const built = (p) => relative(join(repo, 'functions'), p).split(sep).includes('target');
    cpSync(join(repo, 'functions'), join(dir, 'functions'), { recursive: true, filter: (p) => !built(p) });
  }
  return dir;
}

function scaffold(dir, ...args) {
  const run = spawnSync('bash', [join(dir, 'scripts', 'new-function.sh'), ...args], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Every file (its SHA-256) and every directory of the tree, by relative path. */
function snapshot(dir, base = dir, out = new Map()) {
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    const rel = path.slice(base.length + 1);
    if (lstatSync(path).isDirectory()) {
      out.set(`${rel}/`, 'dir');
      snapshot(path, base, out);
    } else {
      out.set(rel, createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  }
  return out;
}

function changes(before, after) {
  const created = [...after.keys()].filter((k) => !before.has(k) && !k.endsWith('/')).sort();
  const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
  const removed = [...before.keys()].filter((k) => !after.has(k)).sort();
  return { created, changed, removed };
}

const read = (dir, path) => readFileSync(join(dir, path), 'utf8');
const json = (dir, path) => JSON.parse(read(dir, path));
const clone = (v) => structuredClone(v);

/** The first of demo, demo-1, demo-2, … the copied tree does not hold yet (the repository may have a demo already). */
function freeName(dir, base) {
  const template = read(dir, 'template.yml');
  for (let i = 0; ; i++) {
    const name = i === 0 ? base : `${base}-${i}`;
    if (!template.includes(`fc-miniapp-${name}:`) && !existsSync(join(dir, 'functions', name))
      && !existsSync(join(dir, 'functions', name.replace(/-/g, '')))) return name;
  }
}

const pascalOf = (name) => name.split('-').filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('');
const SESSION_ROW = 'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/session';
const USERS_ROW = 'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/miniapp_users';
const LOG = 'acs:log:${ALIYUN::Region}:${ALIYUN::AccountId}:project/${LogProjectName}/logstore/function-log';
const FC = 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}';
const APP_ENV = ['TABLESTORE_ENDPOINT', 'TABLESTORE_INSTANCE', 'TABLESTORE_AUTO_CREATE', 'SESSION_TABLE',
  'SESSION_TTL_SECONDS', 'USERS_TABLE', 'DATA_TABLES', 'APP_TABLES', 'UPSTREAM_TIMEOUT_MS', 'JAVA_TOOL_OPTIONS'];

const invokeStatement = (template) => template.Resources.InvokeRole.Properties.Policies[0].PolicyDocument.Statement[0];
const sessionEnv = (template) => template.Resources['fc-miniapp-session'].session.Properties.EnvironmentVariables;
const listOf = (value) => String(value).split(',').map((e) => e.trim()).filter(Boolean);

describe('new-function.sh NAME on a copy of the repository', () => {
  const dir = fixture();
  const NAME = freeName(dir, 'demo');
  const P = pascalOf(NAME);
  const pkgPath = `com/fcminiapp/functions/${NAME.replace(/-/g, '')}`;
  const before = snapshot(dir);
  const old = {
    template: parseYaml(read(dir, 'template.yml')),
    sYaml: parseYaml(read(dir, 's.yaml')),
    pom: read(dir, 'pom.xml'),
    invoke: json(dir, 'deploy/policies/invoke-role.json'),
    deployer: json(dir, 'deploy/policies/deployer.json'),
    setup: json(dir, 'deploy/policies/setup.json'),
  };
  const run = scaffold(dir, NAME);
  const after = snapshot(dir);

  test('it succeeds, creates exactly the module and the role file and changes exactly the six shared files', () => {
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(changes(before, after), {
      created: [`deploy/policies/${NAME}-role.json`, `functions/${NAME}/pom.xml`,
        `functions/${NAME}/src/main/java/${pkgPath}/${P}Function.java`,
        `functions/${NAME}/src/main/java/${pkgPath}/${P}Handler.java`,
        `functions/${NAME}/src/test/java/${pkgPath}/${P}FunctionTest.java`].sort(),
      changed: ['deploy/policies/deployer.json', 'deploy/policies/invoke-role.json', 'deploy/policies/setup.json',
        'pom.xml', 's.yaml', 'template.yml'],
      removed: [],
    });
    assert.ok(![...after.keys()].some((k) => k.includes('.tmp')), 'no temporary file is left');
  });

  test("its DATA_TABLES is tables.json's compact JSON in template.yml and the file itself in s.yaml", () => {
    const compact = JSON.stringify(JSON.parse(read(dir, 'tables.json')));
    const fn = parseYaml(read(dir, 'template.yml')).Resources[`fc-miniapp-${NAME}`][NAME];
    assert.equal(fn.Properties.EnvironmentVariables.DATA_TABLES, compact);
    assert.equal(parseYaml(read(dir, 's.yaml')).resources[NAME].props.environmentVariables.DATA_TABLES,
      '${vars.dataTables}');
    cpSync(join(repo, 'scripts', 'tables.sh'), join(dir, 'scripts', 'tables.sh'));
    const check = spawnSync('bash', [join(dir, 'scripts', 'tables.sh'), '--check', dir], { encoding: 'utf8' });
    rmSync(join(dir, 'scripts', 'tables.sh'));
    assert.equal(check.status, 0, `scripts/tables.sh --check after the scaffold: ${check.stderr}`);
  });

  test('template.yml: its own service whose role reads the session and users tables and writes logs, nothing else', () => {
    const template = parseYaml(read(dir, 'template.yml'));
    const service = template.Resources[`fc-miniapp-${NAME}`];
    assert.equal(service.Type, 'Aliyun::Serverless::Service');
    assert.equal(service.Properties.Role, undefined);
    assert.deepEqual(service.Properties.Policies, [{ Version: '1', Statement: [
      { Effect: 'Allow', Action: ['ots:GetRow'], Resource: { 'Fn::Sub': SESSION_ROW } },
      { Effect: 'Allow', Action: ['ots:GetRow'], Resource: { 'Fn::Sub': USERS_ROW } },
      { Effect: 'Allow', Action: ['log:PostLogStoreLogs'], Resource: { 'Fn::Sub': LOG } }] }]);
    assert.deepEqual(service.Properties.LogConfig, old.template.Resources['fc-miniapp'].Properties.LogConfig);
    assert.deepEqual(service.DependsOn, ['FunctionLogStore', 'SessionTable', 'UsersTable']);
    assert.deepEqual(Object.keys(service), ['Type', 'DependsOn', 'Properties', NAME]);
  });

  test('template.yml: the function NAME runs the handler of the module\'s shaded jar with the kit\'s variables', () => {
    const template = parseYaml(read(dir, 'template.yml'));
    const fn = template.Resources[`fc-miniapp-${NAME}`][NAME];
    const db = old.template.Resources['fc-miniapp'].db.Properties;
    const handler = `com.fcminiapp.functions.${NAME.replace(/-/g, '')}.${P}Handler`;
    assert.equal(fn.Type, 'Aliyun::Serverless::Function');
    assert.equal(fn.Properties.CodeUri, `./functions/${NAME}/target/${NAME}-function.jar`);
    assert.equal(fn.Properties.Handler, `${handler}::handleRequest`);
    assert.equal(fn.Properties.Initializer, `${handler}::initialize`);
    assert.deepEqual(fn.Properties.InstanceLifecycleConfig, { PreStop: { Handler: `${handler}::preStop`, Timeout: 5 } });
    for (const key of ['Runtime', 'InitializationTimeout', 'MemorySize', 'Timeout']) {
      assert.equal(fn.Properties[key], db[key], key);
    }
    const env = fn.Properties.EnvironmentVariables;
    assert.deepEqual(Object.keys(env).sort(), [...APP_ENV].sort());
    assert.equal(env.APP_TABLES, '');
    for (const key of APP_ENV.filter((k) => k !== 'APP_TABLES')) assert.deepEqual(env[key], db.EnvironmentVariables[key], key);
  });

  test("deleteAccount clears every table NAME may name: its APP_TABLES is empty and any name it adds must be in the session function's DATA_TABLES; the session function's deletion is unchanged", () => {
    for (const [file, fnEnv, session, oldSession] of [
      ['template.yml', (d) => d.Resources[`fc-miniapp-${NAME}`][NAME].Properties.EnvironmentVariables, sessionEnv,
        sessionEnv(old.template)],
      ['s.yaml', (d) => d.resources[NAME].props.environmentVariables, (d) => d.resources.session.props.environmentVariables,
        old.sYaml.resources.session.props.environmentVariables]]) {
      const doc = parseYaml(read(dir, file));
      // the kit refuses an APP_TABLES name outside DATA_TABLES, and the session function deletes DATA_TABLES' rows
      assert.equal(fnEnv(doc).APP_TABLES, '', file);
      assert.deepEqual(fnEnv(doc).DATA_TABLES, session(doc).DATA_TABLES, file);
      assert.equal(session(doc).APP_TABLES, oldSession.APP_TABLES, file);
      assert.equal(session(doc).APP_TABLES, '', file);
    }
  });

  test('template.yml: NAME callable (CALLABLE_FUNCTIONS and both ARN forms in the InvokeRole), an Output, nothing else', () => {
    const template = parseYaml(read(dir, 'template.yml'));
    assert.deepEqual(listOf(sessionEnv(template).CALLABLE_FUNCTIONS),
      [...listOf(sessionEnv(old.template).CALLABLE_FUNCTIONS), `fc-miniapp-${NAME}/${NAME}`]);
    assert.deepEqual(invokeStatement(template).Resource, [...invokeStatement(old.template).Resource,
      { 'Fn::Sub': `${FC}:services/fc-miniapp-${NAME}/functions/${NAME}` }, { 'Fn::Sub': `${FC}:functions/${NAME}` }]);
    assert.deepEqual(template.Outputs[`${P}ServiceName`].Value, `fc-miniapp-${NAME}`);

    const rest = clone(template);
    delete rest.Resources[`fc-miniapp-${NAME}`];
    delete rest.Outputs[`${P}ServiceName`];
    invokeStatement(rest).Resource.splice(-2);
    sessionEnv(rest).CALLABLE_FUNCTIONS = sessionEnv(old.template).CALLABLE_FUNCTIONS;
    assert.deepEqual(rest, old.template);
    assert.deepEqual(Object.keys(template.Resources).slice(-1), [`fc-miniapp-${NAME}`], 'appended at the end');
  });

  test('s.yaml: resource NAME builds its module first and runs as role fc-miniapp-NAME; NAME callable', () => {
    const sYaml = parseYaml(read(dir, 's.yaml'));
    const resource = sYaml.resources[NAME];
    const db = old.sYaml.resources.db;
    const handler = `com.fcminiapp.functions.${NAME.replace(/-/g, '')}.${P}Handler`;
    assert.equal(resource.component, 'fc3');
    assert.deepEqual(resource.actions, { 'pre-deploy': [
      { run: `./mvnw -B -DskipTests -pl functions/${NAME} -am package`, path: './' }] });
    const props = resource.props;
    assert.equal(props.functionName, NAME);
    assert.equal(props.code, `./functions/${NAME}/target/${NAME}-function.jar`);
    assert.equal(props.handler, `${handler}::handleRequest`);
    assert.equal(props.role, `acs:ram::\${vars.accountId}:role/fc-miniapp-${NAME}`);
    assert.deepEqual(props.instanceLifecycleConfig, { initializer: { handler: `${handler}::initialize`, timeout: 30 },
      preStop: { handler: `${handler}::preStop`, timeout: 5 } });
    for (const key of ['region', 'runtime', 'memorySize', 'timeout', 'logConfig']) {
      assert.deepEqual(props[key], db.props[key], key);
    }
    assert.deepEqual(Object.keys(props.environmentVariables).sort(), [...APP_ENV].sort());
    for (const key of APP_ENV.filter((k) => k !== 'APP_TABLES')) {
      assert.deepEqual(props.environmentVariables[key], db.props.environmentVariables[key], key);
    }
    assert.equal(props.environmentVariables.APP_TABLES, '');
    assert.deepEqual(listOf(sYaml.vars.callableFunctions), [...listOf(old.sYaml.vars.callableFunctions), NAME]);

    const rest = clone(sYaml);
    delete rest.resources[NAME];
    rest.vars.callableFunctions = old.sYaml.vars.callableFunctions;
    assert.deepEqual(rest, old.sYaml);
  });

  test('deploy/policies: NAME-role.json reads the session and users tables, writes logs; invoke-role.json gains NAME', () => {
    assert.deepEqual(json(dir, `deploy/policies/${NAME}-role.json`), { Version: '1', Statement: [
      { Effect: 'Allow', Action: ['ots:GetRow'],
        Resource: 'acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/session' },
      { Effect: 'Allow', Action: ['ots:GetRow'],
        Resource: 'acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/miniapp_users' },
      { Effect: 'Allow', Action: ['log:PostLogStoreLogs'],
        Resource: 'acs:log:<region>:<accountId>:project/<logProject>/logstore/function-log' }] });
    const expected = clone(old.invoke);
    expected.Statement[0].Resource.push(`acs:fc:<region>:<accountId>:functions/${NAME}`);
    assert.deepEqual(json(dir, 'deploy/policies/invoke-role.json'), expected);
  });

  test('deploy/policies: the deployer may deploy NAME and pass its role; the setup may create that role', () => {
    const statementWith = (policy, action) => policy.Statement.findIndex((s) => [].concat(s.Action).includes(action));
    const fn = `acs:fc:<region>:<accountId>:functions/${NAME}`;
    const deployer = clone(old.deployer);
    deployer.Statement[statementWith(deployer, 'fc:UpdateFunction')].Resource.push(fn, `${fn}/*`);
    deployer.Statement[statementWith(deployer, 'ram:PassRole')].Resource.push(`acs:ram::<accountId>:role/fc-miniapp-${NAME}`);
    assert.deepEqual(json(dir, 'deploy/policies/deployer.json'), deployer);
    const setup = clone(old.setup);
    setup.Statement[statementWith(setup, 'ram:CreateRole')].Resource.push(`acs:ram:*:<accountId>:role/fc-miniapp-${NAME}`);
    setup.Statement[statementWith(setup, 'ram:CreatePolicy')].Resource.push(`acs:ram:*:<accountId>:policy/fc-miniapp-${NAME}`);
    assert.deepEqual(json(dir, 'deploy/policies/setup.json'), setup);
    assert.ok(read(dir, 'deploy/policies/deployer.json').split('\n').every((line) => line.length <= 120), 'lines ≤ 120');
  });

  test('pom.xml: the module right above deploy; the module\'s pom: the kit, the test harness, the shaded jar', () => {
    assert.equal(read(dir, 'pom.xml'), old.pom.replace('    <module>deploy</module>',
      `    <module>functions/${NAME}</module>\n    <module>deploy</module>`));
    const pom = read(dir, `functions/${NAME}/pom.xml`);
    assert.match(pom, /<parent>\s*<groupId>com\.fcminiapp<\/groupId>\s*<artifactId>fc-miniapp-parent<\/artifactId>\s*<version>[^<]+<\/version>\s*<relativePath>\.\.\/\.\.\/pom\.xml<\/relativePath>\s*<\/parent>/);
    assert.match(pom, new RegExp(`</parent>\\s*<artifactId>${NAME}-function</artifactId>`));
    assert.match(pom, /<artifactId>function-kit<\/artifactId>\s*<\/dependency>/);
    assert.match(pom, /<artifactId>function-kit<\/artifactId>\s*<type>test-jar<\/type>\s*<scope>test<\/scope>/);
    assert.match(pom, /<artifactId>maven-shade-plugin<\/artifactId>/);
    assert.doesNotMatch(pom, /<version>(?!\d+\.\d+\.\d+-SNAPSHOT)/, 'no version but the parent\'s');
  });

  test('the Java: the function answers {uid: caller.uid(), input}; the handler has the no-arg and Map constructors', () => {
    const src = `functions/${NAME}/src/main/java/${pkgPath}`;
    const fn = read(dir, `${src}/${P}Function.java`);
    assert.match(fn, new RegExp(`^package com\\.fcminiapp\\.functions\\.${NAME.replace(/-/g, '')};`));
    assert.match(fn, new RegExp(`public final class ${P}Function implements AppFunction`));
    assert.match(fn, /\/\/ your logic here/);
    assert.match(fn, /answer\.put\("uid", caller\.uid\(\)\);\s*answer\.put\("input", input\);\s*return answer;/);
    const handler = read(dir, `${src}/${P}Handler.java`);
    assert.match(handler, new RegExp(`public class ${P}Handler extends AppHandler`));
    assert.match(handler, new RegExp(`public ${P}Handler\\(\\) \\{\\s*super\\(${P}Function::new\\);`));
    assert.match(handler, new RegExp(`public ${P}Handler\\(Map<String, String> env\\) \\{\\s*super\\(env, ${P}Function::new\\);`));
    const t = read(dir, `functions/${NAME}/src/test/java/${pkgPath}/${P}FunctionTest.java`);
    assert.match(t, /KitTestCloud\.start\(\)/);
    for (const name of ['answersTheCallersUidAndTheInputAsSent', 'aUidInTheInputDoesNotChangeTheCaller',
      'withoutALiveSessionTheAnswerIsUnauthenticatedAndNoData']) assert.match(t, new RegExp(`void ${name}\\(\\)`));
  });

  test('a second function is appended after the first in every list', () => {
    const second = freeName(dir, 'hello-world');
    const result = scaffold(dir, second);
    assert.equal(result.status, 0, result.stderr);
    const template = parseYaml(read(dir, 'template.yml'));
    assert.deepEqual(listOf(sessionEnv(template).CALLABLE_FUNCTIONS).slice(-2),
      [`fc-miniapp-${NAME}/${NAME}`, `fc-miniapp-${second}/${second}`]);
    assert.deepEqual(listOf(parseYaml(read(dir, 's.yaml')).vars.callableFunctions).slice(-2), [NAME, second]);
    assert.deepEqual(json(dir, 'deploy/policies/invoke-role.json').Statement[0].Resource.slice(-2),
      [`acs:fc:<region>:<accountId>:functions/${NAME}`, `acs:fc:<region>:<accountId>:functions/${second}`]);
    assert.ok(existsSync(join(dir, 'functions', second, 'src', 'main', 'java', 'com', 'fcminiapp', 'functions',
      second.replace(/-/g, ''), `${pascalOf(second)}Handler.java`)));
    assert.match(read(dir, 'pom.xml'), new RegExp(`<module>functions/${NAME}</module>\\s*<module>functions/${second}`
      + '</module>\\s*<module>deploy</module>'));
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('new-function.sh refuses and changes nothing', () => {
  /** Runs the scaffold on `dir` and asserts a refusal (non-zero, the message) with the tree byte for byte unchanged. */
  function refuses(dir, args, message) {
    const before = snapshot(dir);
    const run = scaffold(dir, ...args);
    assert.notEqual(run.status, 0, `${args.join(' ')} was accepted: ${run.stdout}`);
    assert.match(run.stderr, message);
    assert.deepEqual(snapshot(dir), before, `${args.join(' ')} changed the tree`);
    return run;
  }

  test('a name off ^[a-z][a-z0-9-]{1,40}$: Demo, 1x, a, 42 characters, -x, a_b, none, two', () => {
    const dir = fixture();
    const pattern = /is not a function name: use 2 to 41 characters, a lowercase letter first/;
    for (const bad of ['Demo', '1x', 'a', 'a'.repeat(42), 'demo!', 'a_b', 'dé', 'demo\n']) {
      const run = refuses(dir, [bad], pattern);
      assert.match(run.stderr, /nothing was changed/);
      assert.equal(run.status, 1);
    }
    assert.equal(refuses(dir, ['-x'], /usage: scripts\/new-function\.sh NAME/).status, 2);
    assert.equal(refuses(dir, [], /usage/).status, 2);
    assert.equal(refuses(dir, ['one', 'two'], /usage/).status, 2);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the boundaries: 2 and 41 characters are names', () => {
    const dir = fixture();
    for (const good of ['ab', `a${'b'.repeat(40)}`]) {
      const run = scaffold(dir, good);
      assert.equal(run.status, 0, run.stderr);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('the built-in functions and the invoke role: session, db, invoke; a Java reserved word', () => {
    const dir = fixture();
    refuses(dir, ['session'], /'session' is the session function; choose another name/);
    refuses(dir, ['db'], /'db' is the db function; choose another name/);
    refuses(dir, ['invoke'], /'invoke' is the users' invoke role/);
    refuses(dir, ['class'], /class is a Java reserved word/);
    refuses(dir, ['fc-miniapp-db'], /resource db has functionName fc-miniapp-db/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an existing function: a second run of the same name, and a name with the same Java package', () => {
    const dir = fixture();
    const name = freeName(dir, 'demo');
    assert.equal(scaffold(dir, name).status, 0);
    const run = refuses(dir, [name], new RegExp(`the function '${name}' exists already`));
    for (const place of [`the directory functions/${name}`, `template.yml: resource fc-miniapp-${name}`,
      `template.yml: function ${name} in service fc-miniapp-${name}`, `s.yaml: resource ${name}`,
      `pom.xml: <module>functions/${name}</module>`, `the file deploy/policies/${name}-role.json`]) {
      assert.ok(run.stderr.includes(place), `names ${place}: ${run.stderr}`);
    }
    const split = `${name.slice(0, 2)}-${name.slice(2)}`;
    refuses(dir, [split], new RegExp(`the Java package com\\.fcminiapp\\.functions\\.${name.replace(/-/g, '')}`));
    rmSync(dir, { recursive: true, force: true });
  });

  test('a name taken in one place only: a module directory, an s.yaml resource, a role file, a callable entry', () => {
    const dir = fixture();
    mkdirSync(join(dir, 'functions', 'taken-dir'), { recursive: true });
    refuses(dir, ['taken-dir'], /the directory functions\/taken-dir/);
    writeFileSync(join(dir, 'deploy', 'policies', 'taken-role-role.json'), '{}');
    refuses(dir, ['taken-role'], /the file deploy\/policies\/taken-role-role\.json/);
    const sYaml = read(dir, 's.yaml');
    writeFileSync(join(dir, 's.yaml'), sYaml.replace('\nresources:\n', '\nresources:\n  taken-res:\n    component: fc3\n'));
    refuses(dir, ['taken-res'], /s\.yaml: resource taken-res/);
    writeFileSync(join(dir, 's.yaml'), sYaml.replace(/callableFunctions: '([^']*)'/,
      (_, v) => `callableFunctions: '${v ? `${v},` : ''}taken-call'`));
    refuses(dir, ['taken-call'], /s\.yaml: taken-call in the session function's callableFunctions/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a marker line missing or repeated, or the callable line moved: named, with what to do', () => {
    const dir = fixture();
    const template = read(dir, 'template.yml');
    const marker = '# new-function.sh: services';
    writeFileSync(join(dir, 'template.yml'), template.replace(new RegExp(`^ *${marker}\\n`, 'm'), ''));
    refuses(dir, ['demo-x'], /template\.yml: the marker line '# new-function\.sh: services' is there 0 times/);
    writeFileSync(join(dir, 'template.yml'), template.replace(/^( *# new-function\.sh: outputs)$/m, '$1\n$1'));
    refuses(dir, ['demo-x'], /template\.yml: the marker line '# new-function\.sh: outputs' is there 2 times/);
    writeFileSync(join(dir, 'template.yml'), template.replace(/^( *# new-function\.sh: callable functions\n)(.*\n)/m,
      '$2$1'));
    refuses(dir, ['demo-x'], /the line after '# new-function\.sh: callable functions' must be 'CALLABLE_FUNCTIONS: \.\.\.'/);
    writeFileSync(join(dir, 'template.yml'), template);
    const sYaml = read(dir, 's.yaml');
    writeFileSync(join(dir, 's.yaml'), sYaml.replace(/^ *# new-function\.sh: resources\n/m, ''));
    refuses(dir, ['demo-x'], /s\.yaml: the marker line '# new-function\.sh: resources' is there 0 times/);
    writeFileSync(join(dir, 's.yaml'), sYaml);
    const pom = read(dir, 'pom.xml');
    writeFileSync(join(dir, 'pom.xml'), pom.replace('<module>deploy</module>', ''));
    refuses(dir, ['demo-x'], /pom\.xml: the line <module>deploy<\/module> is there 0 times/);
    writeFileSync(join(dir, 'pom.xml'), pom);
    writeFileSync(join(dir, 'deploy', 'policies', 'invoke-role.json'), '{"Version": "1", "Statement": []}');
    refuses(dir, ['demo-x'], /invoke-role\.json: its form is not the one the scaffold edits/);
    writeFileSync(join(dir, 'deploy', 'policies', 'invoke-role.json'), read(repo, 'deploy/policies/invoke-role.json'));
    const deployer = read(dir, 'deploy/policies/deployer.json');
    writeFileSync(join(dir, 'deploy', 'policies', 'deployer.json'), deployer.replace(
      /"Resource": \["(acs:ram::<accountId>:role\/<sessionRoleName>)"[^\]]*\]/, '"Resource": "$1"'));
    refuses(dir, ['demo-x'], /deployer\.json: its form is not the one the scaffold edits \(the Resource of ram:PassRole is not a list\)/);
    rmSync(dir, { recursive: true, force: true });
  });
});
