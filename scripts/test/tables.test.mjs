// scripts/tables.sh on copies of the repository's deployment and the guestbook example's, in temporary directories:
// --check passes on the committed files, what a run writes (parsed: the YAML with js-yaml from deploy/node_modules,
// which the deploy module's verify installs), and that every refusal exits 1 naming the table or file and leaves the
// tree byte for byte as it was.
// Run: node --test scripts/test/tables.test.mjs (./mvnw verify runs it in the deploy module).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { docFields, fieldSchemas, INDEX_ACTIONS, parseDeclaration, resourceName, ROW_ACTIONS }
  from '../tables.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const yaml = createRequire(join(repo, 'deploy', 'package.json'))('js-yaml');
const parseYaml = (text) => (yaml.safeLoad || yaml.load)(text);
const GUESTBOOK = join(repo, 'examples', 'guestbook');

/** A temporary copy of the root deployment's declared files and of the script. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), 'tables-'));
  for (const file of ['tables.json', 'template.yml', 's.yaml']) cpSync(join(repo, file), join(dir, file));
  cpSync(join(repo, 'deploy', 'policies'), join(dir, 'deploy', 'policies'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  for (const file of ['tables.sh', 'tables.mjs']) cpSync(join(repo, 'scripts', file), join(dir, 'scripts', file));
  return dir;
}

function run(dir, ...args) {
  const r = spawnSync('bash', [join(dir, 'scripts', 'tables.sh'), ...args], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const read = (dir, path) => readFileSync(join(dir, path), 'utf8');
const files = (dir) => ['tables.json', 'template.yml', 's.yaml', 'deploy/policies/db-role.json']
  .map((f) => [f, read(dir, f)]);

const GUESTBOOK_TABLES = {
  todo_list: { mode: 'private', indexes: { done: 'boolean', _createdAt: 'integer' } },
  guestbook: { mode: 'creator-write', indexes: { _createdAt: 'integer', _owner: 'string', likes: 'integer' } },
  lists: {
    mode: 'rules',
    rules: { read: 'doc._owner == auth.uid || auth.uid in doc.members',
      update: 'doc._owner == auth.uid || auth.uid in doc.members', create: 'true', delete: 'doc._owner == auth.uid' },
    indexes: { _owner: 'string', members: 'string[]', _createdAt: 'integer' },
  },
  notices: { mode: 'server-write', indexes: { _createdAt: 'integer' } },
  secrets: { mode: 'server-only' },
};

describe('the committed deployments', () => {
  test('--check passes for the repository and for the guestbook example', () => {
    for (const dir of [repo, GUESTBOOK]) {
      const r = spawnSync('bash', [join(repo, 'scripts', 'tables.sh'), '--check', dir], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /every file matches tables\.json/);
    }
  });

  test('the guestbook example declares exactly the five tables of the issue', () => {
    assert.deepEqual(JSON.parse(read(GUESTBOOK, 'tables.json')), GUESTBOOK_TABLES);
    assert.deepEqual(Object.keys(JSON.parse(read(GUESTBOOK, 'tables.json'))),
      ['todo_list', 'guestbook', 'lists', 'notices', 'secrets']);
  });

  test("every DATA_TABLES of the root template is tables.json's compact JSON, and s.yaml reads the file", () => {
    const compact = JSON.stringify(JSON.parse(read(repo, 'tables.json')));
    const lines = read(repo, 'template.yml').split('\n').filter((l) => /^\s*DATA_TABLES:/.test(l));
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.equal(line.trim(), `DATA_TABLES: '${compact}'`);
    const sYaml = parseYaml(read(repo, 's.yaml'));
    assert.equal(sYaml.vars.dataTables, "${file('./tables.json')}");
    assert.equal(sYaml.resources.db.props.environmentVariables.DATA_TABLES, '${vars.dataTables}');
    assert.equal(sYaml.resources.db.props.environmentVariables.SEARCH_INDEX_AUTO_CREATE, 'true');
  });
});

describe('what a run writes', () => {
  test('one table and one search index per declared table, in file order, with the design\'s field schemas', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'tables.json'), `${JSON.stringify(GUESTBOOK_TABLES, null, 2)}\n`);
    const r = run(dir);
    assert.equal(r.status, 0, r.stderr);
    const resources = parseYaml(read(dir, 'template.yml')).Resources;

    for (const [name, decl] of Object.entries(GUESTBOOK_TABLES)) {
      const table = resources[`${resourceName(name)}Table`];
      assert.equal(table.Type, 'ALIYUN::OTS::Table');
      assert.equal(table.Properties.TableName, name);
      assert.equal(table.Properties.MaxVersions, 1);
      assert.equal(table.Properties.TimeToLive, -1);
      assert.deepEqual(table.Properties.PrimaryKey, [{ Name: 'uid', Type: 'STRING' }, { Name: 'id', Type: 'STRING' }]);
      const index = resources[`${resourceName(name)}SearchIndex`];
      assert.equal(index.Type, 'ALIYUN::OTS::SearchIndex');
      assert.equal(index.DependsOn, `${resourceName(name)}Table`);
      assert.equal(index.Properties.IndexName, `${name}_index`);
      assert.equal(index.Properties.TableName, name);
      assert.deepEqual(index.Properties.InstanceName, { Ref: 'TablestoreInstance' });
      assert.equal(index.Properties.IndexSort, undefined);
      assert.deepEqual(index.Properties.FieldSchemas.map((f) => f.FieldName),
        ['id', ...(decl.mode === 'private' ? ['uid'] : []), ...Object.keys(decl.indexes ?? {})]);
    }
    const lists = Object.fromEntries(resources.ListsSearchIndex.Properties.FieldSchemas.map((f) => [f.FieldName, f]));
    assert.deepEqual(lists.members, { FieldName: 'members', FieldType: 'KEYWORD', Index: true,
      EnableSortAndAgg: false, IsArray: true });
    assert.deepEqual(lists._createdAt, { FieldName: '_createdAt', FieldType: 'LONG', Index: true,
      EnableSortAndAgg: true, IsArray: false });
    assert.equal(lists.uid, undefined, 'a shared table has no uid field: all its rows are in partition *');
    const todo = Object.fromEntries(resources.TodoListSearchIndex.Properties.FieldSchemas.map((f) => [f.FieldName, f]));
    assert.equal(todo.done.FieldType, 'BOOLEAN');
    assert.equal(todo.uid.FieldType, 'KEYWORD');
  });

  test('the db service depends on every table and index and may use exactly their rows and Search', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'tables.json'), JSON.stringify(GUESTBOOK_TABLES));
    assert.equal(run(dir).status, 0);
    const db = parseYaml(read(dir, 'template.yml')).Resources['fc-miniapp'];
    const names = Object.keys(GUESTBOOK_TABLES).map(resourceName);
    assert.deepEqual(db.DependsOn, ['FunctionLogStore', 'SessionTable',
      ...names.flatMap((n) => [`${n}Table`, `${n}SearchIndex`])]);
    const statement = db.Properties.Policies[0].Statement.find((s) => s.Action.includes('ots:PutRow'));
    assert.deepEqual(statement.Action, ROW_ACTIONS);
    assert.deepEqual(statement.Resource.map((r) => r['Fn::Sub'].split('/table/')[1]), Object.keys(GUESTBOOK_TABLES));
    assert.ok(!statement.Action.some((a) => INDEX_ACTIONS.includes(a)), 'ROS creates the indexes, not the function');
    assert.equal(db.db.Properties.EnvironmentVariables.SEARCH_INDEX_AUTO_CREATE, 'false');
    assert.equal(db.db.Properties.EnvironmentVariables.DATA_TABLES, JSON.stringify(GUESTBOOK_TABLES));

    const role = JSON.parse(read(dir, 'deploy/policies/db-role.json'));
    const tables = role.Statement.find((s) => s.Action.includes('ots:PutRow'));
    assert.deepEqual(tables.Action, [...ROW_ACTIONS, ...INDEX_ACTIONS]);
    assert.deepEqual(tables.Resource, Object.keys(GUESTBOOK_TABLES)
      .map((t) => `acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/${t}`));
  });

  test('a second run changes nothing, and --check then passes', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'tables.json'), JSON.stringify(GUESTBOOK_TABLES));
    assert.equal(run(dir).status, 0);
    const once = files(dir);
    const again = run(dir);
    assert.equal(again.status, 0);
    assert.equal(again.stdout, '');
    assert.deepEqual(files(dir), once);
    assert.equal(run(dir, '--check').status, 0);
  });

  test('a quote in a rule is doubled in the single-quoted DATA_TABLES and reads back as the same JSON', () => {
    const dir = fixture();
    const decl = { notes: { mode: 'rules', rules: { read: "doc.kind == 'open'" }, indexes: { kind: 'string' } } };
    writeFileSync(join(dir, 'tables.json'), JSON.stringify(decl));
    assert.equal(run(dir).status, 0);
    const env = parseYaml(read(dir, 'template.yml')).Resources['fc-miniapp'].db.Properties.EnvironmentVariables;
    assert.deepEqual(JSON.parse(env.DATA_TABLES), decl);
  });
});

describe('--check', () => {
  test('a template edited by hand or an old tables.json exits 1 naming each file that differs, and writes nothing', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'tables.json'), JSON.stringify(GUESTBOOK_TABLES));
    const before = files(dir);
    const r = run(dir, '--check');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /template\.yml: differs from tables\.json from line \d+/);
    assert.match(r.stderr, /deploy\/policies\/db-role\.json: differs/);
    assert.match(r.stderr, /run scripts\/tables\.sh/);
    assert.deepEqual(files(dir), before);
  });

  test('an s.yaml whose dataTables is a copy instead of the file is named', () => {
    const dir = fixture();
    writeFileSync(join(dir, 's.yaml'), read(dir, 's.yaml').replace("${file('./tables.json')}", 'todo_list'));
    const r = run(dir, '--check');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /s\.yaml: vars\.dataTables must be exactly \$\{file\('\.\/tables\.json'\)\}/);
  });

  test('a missing marker line is named and nothing is written', () => {
    const dir = fixture();
    writeFileSync(join(dir, 'template.yml'), read(dir, 'template.yml').replace('# tables.sh: end db tables\n', ''));
    const before = files(dir);
    const r = run(dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /'# tables\.sh: begin db tables' and '# tables\.sh: end db tables' must each be there once/);
    assert.deepEqual(files(dir), before);
  });
});

describe('a bad declaration is refused, naming the table and the problem, and nothing is written', () => {
  const cases = [
    ['not JSON', '{"todo_list": ', /tables\.json is not JSON/],
    ['no table', '{}', /at least one table/],
    ['a bad table name', '{"to-do": {}}', /table "to-do": not a Tablestore table name/],
    ['an unknown key', '{"t": {"mode": "private", "index": {}}}', /table t: unknown key index/],
    ['an unknown mode', '{"t": {"mode": "public"}}', /table t: mode "public" is none of private, creator-write/],
    ['rules on another mode', '{"t": {"mode": "creator-write", "rules": {"read": "true"}}}',
      /table t: rules are only for mode rules/],
    ['a rules table without rules', '{"t": {"mode": "rules"}}', /table t: mode rules needs rules/],
    ['an unknown rule op', '{"t": {"mode": "rules", "rules": {"write": "true"}}}', /table t: rules\.write is no op/],
    ['an unknown type', '{"t": {"indexes": {"n": "long"}}}', /table t: index n has type "long"/],
    ['id declared', '{"t": {"indexes": {"id": "string"}}}', /table t: id is always indexed/],
    ['_owner on a private table', '{"t": {"indexes": {"_owner": "string"}}}', /table t: _owner is not a field of a private/],
    ['_createdAt as a string', '{"t": {"mode": "creator-write", "indexes": {"_createdAt": "string"}}}',
      /table t: _createdAt is integer, not string/],
    ['a reserved field', '{"t": {"indexes": {"uid": "string"}}}', /table t: "uid" is not an item field name/],
    ['another _ field', '{"t": {"indexes": {"_version": "integer"}}}', /table t: "_version" is not an item field name/],
    ['a read rule on an unindexed field', '{"t": {"mode": "rules", "rules": {"read": "doc.team == auth.uid"}}}',
      /table t: the read rule names doc\.team, which is not indexed/],
    ['two tables, one resource name', '{"todo_list": {}, "todoList": {}}', /would both be resource TodoListTable/],
  ];
  for (const [what, text, expected] of cases) {
    test(what, () => {
      const dir = fixture();
      writeFileSync(join(dir, 'tables.json'), text);
      const before = files(dir);
      const r = run(dir);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /is not a valid declaration; nothing was changed/);
      assert.match(r.stderr, expected);
      assert.deepEqual(files(dir), before);
    });
  }
});

describe('the parts', () => {
  test('docFields names the doc fields of a rule, not those inside string literals', () => {
    assert.deepEqual(docFields("doc._owner == auth.uid || auth.uid in doc.members && doc.x != 'doc.y'"),
      ['_owner', 'members', 'x']);
  });

  test('a mode defaults to private, and the schema has uid only then', () => {
    const [t] = parseDeclaration('{"t": {"indexes": {"score": "number"}}}');
    assert.equal(t.mode, 'private');
    assert.deepEqual(fieldSchemas(t).map((f) => [f.FieldName, f.FieldType]),
      [['id', 'KEYWORD'], ['uid', 'KEYWORD'], ['score', 'DOUBLE']]);
  });

  test('resource names are the table name in Pascal case', () => {
    assert.equal(resourceName('todo_list'), 'TodoList');
    assert.equal(resourceName('guestbook'), 'Guestbook');
    assert.equal(existsSync(join(repo, 'scripts', 'tables.sh')), true);
  });
});
