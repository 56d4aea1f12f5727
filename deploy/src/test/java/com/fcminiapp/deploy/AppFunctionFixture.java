package com.fcminiapp.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What scripts/new-function.sh adds for one app function, written here at the descriptors' marker lines as the
 * deploy checks expect it: in template.yml the function's own service and its tables, an Output, the function in
 * CALLABLE_FUNCTIONS and the InvokeRole, its tables in the session function's APP_TABLES with the session role's
 * deletion statement (docs/functions.md, "A table of your own", for a function without DATA_TABLES); in s.yaml its resource and the callableFunctions var;
 * deploy/policies/&lt;name&gt;-role.json and its entry in invoke-role.json. Its code here is the db function's jar
 * (handler, initializer and PreStop that exist), so every check of a function's code applies to it.
 */
final class AppFunctionFixture {

    static final String CODE = "./db-function/target/db-function.jar";
    static final String MODULE = "db-function";
    static final String HANDLER_CLASS = "com.fcminiapp.db.DbHandler";

    final String name;
    final List<String> tables;
    final boolean files;
    final boolean callable;

    AppFunctionFixture(String name, List<String> tables, boolean files, boolean callable) {
        this.name = name;
        this.tables = List.copyOf(tables);
        this.files = files;
        this.callable = callable;
    }

    /** The marker line's text (after its indentation), as the descriptors hold it. */
    static String marker(String what) {
        return "# new-function.sh: " + what;
    }

    /** {@code text} with {@code inserted} right above the (one) line holding {@code marker}, at its indentation. */
    static String insertAbove(String text, String marker, String inserted) {
        int at = text.indexOf(marker);
        if (at < 0 || text.indexOf(marker, at + 1) >= 0) {
            throw new IllegalStateException("not exactly one marker '" + marker + "'");
        }
        int lineStart = text.lastIndexOf('\n', at) + 1;
        return text.substring(0, lineStart) + inserted + text.substring(lineStart);
    }

    /** {@code text} with {@code entry} appended to the comma-separated value on the line after {@code marker}. */
    static String appendToNextLine(String text, String marker, String entry) {
        int at = text.indexOf(marker);
        return appendToLine(text, text.indexOf('\n', at) + 1, marker, entry);
    }

    /** {@code text} with {@code entry} appended to the quoted comma-separated value of the line at {@code lineStart}. */
    private static String appendToLine(String text, int lineStart, String marker, String entry) {
        int lineEnd = text.indexOf('\n', lineStart);
        String line = text.substring(lineStart, lineEnd);
        int open = line.indexOf('\'');
        int close = line.lastIndexOf('\'');
        if (open < 0 || close <= open) {
            throw new IllegalStateException("the line after '" + marker + "' has no quoted value: " + line);
        }
        String value = line.substring(open + 1, close);
        String changed = line.substring(0, open + 1) + (value.isEmpty() ? entry : value + "," + entry)
                + line.substring(close);
        return text.substring(0, lineStart) + changed + text.substring(lineEnd);
    }

    String service() {
        return Descriptors.APP_PREFIX + name;
    }

    /** {@code template} (template.yml's text) with this function added at its markers. */
    String addTo(String template) {
        String t = insertAbove(template, marker("services"), templateTables() + templateService());
        t = insertAbove(t, marker("outputs"), "  " + camel() + "ServiceName:\n"
                + "    Description: createClient services['" + name + "'] (the app function's FC 2.0 service)\n"
                + "    Value: " + service() + "\n");
        if (!tables.isEmpty()) {
            t = addToSessionDeletion(t);
        }
        if (callable) {
            t = appendToNextLine(t, marker("callable functions"), service() + "/" + name);
            String fc = "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:";
            t = insertAbove(t, marker("callable resources"), fc + "services/" + service() + "/functions/" + name
                    + "'\n" + fc + "functions/" + name + "'\n");
        }
        return t;
    }

    /**
     * The function's tables (outside DATA_TABLES) in the session function's APP_TABLES (the first APP_TABLES line of
     * the template: the session function comes before any app function) and in a deletion statement of the session
     * role, right above its files' statements.
     */
    private String addToSessionDeletion(String template) {
        String key = "\n          APP_TABLES: '";
        int at = template.indexOf(key);
        if (at < 0) {
            throw new IllegalStateException("the session function has no APP_TABLES line");
        }
        String t = template;
        for (String table : tables) {
            t = appendToLine(t, t.indexOf(key) + 1, "the session function's APP_TABLES", table);
        }
        StringBuilder s = new StringBuilder();
        for (String table : tables) {
            statement(s, "['ots:GetRange', 'ots:BatchWriteRow']",
                    "'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/" + table + "'");
        }
        return insertAbove(t, "# deleteAccount: the user's files", s.toString());
    }

    private String templateTables() {
        StringBuilder out = new StringBuilder();
        for (String table : tables) {
            out.append("  ").append(tableResource(table)).append(":\n")
                    .append("    Type: 'ALIYUN::OTS::Table'\n    DependsOn: Tablestore\n    Properties:\n")
                    .append("      InstanceName:\n        Ref: TablestoreInstance\n")
                    .append("      TableName: ").append(table).append("\n      TimeToLive: -1\n      MaxVersions: 1\n")
                    .append("      PrimaryKey:\n        - Name: uid\n          Type: STRING\n")
                    .append("        - Name: id\n          Type: STRING\n");
        }
        return out.toString();
    }

    private String tableResource(String table) {
        StringBuilder camel = new StringBuilder();
        for (String part : table.split("_")) {
            camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return camel + "Table";
    }

    private String camel() {
        StringBuilder camel = new StringBuilder();
        for (String part : name.split("-")) {
            camel.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return camel.toString();
    }

    private String templateService() {
        String ots = "'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}/table/";
        List<String> dependsOn = new ArrayList<>(List.of("FunctionLogStore", "SessionTable", "UsersTable"));
        tables.forEach(t -> dependsOn.add(tableResource(t)));
        StringBuilder s = new StringBuilder();
        s.append("  ").append(service()).append(":\n    Type: 'Aliyun::Serverless::Service'\n")
                .append("    DependsOn: [").append(String.join(", ", dependsOn)).append("]\n    Properties:\n")
                .append("      Description: fc-miniapp app function ").append(name).append('\n')
                .append("      Policies:\n        - Version: '1'\n          Statement:\n");
        statement(s, "['ots:GetRow']", ots + "session'");
        statement(s, "['ots:GetRow']", ots + Descriptors.USERS_TABLE + "'");
        for (String table : tables) {
            statement(s, "['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow', 'ots:GetRange',"
                    + " 'ots:BatchGetRow', 'ots:BatchWriteRow']", ots + table + "'");
        }
        if (files) {
            statement(s, "['oss:PutObject', 'oss:GetObject']", "'acs:oss:*:${ALIYUN::AccountId}:${OssBucket}/users/*'");
        }
        statement(s, "['log:PostLogStoreLogs']",
                "'acs:log:${ALIYUN::Region}:${ALIYUN::AccountId}:project/${LogProjectName}/logstore/function-log'");
        s.append("      LogConfig:\n        Project:\n          Fn::GetAtt: [FunctionLogProject, Name]\n")
                .append("        Logstore:\n          Fn::GetAtt: [FunctionLogStore, LogstoreName]\n");
        return s + templateFunction();
    }

    private static void statement(StringBuilder s, String actions, String resource) {
        s.append("            - Effect: Allow\n              Action: ").append(actions).append('\n')
                .append("              Resource:\n                Fn::Sub: ").append(resource).append('\n');
    }

    private String templateFunction() {
        StringBuilder f = new StringBuilder();
        f.append("    ").append(name).append(":\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n")
                .append("        Description: the app function ").append(name).append('\n')
                .append("        Runtime: java11\n        CodeUri: ").append(CODE).append('\n')
                .append("        Handler: ").append(HANDLER_CLASS).append("::handleRequest\n")
                .append("        Initializer: ").append(HANDLER_CLASS).append("::initialize\n")
                .append("        InitializationTimeout: 30\n        InstanceLifecycleConfig:\n          PreStop:\n")
                .append("            Handler: ").append(HANDLER_CLASS).append("::preStop\n            Timeout: 5\n")
                .append("        MemorySize: 512\n        Timeout: 15\n        EnvironmentVariables:\n")
                .append("          TABLESTORE_ENDPOINT:\n")
                .append("            Fn::Sub: 'https://${TablestoreInstance}.${ALIYUN::Region}.ots.aliyuncs.com'\n")
                .append("          TABLESTORE_INSTANCE:\n            Ref: TablestoreInstance\n")
                .append("          TABLESTORE_AUTO_CREATE: 'false'\n          SESSION_TABLE: session\n")
                .append("          SESSION_TTL_SECONDS: '604800'\n          UPSTREAM_TIMEOUT_MS: '5000'\n")
                .append("          USERS_TABLE: ").append(Descriptors.USERS_TABLE).append('\n')
                .append("          APP_TABLES: '").append(String.join(",", tables)).append("'\n")
                // the fixture runs the db function's jar, which would list and create search indexes at
                // initialize; an app function on the kit does neither, so its role has no index action
                .append("          SEARCH_INDEX_AUTO_CREATE: 'false'\n");
        if (files) {
            f.append("          OSS_ENDPOINT:\n            Fn::Sub: 'https://oss-${ALIYUN::Region}-internal.aliyuncs.com'\n")
                    .append("          OSS_PUBLIC_ENDPOINT:\n            Fn::Sub: 'https://oss-${ALIYUN::Region}.aliyuncs.com'\n")
                    .append("          OSS_BUCKET:\n            Ref: OssBucket\n");
        }
        f.append("          JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1'\n");
        return f.toString();
    }

    /** {@code sYaml} (s.yaml's text) with this function added at its markers. */
    String addToSYaml(String sYaml) {
        String s = insertAbove(sYaml, marker("resources"), sYamlResource());
        // its tables in the session function's APP_TABLES (the first such line: session is s.yaml's first resource)
        for (String table : tables) {
            int at = s.indexOf("\n        APP_TABLES: '");
            if (at < 0) {
                throw new IllegalStateException("s.yaml's session function has no APP_TABLES line");
            }
            s = appendToLine(s, at + 1, "s.yaml's session APP_TABLES", table);
        }
        return callable ? appendToNextLine(s, marker("callable functions"), name) : s;
    }

    private String sYamlResource() {
        StringBuilder r = new StringBuilder();
        r.append("  ").append(name).append(":\n    component: fc3\n    actions:\n      pre-deploy:\n")
                .append("        - run: ./mvnw -B -DskipTests -pl ").append(MODULE).append(" -am package\n")
                .append("          path: ./\n    props:\n      region: ${vars.region}\n")
                .append("      functionName: ").append(name).append('\n')
                .append("      description: the app function ").append(name).append('\n')
                .append("      runtime: java11\n      code: ").append(CODE).append('\n')
                .append("      handler: ").append(HANDLER_CLASS).append("::handleRequest\n")
                .append("      memorySize: 512\n      timeout: 15\n")
                .append("      role: ").append(Descriptors.S_YAML_APP_ROLE).append(name).append('\n')
                .append("      logConfig:\n        project: ${vars.logProject}\n        logstore: function-log\n")
                .append("      instanceLifecycleConfig:\n        initializer:\n")
                .append("          handler: ").append(HANDLER_CLASS).append("::initialize\n          timeout: 30\n")
                .append("        preStop:\n          handler: ").append(HANDLER_CLASS).append("::preStop\n")
                .append("          timeout: 5\n      environmentVariables:\n")
                .append("        TABLESTORE_ENDPOINT: https://${vars.tablestoreInstance}.${vars.region}.ots.aliyuncs.com\n")
                .append("        TABLESTORE_INSTANCE: ${vars.tablestoreInstance}\n")
                .append("        TABLESTORE_AUTO_CREATE: 'false'\n        SESSION_TABLE: ${vars.sessionTable}\n")
                .append("        SESSION_TTL_SECONDS: ${vars.sessionTtlSeconds}\n")
                .append("        USERS_TABLE: ${vars.usersTable}\n")
                .append("        UPSTREAM_TIMEOUT_MS: ${vars.upstreamTimeoutMs}\n")
                .append("        APP_TABLES: '").append(String.join(",", tables)).append("'\n");
        if (files) {
            r.append("        OSS_ENDPOINT: https://oss-${vars.region}-internal.aliyuncs.com\n")
                    .append("        OSS_PUBLIC_ENDPOINT: https://oss-${vars.region}.aliyuncs.com\n")
                    .append("        OSS_BUCKET: ${env('OSS_BUCKET')}\n");
        }
        return r.append("        JAVA_TOOL_OPTIONS: ${vars.javaToolOptions}\n\n").toString();
    }

    /** deploy/policies/&lt;name&gt;-role.json for this function. */
    String roleFile() {
        List<String> statements = new ArrayList<>();
        statements.add(jsonStatement("\"ots:GetRow\"", RoleRules.SESSION_TABLE));
        statements.add(jsonStatement("\"ots:GetRow\"", RoleRules.USERS_TABLE));
        for (String table : tables) {
            statements.add(jsonStatement("\"ots:GetRow\", \"ots:PutRow\", \"ots:UpdateRow\", \"ots:DeleteRow\","
                    + " \"ots:GetRange\", \"ots:BatchGetRow\", \"ots:BatchWriteRow\"", RoleRules.table(table)));
        }
        if (files) {
            statements.add(jsonStatement("\"oss:PutObject\", \"oss:GetObject\"", RoleRules.USERS_FILES));
        }
        statements.add(jsonStatement("\"log:PostLogStoreLogs\"", RoleRules.LOG));
        return "{\n  \"Version\": \"1\",\n  \"Statement\": [\n" + String.join(",\n", statements) + "\n  ]\n}\n";
    }

    private static String jsonStatement(String actions, String resource) {
        return "    {\"Effect\": \"Allow\", \"Action\": [" + actions + "],\n     \"Resource\": \"" + resource + "\"}";
    }

    /** invoke-role.json's text with this function's FC 3.0 resource added (when it is callable). */
    String addToInvokeRole(String invokeRole) {
        if (!callable) {
            return invokeRole;
        }
        int close = invokeRole.lastIndexOf("     ]}");
        return invokeRole.substring(0, close) + "      ,\"acs:fc:<region>:<accountId>:functions/" + name + "\"\n"
                + invokeRole.substring(close);
    }

    /** The repository's deploy/policies/*.json by file name, as the checks read them. */
    static Map<String, String> policyTexts() {
        Map<String, String> out = new LinkedHashMap<>();
        try (var files = Files.list(DeployFiles.root().resolve("deploy/policies"))) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (f.getFileName().toString().endsWith(".json")) {
                    out.put(f.getFileName().toString(), Files.readString(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** {@code policies} (file name → text) with this function's role file and invoke entry added. */
    Map<String, String> addToPolicies(Map<String, String> policies) {
        Map<String, String> out = new LinkedHashMap<>(policies);
        out.put(name + "-role.json", roleFile());
        out.put("invoke-role.json", addToInvokeRole(policies.get("invoke-role.json")));
        if (!tables.isEmpty()) {
            out.put("session-role.json", addToSessionRole(policies.get("session-role.json")));
        }
        return out;
    }

    /** session-role.json with a deletion statement on this function's tables (deleteAccount clears them). */
    private String addToSessionRole(String sessionRole) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode doc =
                    (com.fasterxml.jackson.databind.node.ObjectNode) DeployFiles.JSON.readTree(sessionRole);
            com.fasterxml.jackson.databind.node.ObjectNode statement = doc.withArray("Statement").addObject();
            statement.put("Effect", "Allow");
            statement.putArray("Action").add("ots:GetRange").add("ots:BatchWriteRow");
            tables.forEach(t -> statement.withArray("Resource").add(RoleRules.table(t)));
            return DeployFiles.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
