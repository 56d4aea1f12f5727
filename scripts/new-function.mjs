// scripts/new-function.mjs NAME: adds the app function NAME (docs/functions.md). Run through scripts/new-function.sh.
//
// Everything is computed in memory and checked first: the name, every place the name could already be taken, and
// every marker line of template.yml and s.yaml (each exactly once). Only then is anything written, each file to a
// temporary file next to it and renamed over it, so a refusal changes nothing and a file is never half-written.
// Node built-ins only: the descriptors are edited as text at their marker lines (the forms docs/deploy.md and the
// comments at the top of template.yml and s.yaml describe), never re-serialized, so every other byte stays as it is.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, statSync, unlinkSync, writeFileSync }
  from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compact } from './tables.mjs';

export const NAME_PATTERN = /^[a-z][a-z0-9-]{1,40}$/;

/** The built-in functions and the users' invoke role: their names, roles and policy files are taken. */
const RESERVED = new Map([
  ['session', 'the session function'],
  ['db', 'the db function'],
  ['invoke', "the users' invoke role (fc-miniapp-invoke, deploy/policies/invoke-role.json)"],
]);

/** Java's reserved words and literals: none of them can be a package name. */
const JAVA_RESERVED = new Set(('abstract assert boolean break byte case catch char class const continue default do '
  + 'double else enum extends final finally float for goto if implements import instanceof int interface long native '
  + 'new package private protected public return short static strictfp super switch synchronized this throw throws '
  + 'transient try void volatile while true false null').split(' '));

const TEMPLATE_MARKERS = ['callable functions', 'callable resources', 'services', 'outputs'];
const SYAML_MARKERS = ['callable functions', 'resources'];

/** A refusal: each line of `problems` says what is wrong and what to do; nothing was written. */
export class Refusal extends Error {
  constructor(problems) {
    super(problems.join('\n'));
    this.problems = problems;
  }
}

/** The names NAME is turned into: the module, the Java package and classes, the FC 2.0 service and the role. */
export function namesOf(name) {
  const pascal = name.split('-').filter(Boolean).map((part) => part[0].toUpperCase() + part.slice(1)).join('');
  const pkgSegment = name.replace(/-/g, '');
  return {
    name,
    pascal,
    pkgSegment,
    pkg: `com.fcminiapp.functions.${pkgSegment}`,
    module: `functions/${name}`,
    artifactId: `${name}-function`,
    service: `fc-miniapp-${name}`,
    role: `fc-miniapp-${name}`,
    output: `${pascal}ServiceName`,
    handler: `com.fcminiapp.functions.${pkgSegment}.${pascal}Handler`,
  };
}

/** Why `name` cannot name a function at all (before looking at the tree), or null. */
export function nameProblem(name) {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    return `'${printable(name)}' is not a function name: use 2 to 41 characters, a lowercase letter first, then `
      + 'lowercase letters, digits or - (^[a-z][a-z0-9-]{1,40}$), e.g. demo or hello-world';
  }
  if (RESERVED.has(name)) {
    return `'${name}' is ${RESERVED.get(name)}; choose another name`;
  }
  const { pkgSegment } = namesOf(name);
  if (JAVA_RESERVED.has(pkgSegment)) {
    return `'${name}' would make the Java package com.fcminiapp.functions.${pkgSegment}, and ${pkgSegment} is a Java `
      + 'reserved word; choose another name';
  }
  return null;
}

function printable(value) {
  return String(value).replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the tree

/** A text file split into lines, with its line ending kept so the edit writes the same one. */
function readLines(root, path) {
  const text = readFileSync(join(root, path), 'utf8');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { path, eol, lines: text.split(eol) };
}

const joinLines = (file) => file.lines.join(file.eol);

/** Indices of the lines that are exactly the marker `# new-function.sh: <marker>` (any indentation). */
function markerLines(file, marker) {
  const exact = `# new-function.sh: ${marker}`;
  return file.lines.flatMap((line, i) => (line.trim() === exact ? [i] : []));
}

/** The one marker line, or a problem (missing or repeated) pushed onto `problems`. */
function oneMarker(file, marker, problems) {
  const found = markerLines(file, marker);
  if (found.length !== 1) {
    problems.push(`${file.path}: the marker line '# new-function.sh: ${marker}' is there ${found.length} times; `
      + 'it must be there exactly once (restore it from git: the comment at the top of the file says where it goes)');
    return -1;
  }
  return found[0];
}

const indentOf = (line) => line.match(/^ */)[0];

/**
 * The block-mapping keys of a YAML file as paths (`Resources.fc-miniapp.db`), with their inline scalar values.
 * Enough for these descriptors: sequences, flow collections and block scalars are skipped whole; comments ignored.
 */
export function yamlKeys(text) {
  const out = [];
  const stack = []; // {indent, key}
  let skipDeeperThan = -1;
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const indent = indentOf(raw).length;
    if (skipDeeperThan >= 0) {
      if (indent > skipDeeperThan) continue;
      skipDeeperThan = -1;
    }
    const body = raw.slice(indent);
    if (body.startsWith('- ') || body === '-') {
      skipDeeperThan = indent;
      continue;
    }
    const m = body.match(/^('[^']*'|"[^"]*"|[^\s#'"](?:[^:#]|::)*?)\s*:(?:\s+(.*))?$/);
    if (!m) continue;
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const key = m[1].replace(/^'(.*)'$|^"(.*)"$/, '$1$2');
    const value = m[2] === undefined ? null : scalar(m[2]);
    out.push({ path: [...stack.map((s) => s.key), key], value });
    if (value === null) stack.push({ indent, key });
    else if (/^[|>][-+0-9]*$/.test(value)) skipDeeperThan = indent;
  }
  return out;
}

/** An inline YAML scalar without its quotes and trailing comment. */
function scalar(text) {
  const t = text.trim();
  const quoted = t.match(/^'((?:[^']|'')*)'|^"((?:[^"\\]|\\.)*)"/);
  if (quoted) return quoted[1] !== undefined ? quoted[1].replace(/''/g, "'") : quoted[2];
  return t.replace(/\s+#.*$/, '');
}

const childKeys = (keys, prefix) => keys
  .filter((k) => k.path.length === prefix.length + 1 && prefix.every((p, i) => k.path[i] === p))
  .map((k) => k.path[prefix.length]);

const valueAt = (keys, path) => {
  const hit = keys.find((k) => k.path.length === path.length && path.every((p, i) => k.path[i] === p));
  return hit ? hit.value : undefined;
};

/** Every Java package segment under com.fcminiapp.functions in the modules the parent pom lists and in functions/. */
function javaPackagesInUse(root, pomText) {
  const moduleDirs = new Set([...pomText.matchAll(/<module>\s*([^<\s]+)\s*<\/module>/g)].map((m) => m[1]));
  if (existsSync(join(root, 'functions'))) {
    for (const entry of readdirSync(join(root, 'functions'))) moduleDirs.add(`functions/${entry}`);
  }
  const found = new Map();
  for (const dir of moduleDirs) {
    for (const src of ['main', 'test']) {
      const base = join(root, dir, 'src', src, 'java', 'com', 'fcminiapp', 'functions');
      if (!isDir(base)) continue;
      for (const segment of readdirSync(base)) {
        if (isDir(join(base, segment))) found.set(segment, `${dir}/src/${src}/java/com/fcminiapp/functions/${segment}`);
      }
    }
  }
  return found;
}

function isDir(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** A comma-separated list value of `KEY: value` on `line`, with the line's parts to rewrite it. */
function listLine(file, index, key, problems) {
  const line = file.lines[index] ?? '';
  const m = line.match(new RegExp(`^(\\s*${key}:\\s*)(.*?)\\s*$`));
  if (!m) {
    problems.push(`${file.path}: the line after '# new-function.sh: callable functions' must be '${key}: ...' `
      + `(line ${index + 1} is '${printable(line.trim())}'); put the marker right above ${key} again`);
    return null;
  }
  const value = scalar(m[2]);
  return { prefix: m[1], entries: value.split(',').map((e) => e.trim()).filter(Boolean) };
}

// ---------------------------------------------------------------------------------------------------------------
// What the function is made of

function modulePom(n, parent) {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>${parent.groupId}</groupId>
    <artifactId>${parent.artifactId}</artifactId>
    <version>${parent.version}</version>
    <relativePath>../../pom.xml</relativePath>
  </parent>
  <artifactId>${n.artifactId}</artifactId>
  <description>
    The ${n.name} app function on the function kit (scripts/new-function.sh, docs/functions.md). FC runs the shaded
    target/${n.artifactId}.jar: template.yml (service ${n.service}, function ${n.name}) and s.yaml (function ${n.name}).
  </description>
  <dependencies>
    <dependency>
      <!-- the kit: the session check, the caller, tables, files, variables and the error answers -->
      <groupId>com.fcminiapp</groupId>
      <artifactId>function-kit</artifactId>
    </dependency>
    <dependency>
      <!-- KitTestCloud: the function on local-cloud's Tablestore and OSS stand-ins -->
      <groupId>com.fcminiapp</groupId>
      <artifactId>function-kit</artifactId>
      <type>test-jar</type>
      <scope>test</scope>
    </dependency>
    <dependency>
      <!-- KitTestCloud runs local-cloud's stand-ins; test-scoped dependencies do not pass on, so they are named here -->
      <groupId>com.fcminiapp</groupId>
      <artifactId>local-cloud</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>com.fcminiapp</groupId>
      <artifactId>local-cloud</artifactId>
      <type>test-jar</type>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.assertj</groupId>
      <artifactId>assertj-core</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>

  <build>
    <plugins>
      <plugin>
        <!-- the shaded jar template.yml and s.yaml deploy (configured in the parent pom) -->
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-shade-plugin</artifactId>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

function functionJava(n) {
  return `package ${n.pkg};

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.kit.AppFunction;
import com.fcminiapp.kit.Caller;
import com.fcminiapp.kit.Kit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ${n.name} app function: for now it answers the signed-in caller's uid and the input as sent. One instance
 * serves many calls; what it needs from the kit it takes in the constructor (docs/functions.md).
 */
public final class ${n.pascal}Function implements AppFunction {

    /** Built once per instance, when FC runs the initializer. */
    public ${n.pascal}Function(Kit kit) {
        // the kit's tables (kit.table), files, clock and variables: keep here what the logic needs
    }

    @Override
    public Object handle(Caller caller, JsonNode input) {
        // your logic here: caller.uid() is the signed-in user, from the session (never from the input)
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("uid", caller.uid());
        answer.put("input", input);
        return answer;
    }
}
`;
}

function handlerJava(n) {
  return `package ${n.pkg};

import com.fcminiapp.kit.AppHandler;

import java.util.Map;

/**
 * FC entry point of the ${n.name} function: the kit checks the caller's session, then runs {@link ${n.pascal}Function}.
 * Handler {@code ${n.handler}::handleRequest}, initializer {@code ::initialize}, PreStop {@code ::preStop}.
 */
public class ${n.pascal}Handler extends AppHandler {

    /** FC: the environment FC gives the instance. */
    public ${n.pascal}Handler() {
        super(${n.pascal}Function::new);
    }

    /** local-cloud and tests hand the function its own environment. */
    public ${n.pascal}Handler(Map<String, String> env) {
        super(env, ${n.pascal}Function::new);
    }
}
`;
}

function testJava(n) {
  return `package ${n.pkg};

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.kit.testing.KitTestCloud;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The ${n.name} function on local-cloud's stand-ins (KitTestCloud): what it answers, and to whom. */
class ${n.pascal}FunctionTest {

    static final KitTestCloud cloud = KitTestCloud.start();
    static final ${n.pascal}Handler handler = new ${n.pascal}Handler(cloud.env());

    @AfterAll
    static void stop() {
        cloud.preStop(handler);
        cloud.close();
    }

    @Test
    void answersTheCallersUidAndTheInputAsSent() {
        String sid = cloud.login("alice");
        String input = "{\\"x\\":1,\\"list\\":[true,null,\\"two\\",{\\"deep\\":-0.5}]}";

        JsonNode answer = cloud.invoke(handler, cloud.event(sid, input));

        assertThat(answer.at("/data/uid").asText()).isEqualTo(cloud.uid("alice"));
        assertThat(answer.at("/data/input").toString()).isEqualTo(input);
        assertThat(answer.has("error")).isFalse();
    }

    @Test
    void anEventWithoutInputAnswersANullInput() {
        String sid = cloud.login("alice");

        JsonNode answer = cloud.invoke(handler, "{\\"sid\\":\\"" + sid + "\\"}");

        assertThat(answer.at("/data/uid").asText()).isEqualTo(cloud.uid("alice"));
        assertThat(answer.get("data").has("input")).isTrue();
        assertThat(answer.at("/data/input").isNull()).isTrue();
    }

    @Test
    void aUidInTheInputDoesNotChangeTheCaller() {
        String sid = cloud.login("alice");
        String bob = cloud.uid("bob");

        JsonNode answer = cloud.invoke(handler, cloud.event(sid, "{\\"uid\\":\\"" + bob + "\\"}"));

        assertThat(answer.at("/data/uid").asText()).isEqualTo(cloud.uid("alice")).isNotEqualTo(bob);
        assertThat(answer.at("/data/input/uid").asText()).isEqualTo(bob);
    }

    @Test
    void withoutALiveSessionTheAnswerIsUnauthenticatedAndNoData() {
        String sid = cloud.login("carol");
        cloud.logout(sid);

        JsonNode noSession = cloud.invoke(handler, "{\\"input\\":{\\"x\\":1}}");
        JsonNode loggedOut = cloud.invoke(handler, cloud.event(sid, "{\\"x\\":1}"));

        assertThat(noSession.at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(noSession.has("data")).isFalse();
        assertThat(loggedOut.at("/error/code").asText()).isEqualTo("UNAUTHENTICATED");
        assertThat(loggedOut.at("/error/message")).isEqualTo(noSession.at("/error/message"));
    }
}
`;
}

function rolePolicy() {
  return `{
  "Version": "1",
  "Statement": [
    {"Effect": "Allow", "Action": ["ots:GetRow"],
     "Resource": "acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/session"},
    {"Effect": "Allow", "Action": ["ots:GetRow"],
     "Resource": "acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/miniapp_users"},
    {"Effect": "Allow", "Action": ["log:PostLogStoreLogs"],
     "Resource": "acs:log:<region>:<accountId>:project/<logProject>/logstore/function-log"}
  ]
}
`;
}

/** The service and its function, indented for Resources (template.yml's session and db entries, same order). */
function templateService(n) {
  const sub = (s) => `Fn::Sub: '${s}'`;
  return `# The ${n.name} app function (scripts/new-function.sh): its own service, so its own role: it reads the session
# table (the kit checks the caller's session before the function's code runs), reads the users table (the caller's
# phone number, Caller.phone()) and writes its logs, nothing else.
# A table the function declares in APP_TABLES is created here and gets its own statement (docs/functions.md).
${n.service}:
  Type: 'Aliyun::Serverless::Service'
  DependsOn: [FunctionLogStore, SessionTable, UsersTable]
  Properties:
    Description: fc-miniapp app function ${n.name}
    # No Role: the transform creates this service's role with exactly these statements.
    Policies:
      - Version: '1'
        Statement:
          - Effect: Allow
            Action: ['ots:GetRow']
            Resource:
              ${sub('acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/session')}
          - Effect: Allow
            Action: ['ots:GetRow']
            Resource:
              ${sub('acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/miniapp_users')}
          - Effect: Allow
            Action: ['log:PostLogStoreLogs']
            Resource:
              ${sub('acs:log:${ALIYUN::Region}:${ALIYUN::AccountId}:project/${LogProjectName}/logstore/function-log')}
    LogConfig:
      Project:
        Fn::GetAtt: [FunctionLogProject, Name]
      Logstore:
        Fn::GetAtt: [FunctionLogStore, LogstoreName]
  ${n.name}:
    Type: 'Aliyun::Serverless::Function'
    Properties:
      Description: the ${n.name} app function (function kit)
      Runtime: java11
      CodeUri: ./${n.module}/target/${n.artifactId}.jar
      Handler: ${n.handler}::handleRequest
      Initializer: ${n.handler}::initialize
      InitializationTimeout: 30
      # as the db function's: the kit's clients end their threads there
      InstanceLifecycleConfig:
        PreStop:
          Handler: ${n.handler}::preStop
          Timeout: 5
      MemorySize: 512
      Timeout: 15
      EnvironmentVariables:
        TABLESTORE_ENDPOINT:
          ${sub('https://${TablestoreInstance}.${ALIYUN::Region}.ots.aliyuncs.com')}
        TABLESTORE_INSTANCE:
          Ref: TablestoreInstance
        TABLESTORE_AUTO_CREATE: 'false'
        SESSION_TABLE: session
        SESSION_TTL_SECONDS: '604800'
        USERS_TABLE: miniapp_users
        # the deployment's table declaration (tables.json: modes, rules, indexes; scripts/tables.sh rewrites it)
        DATA_TABLES: ${yamlQuoted(n.dataTables)}
        # the tables the function reaches (comma-separated, each declared in DATA_TABLES), each named in this role
        APP_TABLES: ''
        UPSTREAM_TIMEOUT_MS: '5000'
        # as the session function's: C1 only
        JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1'
`;
}

/** A single-quoted YAML scalar. */
const yamlQuoted = (text) => `'${text.replace(/'/g, "''")}'`;

function templateOutput(n) {
  return `${n.output}:
  Description: createClient services['${n.name}'] (the ${n.name} function's service)
  Value: ${n.service}
`;
}

/** The function's s.yaml resource, indented for resources (the db resource's form, its own role). */
function sYamlResource(n) {
  return `# the ${n.name} app function (scripts/new-function.sh): role fc-miniapp-${n.name} holds deploy/policies/${n.name}-role.json
${n.name}:
  component: fc3
  actions:
    pre-deploy:
      - run: ./mvnw -B -DskipTests -pl ${n.module} -am package
        path: ./
  props:
    region: \${vars.region}
    functionName: ${n.name}
    description: the ${n.name} app function (function kit)
    runtime: java11
    code: ./${n.module}/target/${n.artifactId}.jar
    handler: ${n.handler}::handleRequest
    memorySize: 512
    timeout: 15
    role: acs:ram::\${vars.accountId}:role/${n.role}
    logConfig:
      project: \${vars.logProject}
      logstore: function-log
    instanceLifecycleConfig:
      initializer:
        handler: ${n.handler}::initialize
        timeout: 30
      # before FC stops an instance: the SDK clients' threads and connections end (docs/deploy.md)
      preStop:
        handler: ${n.handler}::preStop
        timeout: 5
    environmentVariables:
      TABLESTORE_ENDPOINT: https://\${vars.tablestoreInstance}.\${vars.region}.ots.aliyuncs.com
      TABLESTORE_INSTANCE: \${vars.tablestoreInstance}
      TABLESTORE_AUTO_CREATE: 'false'
      SESSION_TABLE: \${vars.sessionTable}
      SESSION_TTL_SECONDS: \${vars.sessionTtlSeconds}
      USERS_TABLE: \${vars.usersTable}
      # the deployment's table declaration: tables.json itself (vars.dataTables)
      DATA_TABLES: \${vars.dataTables}
      # the tables the function reaches (comma-separated, each declared in tables.json), each named in its role
      APP_TABLES: ''
      UPSTREAM_TIMEOUT_MS: \${vars.upstreamTimeoutMs}
      JAVA_TOOL_OPTIONS: \${vars.javaToolOptions}

`;
}

/**
 * Each `[index, block]` inserted above line `index` (a marker), the block's lines (written at indentation 0) at the
 * marker's indentation; the lowest line last, so every index still names its marker when its turn comes.
 */
function insertAll(file, insertions) {
  for (const [index, block] of [...insertions].sort((a, b) => b[0] - a[0])) {
    const indent = indentOf(file.lines[index]);
    const lines = block.replace(/\n$/, '').split('\n').map((l) => (l === '' ? '' : indent + l));
    file.lines.splice(index, 0, ...lines);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The plan: every file's new content, or a Refusal

const TEMPLATE = 'template.yml';
const SYAML = 's.yaml';
const POM = 'pom.xml';
const INVOKE_ROLE = 'deploy/policies/invoke-role.json';
const DEPLOYER = 'deploy/policies/deployer.json';
const SETUP = 'deploy/policies/setup.json';
const TABLES = 'tables.json';

/** tables.json as every DATA_TABLES holds it (compact), or null (a problem pushed). */
function dataTables(root, problems) {
  try {
    return compact(readFileSync(join(root, TABLES), 'utf8'));
  } catch (e) {
    problems.push(`${TABLES} is not JSON (${e.message}); fix it (scripts/tables.sh says what is wrong)`);
    return null;
  }
}

/** The parent pom's coordinates (its own groupId, artifactId and version, before <modules>). */
function parentCoordinates(pomText, problems) {
  const head = pomText.split('<modules>')[0].replace(/<parent>[\s\S]*?<\/parent>/, '');
  const pick = (tag) => (head.match(new RegExp(`<${tag}>\\s*([^<\\s]+)\\s*</${tag}>`)) || [])[1];
  const parent = { groupId: pick('groupId'), artifactId: pick('artifactId'), version: pick('version') };
  if (!parent.groupId || !parent.artifactId || !parent.version) {
    problems.push(`${POM}: its groupId, artifactId and version were not found before <modules>`);
  }
  return parent;
}

/** Where NAME is already taken in template.yml (services, functions, outputs, callable entries). */
function takenInTemplate(keys, n, callable, resources) {
  const found = [];
  const resourceKeys = childKeys(keys, ['Resources']);
  if (resourceKeys.includes(n.service)) found.push(`${TEMPLATE}: resource ${n.service}`);
  for (const service of resourceKeys) {
    if (valueAt(keys, ['Resources', service, 'Type']) !== 'Aliyun::Serverless::Service') continue;
    if (childKeys(keys, ['Resources', service]).includes(n.name)) {
      found.push(`${TEMPLATE}: function ${n.name} in service ${service}`);
    }
  }
  if (childKeys(keys, ['Outputs']).includes(n.output)) found.push(`${TEMPLATE}: output ${n.output}`);
  if (callable && callable.entries.some((e) => e.split('/').pop() === n.name)) {
    found.push(`${TEMPLATE}: ${n.name} in the session function's CALLABLE_FUNCTIONS`);
  }
  if (resources.some((line) => /[:/]functions\/([^/']+)'\s*$/.exec(line)?.[1] === n.name)) {
    found.push(`${TEMPLATE}: functions/${n.name} in the InvokeRole's resources`);
  }
  return found;
}

/** Where NAME is already taken in s.yaml (a resource key, a function name, the callable list). */
function takenInSYaml(keys, n, callable) {
  const found = [];
  const vars = Object.fromEntries(childKeys(keys, ['vars']).map((k) => [k, valueAt(keys, ['vars', k])]));
  const resolveVars = (v) => String(v ?? '').replace(/\$\{vars\.([A-Za-z0-9_]+)\}/g, (_, k) => vars[k] ?? '');
  for (const resource of childKeys(keys, ['resources'])) {
    if (resource === n.name) found.push(`${SYAML}: resource ${n.name}`);
    const fn = resolveVars(valueAt(keys, ['resources', resource, 'props', 'functionName']));
    if (fn === n.name && resource !== n.name) found.push(`${SYAML}: resource ${resource} has functionName ${fn}`);
  }
  if (callable && callable.entries.includes(n.name)) {
    found.push(`${SYAML}: ${n.name} in the session function's callableFunctions`);
  }
  return { found, vars };
}

/** template.yml with the function added, or null (problems pushed). */
function planTemplate(root, n, problems, taken) {
  const file = readLines(root, TEMPLATE);
  const at = Object.fromEntries(TEMPLATE_MARKERS.map((m) => [m, oneMarker(file, m, problems)]));
  if (Object.values(at).some((i) => i < 0)) return null;
  const callable = listLine(file, at['callable functions'] + 1, 'CALLABLE_FUNCTIONS', problems);
  const resourceLines = file.lines.slice(0, at['callable resources']).filter((l) => /^\s*- Fn::Sub: 'acs:fc:/.test(l));
  taken.push(...takenInTemplate(yamlKeys(joinLines(file)), n, callable, resourceLines));
  if (!callable) return null;

  file.lines[at['callable functions'] + 1] = `${callable.prefix}'${[...callable.entries, `${n.service}/${n.name}`].join(',')}'`;
  const fc = 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}';
  insertAll(file, [
    [at['callable resources'], `- Fn::Sub: '${fc}:services/${n.service}/functions/${n.name}'\n`
      + `- Fn::Sub: '${fc}:functions/${n.name}'\n`],
    [at.services, templateService(n)],
    [at.outputs, templateOutput(n)],
  ]);
  return joinLines(file);
}

/** s.yaml with the function added, or null (problems pushed). */
function planSYaml(root, n, problems, taken) {
  const file = readLines(root, SYAML);
  const [callableAt, resourcesAt] = SYAML_MARKERS.map((m) => oneMarker(file, m, problems));
  if (callableAt < 0 || resourcesAt < 0) return null;
  const callable = listLine(file, callableAt + 1, 'callableFunctions', problems);
  const { found, vars } = takenInSYaml(yamlKeys(joinLines(file)), n, callable);
  taken.push(...found);
  for (const v of ['region', 'accountId', 'logProject', 'tablestoreInstance', 'sessionTable', 'sessionTtlSeconds',
    'dataTables', 'upstreamTimeoutMs', 'javaToolOptions']) {
    if (!(v in vars)) problems.push(`${SYAML}: vars.${v} is missing; the function's resource uses \${vars.${v}}`);
  }
  if (!callable) return null;

  file.lines[callableAt + 1] = `${callable.prefix}'${[...callable.entries, n.name].join(',')}'`;
  insertAll(file, [[resourcesAt, sYamlResource(n)]]);
  return joinLines(file);
}

/** The parent pom with the module added right above <module>deploy</module>, or null. */
function planPom(root, n, problems, taken) {
  const file = readLines(root, POM);
  const text = joinLines(file);
  if (text.includes(`<module>${n.module}</module>`)) taken.push(`${POM}: <module>${n.module}</module>`);
  const deploy = file.lines.flatMap((l, i) => (l.trim() === '<module>deploy</module>' ? [i] : []));
  if (deploy.length !== 1) {
    problems.push(`${POM}: the line <module>deploy</module> is there ${deploy.length} times; the new module goes `
      + 'right above it, so it must be there exactly once');
    return null;
  }
  file.lines.splice(deploy[0], 0, `${indentOf(file.lines[deploy[0]])}<module>${n.module}</module>`);
  return joinLines(file);
}

/**
 * `text` with `entries` appended after the last string of the `index`-th `"Resource": [...]` list (the statements'
 * Resource keys in order), in that list's layout; null when there is no such list.
 */
function appendToResourceList(text, index, entries) {
  let key = -1;
  for (let i = 0; i <= index; i++) {
    key = text.indexOf('"Resource"', key + 1);
    if (key < 0) return null;
  }
  const open = text.indexOf('[', key);
  const close = text.indexOf(']', open);
  if (open < 0 || close < 0 || text.slice(key + '"Resource"'.length, open).trim() !== ':') return null;
  const inside = text.slice(open + 1, close);
  const last = inside.lastIndexOf('"');
  if (last < 0) return null;
  // each new entry on a line of its own, in the column of the list's last entry (of its first, on a one-line list)
  const lastStart = open + 1 + inside.lastIndexOf('"', last - 1);
  const column = (at) => at - (text.lastIndexOf('\n', at) + 1);
  const oneLine = !inside.includes('\n');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = `,${eol}${' '.repeat(column(oneLine ? open + 1 + inside.indexOf('"') : lastStart))}`;
  const added = entries.map((e) => separator + JSON.stringify(e)).join('');
  return text.slice(0, open + 1) + inside.slice(0, last + 1) + added + inside.slice(last + 1) + text.slice(close);
}

/**
 * A policy file of deploy/policies with resources appended to some of its statements, each edit
 * `{action, entries}` naming the one statement whose Action holds `action`: a text edit (the file keeps its
 * layout) proven by parsing the result back; or null (problems pushed). An entry already there means the name is
 * taken.
 */
function planPolicy(root, path, edits, problems, taken) {
  const text = readFileSync(join(root, path), 'utf8');
  const refuse = (why) => {
    problems.push(`${path}: ${why}; it must hold one statement with ${edits.map((e) => e.action).join(', one with ')}`
      + ' whose Resource is a list, as docs/deploy.md gives it');
    return null;
  };
  let policy;
  try {
    policy = JSON.parse(text);
  } catch (e) {
    return refuse(`it is not JSON (${e.message})`);
  }
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [];
  const expected = structuredClone(policy);
  let edited = text;
  for (const { action, entries } of edits) {
    const at = statements.flatMap((st, i) => ([].concat(st.Action).includes(action) ? [i] : []));
    if (at.length !== 1) {
      return refuse(`its form is not the one the scaffold edits (${at.length} statements hold ${action})`);
    }
    if (!Array.isArray(statements[at[0]].Resource)) {
      return refuse(`its form is not the one the scaffold edits (the Resource of ${action} is not a list)`);
    }
    const present = entries.filter((e) => statements[at[0]].Resource.includes(e));
    if (present.length) {
      taken.push(...present.map((e) => `${path}: ${e}`));
      return null;
    }
    expected.Statement[at[0]].Resource.push(...entries);
    edited = edited && appendToResourceList(edited, at[0], entries);
  }
  let parsed = null;
  try {
    parsed = edited && JSON.parse(edited);
  } catch {
    // refused below
  }
  if (!parsed || JSON.stringify(parsed) !== JSON.stringify(expected)) {
    return refuse('appending to its Resource lists did not give the same policy with the function added');
  }
  return edited;
}

/** The policy files that name each function: who may invoke it, deploy it (s.yaml) and set its role up. */
function policyEdits(n) {
  const fn = `acs:fc:<region>:<accountId>:functions/${n.name}`;
  return [
    [INVOKE_ROLE, [{ action: 'fc:InvokeFunction', entries: [fn] }]],
    [DEPLOYER, [{ action: 'fc:UpdateFunction', entries: [fn, `${fn}/*`] },
      { action: 'ram:PassRole', entries: [`acs:ram::<accountId>:role/${n.role}`] }]],
    [SETUP, [{ action: 'ram:CreateRole', entries: [`acs:ram:*:<accountId>:role/${n.role}`] },
      { action: 'ram:CreatePolicy', entries: [`acs:ram:*:<accountId>:policy/${n.role}`] }]],
  ];
}

/** What must hold before anything else is read: the files the scaffold edits, and functions/ a directory if there. */
function preconditions(root) {
  const problems = [];
  for (const required of [TEMPLATE, SYAML, POM, INVOKE_ROLE, DEPLOYER, SETUP, TABLES]) {
    if (!existsSync(join(root, required))) problems.push(`${required} is missing (run this in the fc-miniapp repository)`);
  }
  if (existsSync(join(root, 'functions')) && !isDir(join(root, 'functions'))) {
    problems.push('functions is a file; the app functions\' modules go into the directory functions/');
  }
  return problems;
}

/** The files the function is made of: [path, content], the module's and its role's. */
function newFiles(n, parent) {
  const javaMain = `${n.module}/src/main/java/${n.pkg.replace(/\./g, '/')}`;
  const javaTest = `${n.module}/src/test/java/${n.pkg.replace(/\./g, '/')}`;
  return [
    [`${n.module}/pom.xml`, modulePom(n, parent)],
    [`${javaMain}/${n.pascal}Function.java`, functionJava(n)],
    [`${javaMain}/${n.pascal}Handler.java`, handlerJava(n)],
    [`${javaTest}/${n.pascal}FunctionTest.java`, testJava(n)],
    [`deploy/policies/${n.name}-role.json`, rolePolicy()],
  ];
}

/**
 * Every file the scaffold writes for `name` under `root`: [{path, content, created}], or a Refusal listing every
 * problem found. Reads only.
 */
export function plan(root, name) {
  const bad = nameProblem(name);
  if (bad) throw new Refusal([bad]);
  const problems = preconditions(root);
  if (problems.length) throw new Refusal(problems);
  const n = { ...namesOf(name), dataTables: dataTables(root, problems) };
  if (problems.length) throw new Refusal(problems);
  const taken = [];
  const pomText = readFileSync(join(root, POM), 'utf8');
  const pkgOwner = javaPackagesInUse(root, pomText).get(n.pkgSegment);
  if (pkgOwner) taken.push(`the Java package ${n.pkg} (${pkgOwner})`);
  if (existsSync(join(root, n.module))) taken.push(`the directory ${n.module}`);
  const created = newFiles(n, parentCoordinates(pomText, problems));
  for (const [path] of created) {
    if (!path.startsWith(`${n.module}/`) && existsSync(join(root, path))) taken.push(`the file ${path}`);
  }
  const changed = [
    [TEMPLATE, planTemplate(root, n, problems, taken)],
    [SYAML, planSYaml(root, n, problems, taken)],
    [POM, planPom(root, n, problems, taken)],
    ...policyEdits(n).map(([path, edits]) => [path, planPolicy(root, path, edits, problems, taken)]),
  ];
  if (taken.length) {
    problems.unshift(`the function '${name}' exists already, or its names are taken; choose another name, or remove `
      + `these first:\n${taken.map((t) => `    ${t}`).join('\n')}`);
  }
  if (problems.length) throw new Refusal(problems);
  return [
    ...created.map(([path, content]) => ({ path, content, created: true })),
    ...changed.map(([path, content]) => ({ path, content, created: false })),
  ];
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/**
 * Writes every file of `files` under `root`: all to temporary files next to their targets first, then each renamed
 * over its target. A failure before the renames removes every temporary file and directory made; nothing else moved.
 */
export function apply(root, files) {
  const madeDirs = [];
  const temps = [];
  try {
    for (const file of files) {
      const target = join(root, file.path);
      for (const dir of missingDirs(root, dirname(target))) {
        mkdirSync(dir);
        madeDirs.push(dir);
      }
      const temp = join(dirname(target), `.${file.path.split('/').pop()}.new-function-${process.pid}.tmp`);
      writeFileSync(temp, file.content, { flag: 'wx' });
      temps.push([temp, target]);
    }
  } catch (e) {
    for (const [temp] of temps) unlinkSync(temp);
    for (const dir of madeDirs.reverse()) rmdirSync(dir);
    throw e;
  }
  for (const [temp, target] of temps) renameSync(temp, target);
}

/** The directories from `root` down to `dir` that do not exist yet, outermost first. */
function missingDirs(root, dir) {
  const missing = [];
  for (let d = dir; d !== root && !existsSync(d); d = dirname(d)) missing.unshift(d);
  return missing;
}

function main(argv) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  if (argv.length !== 1 || argv[0].startsWith('-')) {
    process.stderr.write('usage: scripts/new-function.sh NAME   (NAME like demo or hello-world: ^[a-z][a-z0-9-]{1,40}$)\n'
      + 'adds the app function NAME: module functions/NAME, its test, template.yml and s.yaml entries, its role and\n'
      + 'the callable lists (docs/functions.md)\n');
    return 2;
  }
  const name = argv[0];
  let files;
  try {
    files = plan(root, name);
  } catch (e) {
    if (!(e instanceof Refusal)) throw e;
    process.stderr.write(`new-function.sh: nothing was changed.\n${e.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 1;
  }
  apply(root, files);
  const n = namesOf(name);
  const list = (created) => files.filter((f) => f.created === created).map((f) => `  ${f.path}`).join('\n');
  process.stdout.write(`added the app function ${name}\ncreated:\n${list(true)}\nchanged:\n${list(false)}\nnext:\n`
    + `  write its logic: ${n.module}/src/main/java/${n.pkg.replace(/\./g, '/')}/${n.pascal}Function.java\n`
    + `  test it: ./mvnw -B -ntp -pl ${n.module} -am verify -Dtest=${n.pascal}FunctionTest`
    + ' -Dsurefire.failIfNoSpecifiedTests=false\n'
    + '  run it: scripts/local-cloud.sh (READY lists it in functions and services), then'
    + ` client.call('${name}', input)\n`
    + '  deploy it: docs/functions.md, section 5 (its role first)\n');
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
