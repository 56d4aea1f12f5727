package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fcminiapp.common.tables.DeclarationException;
import com.fcminiapp.common.tables.TablesDeclaration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Least privilege as both descriptors must keep it, for any number of app functions: what each role may hold, as
 * "action resource" pairs with the deployer's values as placeholders, and the checks that list every way a
 * template.yml, an s.yaml with its deploy/policies/*.json, or the two together break it (an empty list: exact).
 */
final class RoleRules {

    static final String SESSION_TABLE = table("session");
    static final String TODO_TABLE = table("todo_list");
    /** The users' own records: written only by the session function, read by app functions (Caller.phone()). */
    static final String USERS_TABLE = table(Descriptors.USERS_TABLE);
    static final String BUCKET = "acs:oss:*:<accountId>:<ossBucket>";
    /**
     * The session function's listing of the users' files (deleteAccount), as RAM's {@code oss:Prefix} condition
     * narrows it to the two folders: {@link #grants} writes a conditioned pair with its condition.
     */
    static final String SESSION_LIST = "oss:ListObjects " + BUCKET
            + " when {\"StringLike\":{\"oss:Prefix\":[\"users/*\",\"public/*\"]}}";
    /** What the session function's deleteAccount does to every declared data table: read the user's rows, delete them. */
    static final List<String> DELETION_ACTIONS = List.of("GetRange", "BatchWriteRow", "DeleteRow", "GetRow");
    /**
     * What deleteAccount does to each table only app functions name (the session function's APP_TABLES, private):
     * a range read of the user's partition, batched deletes.
     */
    static final List<String> APP_TABLE_DELETION_ACTIONS = List.of("GetRange", "BatchWriteRow");
    static final String LOG = "acs:log:<region>:<accountId>:project/<logProject>/logstore/function-log";
    static final String USERS_FILES = "acs:oss:*:<accountId>:<ossBucket>/users/*";
    /** The users' public folders (public/&lt;uid&gt;/…): only the db function writes them, for their owners. */
    static final String PUBLIC_FILES = "acs:oss:*:<accountId>:<ossBucket>/public/*";
    /** What the db function does to every declared data table: its rows, and queries on its search index. */
    static final List<String> DATA_TABLE_ACTIONS = List.of("GetRow", "PutRow", "UpdateRow", "DeleteRow", "GetRange",
            "Search");
    /**
     * What the db function's initializer does to the search indexes when it creates them (s.yaml:
     * SEARCH_INDEX_AUTO_CREATE 'true'); template.yml's ROS creates them, so its role holds none of these.
     */
    static final List<String> INDEX_ACTIONS = List.of("ListSearchIndex", "CreateSearchIndex", "DescribeSearchIndex");

    /** The object actions on the users' files: the db function's, and an app function's with OSS_BUCKET (users/* only). */
    static final List<String> FILE_ACTIONS = List.of("PutObject", "GetObject", "DeleteObject");

    /**
     * The session function: issue users' credentials, keep sessions and the users' records, delete an account's rows
     * and files (deleteAccount), write its logs.
     */
    static final Set<String> SESSION_GRANTS = sessionGrants();

    private static Set<String> sessionGrants() {
        Set<String> grants = new TreeSet<>(Set.of("sts:AssumeRole acs:ram::<accountId>:role/<invokeRoleName>",
                "ots:GetRow " + SESSION_TABLE, "ots:PutRow " + SESSION_TABLE, "ots:UpdateRow " + SESSION_TABLE,
                "ots:DeleteRow " + SESSION_TABLE,
                "ots:GetRow " + USERS_TABLE, "ots:PutRow " + USERS_TABLE, "ots:UpdateRow " + USERS_TABLE,
                "ots:DeleteRow " + USERS_TABLE, SESSION_LIST, "oss:DeleteObject " + USERS_FILES,
                "oss:DeleteObject " + PUBLIC_FILES, "log:PostLogStoreLogs " + LOG));
        for (String t : DeployFiles.declaredTables()) {
            DELETION_ACTIONS.forEach(a -> grants.add("ots:" + a + " " + table(t)));
        }
        return Set.copyOf(grants);
    }

    /** {@link #SESSION_GRANTS} and the deletion's actions on each table of the session function's APP_TABLES. */
    static Set<String> sessionGrants(JsonNode template) {
        Set<String> grants = new TreeSet<>(SESSION_GRANTS);
        for (String t : sessionAppTables(template)) {
            APP_TABLE_DELETION_ACTIONS.forEach(a -> grants.add("ots:" + a + " " + table(t)));
        }
        return grants;
    }

    /** The session function's APP_TABLES in {@code template} (empty when unset). */
    static List<String> sessionAppTables(JsonNode template) {
        String value = Descriptors.env(Descriptors.templateFunction(template, Descriptors.SESSION_FUNCTION),
                "APP_TABLES");
        return Descriptors.list(value == null ? "" : value);
    }

    /**
     * Why deleteAccount would leave rows of an app function's own table behind (contract "Users": every row the user
     * owns in every table): each APP_TABLES name of an app function that the session function's DATA_TABLES does not
     * declare must be in the session function's APP_TABLES, and the session role must hold GetRange and
     * BatchWriteRow on it; the session's APP_TABLES names only tables of the template outside DATA_TABLES (the
     * session function refuses a DATA_TABLES name there at start).
     */
    static List<String> deletionProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode session = Descriptors.templateFunction(template, Descriptors.SESSION_FUNCTION);
        String data = Descriptors.env(session, "DATA_TABLES");
        List<String> declared;
        try {
            declared = TablesDeclaration.parse(data).names();
        } catch (DeclarationException e) {
            problems.add("the session function's DATA_TABLES is no table declaration: " + e.getMessage());
            return problems;
        }
        List<String> deleted = sessionAppTables(template);
        Set<String> held = grants(servicePolicies(template.path("Resources"), Descriptors.SESSION_SERVICE));
        Set<String> tables = templateTables(template);
        for (String app : Descriptors.templateAppFunctions(template)) {
            String appTables = Descriptors.env(Descriptors.templateFunction(template, app), "APP_TABLES");
            for (String t : Descriptors.list(appTables == null ? "" : appTables)) {
                if (!declared.contains(t) && !deleted.contains(t)) {
                    problems.add("function " + app + ": APP_TABLES names " + t + ", which neither the session"
                            + " function's DATA_TABLES nor its APP_TABLES names: deleteAccount would leave the user's"
                            + " rows there");
                }
            }
        }
        for (String t : deleted) {
            if (declared.contains(t)) {
                problems.add("the session function's APP_TABLES names " + t + ", which its DATA_TABLES declares");
            }
            if (!tables.contains(t)) {
                problems.add("the session function's APP_TABLES names " + t + ", no table of the template");
            }
            for (String a : APP_TABLE_DELETION_ACTIONS) {
                if (!held.contains("ots:" + a + " " + table(t))) {
                    problems.add("service " + Descriptors.SESSION_SERVICE + " lacks ots:" + a + " " + table(t)
                            + " (deleteAccount clears the user's partition of each table of its APP_TABLES)");
                }
            }
        }
        return problems;
    }

    /** The db function in template.yml: read sessions, use the declared tables and the users' files, write its logs. */
    static final Set<String> DB_GRANTS = dbGrants(List.of());

    /** The db function in s.yaml (db-role.json): as in template.yml, and it creates the missing indexes itself. */
    static final Set<String> S_YAML_DB_GRANTS = dbGrants(INDEX_ACTIONS);

    /** The db function's grants for the repository's tables.json, with {@code indexActions} on each table too. */
    static Set<String> dbGrants(List<String> indexActions) {
        Set<String> grants = new TreeSet<>(Set.of("ots:GetRow " + SESSION_TABLE,
                "oss:ListObjects acs:oss:*:<accountId>:<ossBucket>", "log:PostLogStoreLogs " + LOG));
        for (String files : List.of(USERS_FILES, PUBLIC_FILES)) {
            FILE_ACTIONS.forEach(a -> grants.add("oss:" + a + " " + files));
        }
        for (String t : DeployFiles.declaredTables()) {
            DATA_TABLE_ACTIONS.forEach(a -> grants.add("ots:" + a + " " + table(t)));
            indexActions.forEach(a -> grants.add("ots:" + a + " " + table(t)));
        }
        return Set.copyOf(grants);
    }

    /**
     * What every app function's role holds: the session check's read, the users table's read (Caller.phone(); only
     * GetRow: the session function alone writes it), its logs.
     */
    static final Set<String> APP_REQUIRED = Set.of("ots:GetRow " + SESSION_TABLE, "ots:GetRow " + USERS_TABLE,
            "log:PostLogStoreLogs " + LOG);
    /**
     * The row actions an app function's role may hold on a table of its own APP_TABLES (and on no other table), and
     * Search, for the kit's queries on that table's search index.
     */
    static final List<String> ROW_ACTIONS = List.of("GetRow", "PutRow", "UpdateRow", "DeleteRow", "GetRange",
            "BatchGetRow", "BatchWriteRow", "Search");

    /** template.yml's Parameters and pseudo parameters, as the placeholders above. */
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "ALIYUN::Region", "<region>", "ALIYUN::AccountId", "<accountId>",
            "TablestoreInstance", "<tablestoreInstance>", "OssBucket", "<ossBucket>",
            "LogProjectName", "<logProject>", "InvokeRoleName", "<invokeRoleName>");
    private static final Pattern VAR = Pattern.compile("\\$\\{vars\\.([A-Za-z0-9_]+)}");

    private RoleRules() {
    }

    static String table(String name) {
        return "acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/" + name;
    }

    static String fc2(String service, String function) {
        return "fc:InvokeFunction acs:fc:<region>:<accountId>:services/" + service + "/functions/" + function;
    }

    static String fc3(String function) {
        return "fc:InvokeFunction acs:fc:<region>:<accountId>:functions/" + function;
    }

    /**
     * Why an app function's role is not what it may hold: anything beyond its session read, its logs, the row
     * actions on its own APP_TABLES and (with OSS_BUCKET) the object actions on the users' folders is named, and so
     * is a missing session read or log grant.
     */
    static List<String> appRoleProblems(String who, Set<String> held, List<String> appTables, boolean files) {
        Set<String> allowed = new TreeSet<>(APP_REQUIRED);
        for (String t : appTables) {
            ROW_ACTIONS.forEach(a -> allowed.add("ots:" + a + " " + table(t)));
        }
        if (files) {
            FILE_ACTIONS.forEach(a -> allowed.add("oss:" + a + " " + USERS_FILES));
        }
        List<String> problems = new ArrayList<>();
        for (String grant : held) {
            if (!allowed.contains(grant)) {
                problems.add(who + " holds " + grant + ", beyond its session read, its log, its own APP_TABLES "
                        + appTables + (files ? " and the users' files" : "") + ")");
            }
        }
        for (String grant : APP_REQUIRED) {
            if (!held.contains(grant)) {
                problems.add(who + " lacks " + grant);
            }
        }
        if (appTables.contains("session")) {
            problems.add(who + ": APP_TABLES names the session table (a function that writes it could forge sessions)");
        }
        if (appTables.contains(Descriptors.USERS_TABLE)) {
            problems.add(who + ": APP_TABLES names the users table (only the session function writes it)");
        }
        return problems;
    }

    // ---- template.yml

    /** Every way template.yml's roles hold more or less than their functions may. */
    static List<String> templateProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode resources = template.path("Resources");
        expect(problems, "service " + Descriptors.SESSION_SERVICE, grants(servicePolicies(resources,
                Descriptors.SESSION_SERVICE)), sessionGrants(template));
        problems.addAll(deletionProblems(template));
        expect(problems, "service " + Descriptors.DB_SERVICE, grants(servicePolicies(resources,
                Descriptors.DB_SERVICE)), DB_GRANTS);
        Set<String> tables = templateTables(template);
        for (String service : Descriptors.templateAppServices(template)) {
            problems.addAll(appServiceProblems(template, service, tables));
        }
        resources.fields().forEachRemaining(r -> {
            if ("Aliyun::Serverless::Service".equals(r.getValue().path("Type").asText())) {
                problems.addAll(inlineOnly(r.getKey(), r.getValue().path("Properties")));
            }
        });
        problems.addAll(templateInvokeProblems(template));
        return problems;
    }

    private static List<String> appServiceProblems(JsonNode template, String service, Set<String> tables) {
        List<String> problems = new ArrayList<>();
        List<String> functions = Descriptors.functionsOf(template.path("Resources").path(service));
        if (functions.size() != 1 || !service.equals(Descriptors.APP_PREFIX + functions.get(0))) {
            problems.add("service " + service + " holds " + functions + ": an app function <name> is the one"
                    + " function of service " + Descriptors.APP_PREFIX + "<name>");
            return problems;
        }
        JsonNode props = template.path("Resources").path(service).path(functions.get(0)).path("Properties");
        String appTables = Descriptors.env(props, "APP_TABLES");
        if (appTables == null) {
            problems.add("function " + functions.get(0) + " has no APP_TABLES");
            appTables = "";
        }
        for (String t : Descriptors.list(appTables)) {
            if (!tables.contains(t)) {
                problems.add("function " + functions.get(0) + ": APP_TABLES names " + t + ", no table of the template");
            }
        }
        problems.addAll(appRoleProblems("service " + service, grants(servicePolicies(template.path("Resources"),
                service)), Descriptors.list(appTables), Descriptors.env(props, "OSS_BUCKET") != null));
        return problems;
    }

    /** The role ROS creates for the template's users' credentials, and which functions it may invoke. */
    private static List<String> templateInvokeProblems(JsonNode template) {
        List<String> problems = new ArrayList<>();
        JsonNode role = template.path("Resources").path("InvokeRole");
        if (!"ALIYUN::RAM::Role".equals(role.path("Type").asText())) {
            problems.add("InvokeRole is no ALIYUN::RAM::Role");
        }
        Set<String> held = new TreeSet<>();
        for (JsonNode policy : role.path("Properties").path("Policies")) {
            held.addAll(grants(policy.path("PolicyDocument")));
        }
        Set<String> expected = new TreeSet<>(Set.of(fc2(Descriptors.DB_SERVICE, Descriptors.DB_FUNCTION),
                fc3(Descriptors.DB_FUNCTION)));
        Map<String, String> services = Descriptors.templateFunctions(template);
        List<String> apps = Descriptors.templateAppFunctions(template);
        String callables = Descriptors.env(Descriptors.templateFunction(template, Descriptors.SESSION_FUNCTION),
                "CALLABLE_FUNCTIONS");
        for (String entry : Descriptors.list(callables == null ? "" : callables)) {
            String[] parts = entry.split("/", -1);
            String function = parts[parts.length - 1];
            if (parts.length != 2 || !apps.contains(function) || !parts[0].equals(services.get(function))) {
                problems.add("CALLABLE_FUNCTIONS entry " + entry + " is no app function of the template as"
                        + " service/function");
                continue;
            }
            expected.add(fc2(parts[0], function));
            expected.add(fc3(function));
        }
        expect(problems, "the InvokeRole", held, expected);
        return problems;
    }

    /** The table names template.yml creates ({@code ALIYUN::OTS::Table}). */
    static Set<String> templateTables(JsonNode template) {
        Set<String> tables = new TreeSet<>();
        template.path("Resources").forEach(r -> {
            if ("ALIYUN::OTS::Table".equals(r.path("Type").asText())) {
                tables.add(r.path("Properties").path("TableName").asText());
            }
        });
        return tables;
    }

    private static JsonNode servicePolicies(JsonNode resources, String service) {
        return resources.path(service).path("Properties").path("Policies");
    }

    /** A service names no existing role and no managed policy: the transform creates its role from these statements. */
    private static List<String> inlineOnly(String service, JsonNode props) {
        List<String> problems = new ArrayList<>();
        if (props.has("Role")) {
            problems.add("service " + service + " names a Role");
        }
        for (JsonNode policy : props.path("Policies")) {
            if (!policy.isObject()) {
                problems.add("service " + service + " attaches policy " + policy + ", not inline statements");
            }
        }
        return problems;
    }

    // ---- s.yaml and deploy/policies

    /**
     * Every way s.yaml's roles (deploy/policies/*.json, by file name) hold more or less than their functions may,
     * and every app function resource that does not run with its own role.
     */
    static List<String> sYamlProblems(JsonNode sYaml, Map<String, JsonNode> policyFiles) {
        List<String> problems = new ArrayList<>();
        List<String> deleted = Descriptors.list(sValue(sYaml, sYaml.path("resources").path("session").path("props")
                .path("environmentVariables").path("APP_TABLES")));
        Set<String> sessionGrants = new TreeSet<>(SESSION_GRANTS);
        for (String t : deleted) {
            APP_TABLE_DELETION_ACTIONS.forEach(a -> sessionGrants.add("ots:" + a + " " + table(t)));
        }
        expect(problems, "session-role.json", grants(policyFiles.get("session-role.json")), sessionGrants);
        expect(problems, "db-role.json", grants(policyFiles.get("db-role.json")), S_YAML_DB_GRANTS);
        Set<String> roleFiles = new TreeSet<>(Set.of("session-role.json", "db-role.json", "invoke-role.json"));
        for (String app : Descriptors.sYamlAppFunctions(sYaml)) {
            JsonNode props = sYaml.path("resources").path(app).path("props");
            if (!app.equals(props.path("functionName").asText())) {
                problems.add("s.yaml resource " + app + " names function " + props.path("functionName").asText()
                        + ": an app function's resource and function are both its name");
            }
            if (!(Descriptors.S_YAML_APP_ROLE + app).equals(props.path("role").asText())) {
                problems.add("s.yaml resource " + app + " runs with role " + props.path("role").asText() + ", not "
                        + Descriptors.S_YAML_APP_ROLE + app);
            }
            String file = app + "-role.json";
            roleFiles.add(file);
            if (!policyFiles.containsKey(file)) {
                problems.add("app function " + app + " has no deploy/policies/" + file);
                continue;
            }
            String appTables = sValue(sYaml, props.path("environmentVariables").path("APP_TABLES"));
            // deleteAccount: s.yaml's DATA_TABLES is tables.json itself; any other table must be the session's
            Descriptors.list(appTables).stream().filter(t -> !DeployFiles.declaredTables().contains(t)
                    && !deleted.contains(t)).forEach(t -> problems.add("s.yaml function " + app + ": APP_TABLES names "
                    + t + ", which neither tables.json nor the session function's APP_TABLES names: deleteAccount"
                    + " would leave the user's rows there"));
            problems.addAll(appRoleProblems(file, grants(policyFiles.get(file)), Descriptors.list(appTables),
                    !sValue(sYaml, props.path("environmentVariables").path("OSS_BUCKET")).isEmpty()));
        }
        policyFiles.keySet().stream().filter(f -> f.endsWith("-role.json") && !roleFiles.contains(f))
                .forEach(f -> problems.add("deploy/policies/" + f + " is the role of no s.yaml function"));
        problems.addAll(sYamlInvokeProblems(sYaml, policyFiles.get("invoke-role.json")));
        return problems;
    }

    private static List<String> sYamlInvokeProblems(JsonNode sYaml, JsonNode invokeRole) {
        List<String> problems = new ArrayList<>();
        Set<String> expected = new TreeSet<>(Set.of(fc3(sYaml.path("vars").path("dbFunctionName").asText())));
        List<String> apps = Descriptors.sYamlAppFunctions(sYaml);
        for (String entry : sYamlCallables(sYaml)) {
            if (!apps.contains(entry)) {
                problems.add("callableFunctions entry " + entry + " is no app function of s.yaml (FC 3.0: a function"
                        + " name, no service)");
                continue;
            }
            expected.add(fc3(entry));
        }
        expect(problems, "invoke-role.json", grants(invokeRole), expected);
        return problems;
    }

    /** s.yaml's callableFunctions var, which the session function's CALLABLE_FUNCTIONS is. */
    static List<String> sYamlCallables(JsonNode sYaml) {
        return Descriptors.list(sYaml.path("vars").path("callableFunctions").asText(""));
    }

    /** An s.yaml value with each {@code ${vars.x}} replaced by the var (one level, as s.yaml writes them). */
    private static String sValue(JsonNode sYaml, JsonNode value) {
        Matcher m = VAR.matcher(value.asText(""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(sYaml.path("vars").path(m.group(1)).asText("")));
        }
        m.appendTail(out);
        return out.toString();
    }

    // ---- both

    /** Both descriptors deploy the same app functions, and users' keys may call the same ones in each. */
    static List<String> agreementProblems(JsonNode template, JsonNode sYaml) {
        List<String> problems = new ArrayList<>();
        Set<String> fc2 = new TreeSet<>(Descriptors.templateAppFunctions(template));
        Set<String> fc3 = new TreeSet<>(Descriptors.sYamlAppFunctions(sYaml));
        if (!fc2.equals(fc3)) {
            problems.add("template.yml's app functions " + fc2 + " are not s.yaml's " + fc3);
        }
        Set<String> callable2 = new TreeSet<>();
        String callables = Descriptors.env(Descriptors.templateFunction(template, Descriptors.SESSION_FUNCTION),
                "CALLABLE_FUNCTIONS");
        for (String entry : Descriptors.list(callables == null ? "" : callables)) {
            callable2.add(entry.substring(entry.indexOf('/') + 1));
        }
        Set<String> callable3 = new TreeSet<>(sYamlCallables(sYaml));
        if (!callable2.equals(callable3)) {
            problems.add("template.yml makes " + callable2 + " callable, s.yaml " + callable3);
        }
        return problems;
    }

    private static void expect(List<String> problems, String who, Set<String> held, Set<String> expected) {
        for (String grant : held) {
            if (!expected.contains(grant)) {
                problems.add(who + " holds " + grant + ", beyond what its function needs");
            }
        }
        for (String grant : new TreeSet<>(expected)) {
            if (!held.contains(grant)) {
                problems.add(who + " lacks " + grant);
            }
        }
    }

    /**
     * "action resource" for every pair a document (or a list of documents) allows; a statement's Condition is part of
     * each of its pairs ("action resource when {condition}", the condition as compact JSON), so a conditioned grant
     * never passes for an unconditioned one nor the other way round. A Deny, NotAction, NotResource or Principal is
     * reported as its own entry, so it can never pass for an exact list.
     */
    static Set<String> grants(JsonNode policies) {
        Set<String> out = new TreeSet<>();
        if (policies == null) {
            return out;
        }
        for (JsonNode policy : policies.isArray() ? policies : DeployFiles.JSON.createArrayNode().add(policies)) {
            for (JsonNode statement : policy.path("Statement")) {
                for (String odd : new String[] {"NotAction", "NotResource", "Principal"}) {
                    if (statement.has(odd)) {
                        out.add(odd + " " + statement.path(odd));
                    }
                }
                if (!"Allow".equals(statement.path("Effect").asText())) {
                    out.add("Effect " + statement.path("Effect").asText());
                }
                for (JsonNode action : list(statement.path("Action"))) {
                    for (JsonNode resource : list(statement.path("Resource"))) {
                        out.add(action.asText() + " " + resolve(resource) + (statement.has("Condition")
                                ? " when " + statement.path("Condition") : ""));
                    }
                }
            }
        }
        return out;
    }

    private static Iterable<JsonNode> list(JsonNode node) {
        return node.isArray() ? node : DeployFiles.JSON.createArrayNode().add(node);
    }

    /** A plain string, {@code Ref} or {@code Fn::Sub} with the template's parameters as placeholders. */
    static String resolve(JsonNode value) {
        if (value.has("Ref")) {
            return PLACEHOLDERS.getOrDefault(value.path("Ref").asText(), "<unknown " + value.path("Ref").asText() + ">");
        }
        String text = value.has("Fn::Sub") ? value.path("Fn::Sub").asText() : value.asText();
        for (Map.Entry<String, String> p : PLACEHOLDERS.entrySet()) {
            text = text.replace("${" + p.getKey() + "}", p.getValue());
        }
        return text;
    }
}
