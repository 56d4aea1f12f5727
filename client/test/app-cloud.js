// local-cloud on a fixture template with app functions, for the tests of client.call: the real session and db
// functions, and the fixture app function (test/fixtures/app-function/Echo.java, compiled here) deployed three
// times: `echo` in its own service fc-miniapp-echo (as every app function is in FC 2.0), `hello` in the db
// function's service fc-miniapp (reached through serviceName, with no services entry), and `secret`, which the
// deployment does not declare callable.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixtureJar, repoRoot, startLocalCloud } from './local-cloud.js';

const SESSION_JAR = join(repoRoot, 'session-function', 'target', 'session-function.jar');
const DB_JAR = join(repoRoot, 'db-function', 'target', 'db-function.jar');
const FIXTURE = join(repoRoot, 'client', 'test', 'fixtures', 'app-function');

/** Function name → FC 2.0 service name of the template's app functions: what READY's `services` says of them. */
export const APP_SERVICES = { echo: 'fc-miniapp-echo', hello: 'fc-miniapp', secret: 'fc-miniapp-secret' };

const fcArn = (resource) => `Fn::Sub: 'acs:fc:\${ALIYUN::Region}:\${ALIYUN::AccountId}:${resource}'`;
/** Both resource forms of a function: FC 2.0's (in its service) and FC 3.0's. */
const invokable = (service, fn) => [`services/${service}/functions/${fn}`, `functions/${fn}`]
  .map((r) => `                  - ${fcArn(r)}`).join('\n');

/** An app function resource of the fixture jar (indented as a service's member). */
const appFunction = (name, echoJar) => `    ${name}:
      Type: 'Aliyun::Serverless::Function'
      Properties: {Runtime: java11, CodeUri: '${echoJar}', Handler: 'fixture.Echo::handleRequest'}`;

/**
 * The template: the session function may hand out keys for db, echo and hello (CALLABLE_FUNCTIONS, and the
 * InvokeRole's policy, as template.yml declares them), never for secret.
 */
function template(echoJar) {
  return `ROSTemplateFormatVersion: '2015-09-01'
Transform: 'Aliyun::Serverless-2018-04-03'
Resources:
  SessionTable:
    Type: 'ALIYUN::OTS::Table'
    Properties: {InstanceName: fcminiapp, TableName: session, PrimaryKey: [{Name: id, Type: STRING}]}
  UsersTable:
    Type: 'ALIYUN::OTS::Table'
    Properties: {InstanceName: fcminiapp, TableName: miniapp_users, PrimaryKey: [{Name: uid, Type: STRING}]}
  TodoListTable:
    Type: 'ALIYUN::OTS::Table'
    Properties:
      InstanceName: fcminiapp
      TableName: todo_list
      PrimaryKey: [{Name: uid, Type: STRING}, {Name: id, Type: STRING}]
  InvokeRole:
    Type: 'ALIYUN::RAM::Role'
    Properties:
      RoleName: fc-miniapp-invoke
      AssumeRolePolicyDocument:
        Version: '1'
        Statement:
          - Effect: Allow
            Action: 'sts:AssumeRole'
            Principal:
              RAM:
                - Fn::Sub: 'acs:ram::\${ALIYUN::AccountId}:root'
      Policies:
        - PolicyName: fc-miniapp-invoke-callable
          PolicyDocument:
            Version: '1'
            Statement:
              - Effect: Allow
                Action: ['fc:InvokeFunction']
                Resource:
${invokable('fc-miniapp', 'db')}
${invokable(APP_SERVICES.echo, 'echo')}
${invokable(APP_SERVICES.hello, 'hello')}
  fc-miniapp-session:
    Type: 'Aliyun::Serverless::Service'
    Properties:
      Policies:
        - Version: '1'
          Statement:
            - Effect: Allow
              Action: ['sts:AssumeRole']
              Resource:
                Fn::Sub: 'acs:ram::\${ALIYUN::AccountId}:role/fc-miniapp-invoke'
            - Effect: Allow
              Action: ['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow']
              Resource:
                Fn::Sub: 'acs:ots:\${ALIYUN::Region}:\${ALIYUN::AccountId}:instance/fcminiapp/table/session'
            # login lists each session in the user's row of the users table (contract "Users")
            - Effect: Allow
              Action: ['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow']
              Resource:
                Fn::Sub: 'acs:ots:\${ALIYUN::Region}:\${ALIYUN::AccountId}:instance/fcminiapp/table/miniapp_users'
    session:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Runtime: java11
        CodeUri: '${SESSION_JAR}'
        Handler: com.fcminiapp.session.SessionHttpHandler::handleRequest
        Initializer: com.fcminiapp.session.SessionHttpHandler::initialize
        EnvironmentVariables:
          STS_ROLE_ARN:
            Fn::Sub: 'acs:ram::\${ALIYUN::AccountId}:role/fc-miniapp-invoke'
          TABLESTORE_INSTANCE: fcminiapp
          TABLESTORE_AUTO_CREATE: 'false'
          SESSION_TABLE: session
          USERS_TABLE: miniapp_users
          # deleteAccount's reach (the db function's values); these tests delete no account, so no role grants it
          DATA_TABLES: todo_list
          OSS_BUCKET: fc-miniapp-files
          DB_FUNCTION_NAME: db
          DB_SERVICE_NAME: fc-miniapp
          CALLABLE_FUNCTIONS: '${APP_SERVICES.echo}/echo, ${APP_SERVICES.hello}/hello'
      Events:
        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}
  fc-miniapp:
    Type: 'Aliyun::Serverless::Service'
    Properties:
      Policies:
        - Version: '1'
          Statement:
            - Effect: Allow
              Action: ['ots:GetRow']
              Resource:
                Fn::Sub: 'acs:ots:\${ALIYUN::Region}:\${ALIYUN::AccountId}:instance/fcminiapp/table/session'
            - Effect: Allow
              Action: ['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow', 'ots:GetRange']
              Resource:
                Fn::Sub: 'acs:ots:\${ALIYUN::Region}:\${ALIYUN::AccountId}:instance/fcminiapp/table/todo_list'
            - Effect: Allow
              Action: ['oss:PutObject', 'oss:GetObject', 'oss:DeleteObject']
              Resource:
                Fn::Sub: 'acs:oss:*:\${ALIYUN::AccountId}:fc-miniapp-files/users/*'
            - Effect: Allow
              Action: ['oss:ListObjects']
              Resource:
                Fn::Sub: 'acs:oss:*:\${ALIYUN::AccountId}:fc-miniapp-files'
    db:
      Type: 'Aliyun::Serverless::Function'
      Properties:
        Runtime: java11
        CodeUri: '${DB_JAR}'
        Handler: com.fcminiapp.db.DbHandler::handleRequest
        Initializer: com.fcminiapp.db.DbHandler::initialize
        EnvironmentVariables:
          TABLESTORE_INSTANCE: fcminiapp
          TABLESTORE_AUTO_CREATE: 'false'
          SESSION_TABLE: session
          DATA_TABLES: todo_list
          OSS_BUCKET: fc-miniapp-files
${appFunction('hello', echoJar)}
  ${APP_SERVICES.echo}:
    Type: 'Aliyun::Serverless::Service'
${appFunction('echo', echoJar)}
  ${APP_SERVICES.secret}:
    Type: 'Aliyun::Serverless::Service'
${appFunction('secret', echoJar)}
`;
}

/**
 * Compiles the fixture function (against fc-java-core in the session function's jar), starts local-cloud on the
 * template and resolves to `{cloud, config, services}`: config is what createClient needs, `services` included
 * (READY's own map when local-cloud prints one, else the template's).
 */
export async function startAppCloud() {
  const dir = mkdtempSync(join(tmpdir(), 'app-functions-'));
  const echoJar = buildFixtureJar({
    sources: [join(FIXTURE, 'Echo.java')], classpath: SESSION_JAR, dir, jarName: 'echo.jar',
  });
  writeFileSync(join(dir, 'template.yml'), template(echoJar));
  const cloud = await startLocalCloud(join(dir, 'data'), ['--template', join(dir, 'template.yml')]);
  const r = cloud.ready;
  const services = r.services && typeof r.services === 'object' ? r.services : APP_SERVICES;
  const config = {
    endpoint: r.endpoint, accountId: r.accountId, region: r.region, serviceName: r.serviceName,
    sessionUrl: r.sessionUrl, dbFunctionName: r.dbFunctionName, services,
  };
  return { cloud, config, services };
}
