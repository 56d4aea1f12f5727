// scripts/tables.mjs [--check] [DIR]: writes a deployment's table declaration (DIR/tables.json, DIR defaulting to the
// repository root) into the places that must hold it. Run through scripts/tables.sh; docs/deploy.md, "Tables".
//
//   DIR/template.yml  every `DATA_TABLES:` value (the compact JSON, single-quoted), and the blocks between the marker
//                     lines `# tables.sh: begin <block>` / `# tables.sh: end <block>`:
//                       `tables`        one ALIYUN::OTS::Table and one ALIYUN::OTS::SearchIndex per declared table
//                       `db depends`    the db service's DependsOn (its log store, the session table, every table
//                                       and index, so ROS creates them before the function runs)
//                       `db tables`     the db service's one Tablestore statement: row actions + ots:Search on
//                                       every declared table
//                       `session tables` the session service's data-table statement: what deleteAccount does to
//                                       every declared table (range reads, batched and conditional deletes)
//   DIR/s.yaml        (when there) the var `dataTables` must be `${file('./tables.json')}` (Serverless Devs reads the
//                     file itself; checked, never rewritten)
//   DIR/deploy/policies/db-role.json (when there) its Tablestore statement on the data tables: the row actions,
//                     ots:Search and the index actions the db function's initializer uses (s.yaml deploys with
//                     SEARCH_INDEX_AUTO_CREATE 'true': no Serverless Devs component creates search indexes)
//   DIR/deploy/policies/session-role.json (when there) its data-table statement (the one holding
//                     ots:BatchWriteRow): deleteAccount's actions on the data tables
//
// With --check nothing is written: it exits 1 naming every file and block that differs from what it would write.
// The declaration is validated first with the rules of com.fcminiapp.common.tables.TablesDeclaration (the Java parser
// is authoritative: a deploy IT parses every DATA_TABLES it wrote with it); a bad one is refused naming the table and
// the problem (exit 1 as well). Node built-ins only; files are edited as text at their marker lines, every other byte
// stays as it is.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const MODES = ['private', 'creator-write', 'server-write', 'server-only', 'rules'];
export const TYPES = ['string', 'integer', 'number', 'boolean', 'string[]'];
const RULE_OPS = ['read', 'create', 'update', 'delete'];
const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** The server-managed fields a declaration may index, with the one type each has. */
const MANAGED = { _owner: 'string', _createdAt: 'integer', _updatedAt: 'integer' };
/** The search index's type of each declared type (design §1): [FieldType, sortable]. */
const INDEX_TYPES = {
  string: ['KEYWORD', true], integer: ['LONG', true], number: ['DOUBLE', true], boolean: ['BOOLEAN', true],
  'string[]': ['KEYWORD', false],
};
/** Every row action the db function uses on a data table, and the query's. */
export const ROW_ACTIONS = ['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow', 'ots:GetRange', 'ots:Search'];
/** What the db function's initializer calls when it creates the indexes (s.yaml: SEARCH_INDEX_AUTO_CREATE 'true'). */
export const INDEX_ACTIONS = ['ots:ListSearchIndex', 'ots:CreateSearchIndex', 'ots:DescribeSearchIndex'];
/** What the session function's deleteAccount does to every data table: read the user's rows, delete them. */
export const DELETION_ACTIONS = ['ots:GetRange', 'ots:BatchWriteRow', 'ots:DeleteRow', 'ots:GetRow'];
export const S_YAML_DATA_TABLES = "${file('./tables.json')}";

/** A bad declaration: each line names the table (or the file) and the problem. */
export class DeclarationError extends Error {
  constructor(problems) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `doc.<field>` names a rule expression refers to (outside string literals). */
export function docFields(source) {
  const bare = source.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, '""');
  return [...bare.matchAll(/\bdoc\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

function indexProblems(name, mode, indexes) {
  if (indexes === undefined) return [];
  if (!isObject(indexes)) return [`table ${name}: indexes must be an object of field -> type`];
  const problems = [];
  for (const [field, type] of Object.entries(indexes)) {
    if (!TYPES.includes(type)) {
      problems.push(`table ${name}: index ${field} has type ${JSON.stringify(type)}; use one of ${TYPES.join(', ')}`);
    }
    if (field === 'id') {
      problems.push(`table ${name}: id is always indexed; do not declare it`);
    } else if (field in MANAGED) {
      if (field === '_owner' && mode === 'private') {
        problems.push(`table ${name}: _owner is not a field of a private table; index it only on shared tables`);
      } else if (TYPES.includes(type) && type !== MANAGED[field]) {
        problems.push(`table ${name}: ${field} is ${MANAGED[field]}, not ${type}`);
      }
    } else if (!FIELD_NAME.test(field) || field === 'uid') {
      problems.push(`table ${name}: ${JSON.stringify(field)} is not an item field name (^[A-Za-z][A-Za-z0-9_]{0,63}$, `
        + 'not uid) nor one of _owner, _createdAt, _updatedAt');
    }
  }
  return problems;
}

function ruleProblems(name, mode, rules, indexes) {
  if (mode !== 'rules') {
    return rules === undefined ? [] : [`table ${name}: rules are only for mode rules (its mode is ${mode})`];
  }
  if (!isObject(rules)) return [`table ${name}: mode rules needs rules, an object of op -> expression`];
  const problems = [];
  for (const [op, source] of Object.entries(rules)) {
    if (!RULE_OPS.includes(op)) {
      problems.push(`table ${name}: rules.${op} is no op; use ${RULE_OPS.join(', ')}`);
    } else if (typeof source !== 'string' || source.trim() === '') {
      problems.push(`table ${name}: rules.${op} must be a non-empty expression string`);
    }
  }
  if (typeof rules.read === 'string') {
    const indexed = new Set(['id', ...Object.keys(isObject(indexes) ? indexes : {})]);
    for (const field of new Set(docFields(rules.read))) {
      if (!indexed.has(field)) {
        problems.push(`table ${name}: the read rule names doc.${field}, which is not indexed; declare it in indexes `
          + '(a query must be able to carry the rule\'s conditions)');
      }
    }
  }
  return problems;
}

/** The parsed declaration of `text` (tables.json): [{name, mode, rules, indexes}] in file order; or DeclarationError. */
export function parseDeclaration(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DeclarationError([`tables.json is not JSON (${e.message})`]);
  }
  if (!isObject(value) || Object.keys(value).length === 0) {
    throw new DeclarationError(['tables.json must be an object of table name -> declaration, with at least one table']);
  }
  const problems = [];
  const tables = [];
  for (const [name, decl] of Object.entries(value)) {
    if (!TABLE_NAME.test(name)) problems.push(`table ${JSON.stringify(name)}: not a Tablestore table name`);
    if (!isObject(decl)) {
      problems.push(`table ${name}: its declaration must be an object ({"mode": ..., "indexes": ...})`);
      continue;
    }
    for (const key of Object.keys(decl)) {
      if (!['mode', 'rules', 'indexes'].includes(key)) problems.push(`table ${name}: unknown key ${key}`);
    }
    const mode = decl.mode === undefined ? 'private' : decl.mode;
    if (!MODES.includes(mode)) {
      problems.push(`table ${name}: mode ${JSON.stringify(mode)} is none of ${MODES.join(', ')}`);
      continue;
    }
    problems.push(...indexProblems(name, mode, decl.indexes), ...ruleProblems(name, mode, decl.rules, decl.indexes));
    tables.push({ name, mode, rules: decl.rules, indexes: isObject(decl.indexes) ? decl.indexes : {} });
  }
  const resources = new Map();
  for (const t of tables) {
    const r = resourceName(t.name);
    if (resources.has(r)) problems.push(`tables ${resources.get(r)} and ${t.name} would both be resource ${r}Table`);
    resources.set(r, t.name);
  }
  if (problems.length) throw new DeclarationError(problems);
  return tables;
}

/** The value every DATA_TABLES holds: the file's JSON, compact, in its key order. */
export const compact = (text) => JSON.stringify(JSON.parse(text));

/** A table's template resource stem: todo_list -> TodoList. */
export function resourceName(table) {
  return table.split('_').filter(Boolean).map((p) => p[0].toUpperCase() + p.slice(1)).join('') || 'Data';
}

/** The search index's fields (design §1): id, uid (private tables), then each declared field in file order. */
export function fieldSchemas(table) {
  const out = [{ FieldName: 'id', FieldType: 'KEYWORD', Index: true, EnableSortAndAgg: true, IsArray: false }];
  if (table.mode === 'private') {
    out.push({ FieldName: 'uid', FieldType: 'KEYWORD', Index: true, EnableSortAndAgg: true, IsArray: false });
  }
  for (const [field, type] of Object.entries(table.indexes)) {
    const [fieldType, sortable] = INDEX_TYPES[type];
    out.push({ FieldName: field, FieldType: fieldType, Index: true, EnableSortAndAgg: sortable,
      IsArray: type === 'string[]' });
  }
  return out;
}

const sub = (s) => `Fn::Sub: '${s}'`;
const tableArn = (t) => `acs:ots:\${ALIYUN::Region}:\${ALIYUN::AccountId}:instance/\${TablestoreInstance}/table/${t}`;

/** The `tables` block: each table and its index, at indentation 0 (the marker's is added). */
function tablesBlock(tables) {
  const lines = [];
  for (const t of tables) {
    const r = resourceName(t.name);
    lines.push(`# ${t.name} (${t.mode}): uid + id, one version, no TTL (a search index needs both)`,
      `${r}Table:`, "  Type: 'ALIYUN::OTS::Table'", '  DependsOn: Tablestore', '  Properties:',
      '    InstanceName:', '      Ref: TablestoreInstance', `    TableName: ${t.name}`, '    TimeToLive: -1',
      '    MaxVersions: 1', '    PrimaryKey:', '      - Name: uid', '        Type: STRING', '      - Name: id',
      '        Type: STRING',
      `${r}SearchIndex:`, "  Type: 'ALIYUN::OTS::SearchIndex'", `  DependsOn: ${r}Table`, '  Properties:',
      '    InstanceName:', '      Ref: TablestoreInstance', `    TableName: ${t.name}`,
      `    IndexName: ${t.name}_index`, '    FieldSchemas:');
    for (const f of fieldSchemas(t)) {
      lines.push(`      - {FieldName: ${f.FieldName}, FieldType: ${f.FieldType}, Index: ${f.Index}, `
        + `EnableSortAndAgg: ${f.EnableSortAndAgg}, IsArray: ${f.IsArray}}`);
    }
  }
  return lines;
}

function dependsBlock(tables) {
  const names = tables.flatMap((t) => [`${resourceName(t.name)}Table`, `${resourceName(t.name)}SearchIndex`]);
  return [`DependsOn: [${['FunctionLogStore', 'SessionTable', ...names].join(', ')}]`];
}

/** A template statement allowing `actions` on every declared table. */
function statementBlock(actions, tables) {
  return ['- Effect: Allow', `  Action: [${actions.map((a) => `'${a}'`).join(', ')}]`, '  Resource:',
    ...tables.map((t) => `    - ${sub(tableArn(t.name))}`)];
}

/** Single-quoted YAML scalar. */
const yamlQuoted = (s) => `'${s.replace(/'/g, "''")}'`;

/**
 * `text` (template.yml) as the declaration makes it, and the problems that stop it (a marker missing or repeated, no
 * DATA_TABLES line).
 */
export function renderTemplate(text, declarationText, tables) {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let lines = text.split(eol);
  const problems = [];
  const value = yamlQuoted(compact(declarationText));
  let dataTables = 0;
  lines = lines.map((line) => {
    const m = line.match(/^(\s*DATA_TABLES:)(\s.*)?$/);
    if (!m) return line;
    dataTables += 1;
    return `${m[1]} ${value}`;
  });
  if (dataTables === 0) problems.push('no DATA_TABLES line (the db function\'s environment must have one)');
  for (const [block, body] of [['tables', tablesBlock(tables)], ['db depends', dependsBlock(tables)],
    ['db tables', statementBlock(ROW_ACTIONS, tables)], ['session tables', statementBlock(DELETION_ACTIONS, tables)]]) {
    const begin = lines.flatMap((l, i) => (l.trim() === `# tables.sh: begin ${block}` ? [i] : []));
    const end = lines.flatMap((l, i) => (l.trim() === `# tables.sh: end ${block}` ? [i] : []));
    if (begin.length !== 1 || end.length !== 1 || end[0] < begin[0]) {
      problems.push(`the marker lines '# tables.sh: begin ${block}' and '# tables.sh: end ${block}' must each be there `
        + `once, in that order (found ${begin.length} and ${end.length}); restore them from git`);
      continue;
    }
    const indent = lines[begin[0]].match(/^ */)[0];
    lines.splice(begin[0] + 1, end[0] - begin[0] - 1, ...body.map((l) => indent + l));
  }
  return { text: lines.join(eol), problems };
}

/** The db role's policy text with its data-table statement (the one holding ots:PutRow) as the declaration makes it. */
export function renderDbRole(text, tables) {
  return renderRoleStatement(text, tables, 'ots:PutRow', [ROW_ACTIONS, INDEX_ACTIONS]);
}

/** The session role's policy text with its data-table statement (the one holding ots:BatchWriteRow) as made. */
export function renderSessionRole(text, tables) {
  return renderRoleStatement(text, tables, 'ots:BatchWriteRow', [DELETION_ACTIONS]);
}

/**
 * A role's policy text with the one statement holding `marker` rewritten to allow the `actionLines` (one line of the
 * file each) on every declared table.
 */
function renderRoleStatement(text, tables, marker, actionLines) {
  const policy = JSON.parse(text);
  const at = policy.Statement.flatMap((st, i) => ([].concat(st.Action).includes(marker) ? [i] : []));
  if (at.length !== 1) return { text, problems: [`${at.length} statements hold ${marker}; it must be exactly one`] };
  const arn = (t) => `acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/${t}`;
  const quoted = (list) => list.map((a) => `"${a}"`).join(', ');
  const statement = '    {"Effect": "Allow",\n'
    + `     "Action": [${actionLines.map(quoted).join(',\n                ')}],\n`
    + `     "Resource": [${tables.map((t) => `"${arn(t.name)}"`).join(',\n                  ')}]}`;
  // the statement's text: from its opening brace to the brace that closes it (statements hold no nested braces but
  // Condition's, and this one has none)
  const starts = [...text.matchAll(/\n {4}\{"Effect"/g)].map((m) => m.index + 1);
  const start = starts[at[0]];
  const close = text.indexOf('}', text.indexOf('"Resource"', start));
  const edited = text.slice(0, start) + statement + text.slice(close + 1);
  const expected = structuredClone(policy);
  expected.Statement[at[0]] = JSON.parse(statement.trim());
  let parsed = null;
  try {
    parsed = JSON.parse(edited);
  } catch {
    // refused below
  }
  if (!parsed || JSON.stringify(parsed) !== JSON.stringify(expected)) {
    return { text, problems: ['its layout is not one statement per "    {\\"Effect\\"" line; restore it from git'] };
  }
  return { text: edited, problems: [] };
}

/** The s.yaml problems: its dataTables var must read tables.json itself. */
export function sYamlProblems(text) {
  const line = text.split(/\r?\n/).find((l) => /^\s{2}dataTables:/.test(l));
  if (!line) return [`no var dataTables; add \`dataTables: ${S_YAML_DATA_TABLES}\` under vars`];
  return line.trim() === `dataTables: ${S_YAML_DATA_TABLES}` ? []
    : [`vars.dataTables must be exactly ${S_YAML_DATA_TABLES} (it is '${line.trim()}')`];
}

/**
 * Every file of `dir` the declaration writes: [{path, before, after}] and the problems found; throws
 * DeclarationError for a bad tables.json.
 */
export function plan(dir) {
  const declarationText = readFileSync(join(dir, 'tables.json'), 'utf8');
  const tables = parseDeclaration(declarationText);
  const files = [];
  const problems = [];
  const template = join(dir, 'template.yml');
  if (!existsSync(template)) problems.push('template.yml: missing');
  else {
    const before = readFileSync(template, 'utf8');
    const r = renderTemplate(before, declarationText, tables);
    problems.push(...r.problems.map((p) => `template.yml: ${p}`));
    files.push({ path: 'template.yml', before, after: r.text });
  }
  if (existsSync(join(dir, 's.yaml'))) {
    problems.push(...sYamlProblems(readFileSync(join(dir, 's.yaml'), 'utf8')).map((p) => `s.yaml: ${p}`));
  }
  for (const [name, render] of [['db-role.json', renderDbRole], ['session-role.json', renderSessionRole]]) {
    const role = join(dir, 'deploy', 'policies', name);
    if (existsSync(role)) {
      const before = readFileSync(role, 'utf8');
      const r = render(before, tables);
      problems.push(...r.problems.map((p) => `deploy/policies/${name}: ${p}`));
      files.push({ path: `deploy/policies/${name}`, before, after: r.text });
    }
  }
  return { files, problems };
}

/** The blocks of `before` and `after` that differ, named for a --check answer. */
function differences(file) {
  if (file.before === file.after) return [];
  const a = file.before.split('\n');
  const b = file.after.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  return [`${file.path}: differs from tables.json from line ${i + 1} ('${(a[i] ?? '').trim().slice(0, 100)}'); `
    + 'run scripts/tables.sh'];
}

function main(argv) {
  const check = argv[0] === '--check';
  const rest = check ? argv.slice(1) : argv;
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) {
    process.stderr.write('usage: scripts/tables.sh [--check] [DIR]   (DIR holds tables.json; default: the repository)\n');
    return 2;
  }
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const dir = resolve(rest[0] ?? root);
  if (!existsSync(join(dir, 'tables.json'))) {
    process.stderr.write(`tables.sh: ${join(dir, 'tables.json')} does not exist\n`);
    return 2;
  }
  let result;
  try {
    result = plan(dir);
  } catch (e) {
    if (!(e instanceof DeclarationError)) throw e;
    process.stderr.write(`tables.sh: ${join(dir, 'tables.json')} is not a valid declaration; nothing was changed.\n`
      + `${e.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  if (result.problems.length) {
    process.stderr.write(`tables.sh: nothing was changed.\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  if (check) {
    const diffs = result.files.flatMap(differences);
    if (diffs.length) {
      process.stderr.write(`tables.sh --check: ${dir}\n${diffs.map((d) => `  - ${d}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write(`tables.sh --check: ${dir}: every file matches tables.json\n`);
    return 0;
  }
  for (const f of result.files.filter((x) => x.before !== x.after)) {
    const target = join(dir, f.path);
    const temp = `${target}.tables-${process.pid}.tmp`;
    writeFileSync(temp, f.after, { flag: 'wx' });
    renameSync(temp, target);
    process.stdout.write(`tables.sh: wrote ${f.path}\n`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
