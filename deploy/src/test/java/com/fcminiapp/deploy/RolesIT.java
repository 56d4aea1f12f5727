package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege in both descriptors, for the built-ins and any number of app functions (RoleRules): every role
 * template.yml creates (each service's role, the invoke role) and every role s.yaml names (deploy/policies/*.json)
 * holds exactly what its function may, and both descriptors deploy the same app functions and let users call the
 * same ones. An app function added as scripts/new-function.sh adds it (AppFunctionFixture, at the marker lines)
 * passes; any grant beyond its own (another function's table, a function users may not call) fails.
 */
class RolesIT {

    private static final JsonNode TEMPLATE = DeployFiles.yaml("template.yml");
    private static final JsonNode S_YAML = DeployFiles.yaml("s.yaml");
    private static final AppFunctionFixture PROBE = new AppFunctionFixture("probe", List.of("probe_rows"), true, true);

    private static JsonNode yamlText(String text) {
        try {
            return DeployFiles.YAML.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, JsonNode> policies(Map<String, String> texts) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        texts.forEach((name, text) -> {
            try {
                out.put(name, DeployFiles.JSON.readTree(text));
            } catch (IOException e) {
                throw new AssertionError(name, e);
            }
        });
        return out;
    }

    private static JsonNode invokeDocument(JsonNode template) {
        return template.path("Resources").path("InvokeRole").path("Properties").path("Policies").get(0)
                .path("PolicyDocument");
    }

    /** {@code functions} and then the fixture's probe. */
    private static List<String> plusProbe(List<String> functions) {
        List<String> out = new java.util.ArrayList<>(functions);
        out.add("probe");
        return out;
    }

    private static String templateText() throws IOException {
        return Files.readString(DeployFiles.root().resolve("template.yml"));
    }

    private static String sYamlText() throws IOException {
        return Files.readString(DeployFiles.root().resolve("s.yaml"));
    }

    @Test
    void everyRoleTheTemplateCreatesHoldsExactlyItsFunctionsGrants() {
        assertThat(RoleRules.templateProblems(TEMPLATE)).isEmpty();
    }

    @Test
    void theSessionAndDbServiceRolesHoldExactlyTheirFunctionsGrants() {
        JsonNode resources = TEMPLATE.path("Resources");
        assertThat(RoleRules.grants(resources.path(Descriptors.SESSION_SERVICE).path("Properties").path("Policies")))
                .isEqualTo(new TreeSet<>(RoleRules.SESSION_GRANTS));
        assertThat(RoleRules.grants(resources.path(Descriptors.DB_SERVICE).path("Properties").path("Policies")))
                .isEqualTo(new TreeSet<>(RoleRules.DB_GRANTS));
    }

    @Test
    void theDbRolesQueryEveryDeclaredTableAndOnlySYamlsCreatesIndexes() {
        Set<String> template = RoleRules.grants(TEMPLATE.path("Resources").path(Descriptors.DB_SERVICE)
                .path("Properties").path("Policies"));
        Set<String> sYaml = RoleRules.grants(policies(AppFunctionFixture.policyTexts()).get("db-role.json"));

        assertThat(DeployFiles.declaredTables()).isNotEmpty();
        for (String t : DeployFiles.declaredTables()) {
            assertThat(template).contains("ots:Search " + RoleRules.table(t)).doesNotContain(
                    "ots:CreateSearchIndex " + RoleRules.table(t), "ots:ListSearchIndex " + RoleRules.table(t));
            assertThat(sYaml).contains("ots:Search " + RoleRules.table(t), "ots:CreateSearchIndex " + RoleRules.table(t),
                    "ots:ListSearchIndex " + RoleRules.table(t), "ots:DescribeSearchIndex " + RoleRules.table(t))
                    .doesNotContain("ots:DeleteSearchIndex " + RoleRules.table(t));
        }
        for (Set<String> role : List.of(template, sYaml)) {
            assertThat(role).contains("oss:PutObject " + RoleRules.PUBLIC_FILES, "oss:GetObject " + RoleRules.PUBLIC_FILES,
                    "oss:DeleteObject " + RoleRules.PUBLIC_FILES)
                    .noneMatch(g -> g.endsWith(":<ossBucket>/*") || g.endsWith("/table/*"));
        }
    }

    @Test
    void anIndexActionInTheTemplatesDbRoleOrATableTheDeclarationLacksIsRejected() throws IOException {
        String text = templateText();
        String widened = text.replace("'ots:GetRange', 'ots:Search']", "'ots:GetRange', 'ots:Search', 'ots:CreateSearchIndex']");
        String other = text.replace("table/todo_list'\n            # tables.sh: end db tables",
                "table/todo_list'\n                - Fn::Sub: 'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/"
                        + "${TablestoreInstance}/table/other'\n            # tables.sh: end db tables");
        assertThat(widened).isNotEqualTo(text);
        assertThat(other).isNotEqualTo(text);

        assertThat(RoleRules.templateProblems(yamlText(widened))).contains("service fc-miniapp holds ots:CreateSearchIndex "
                + RoleRules.table("todo_list") + ", beyond what its function needs");
        assertThat(RoleRules.templateProblems(yamlText(other)))
                .contains("service fc-miniapp holds ots:Search " + RoleRules.table("other") + ", beyond what its function needs");
    }

    /** Issue 20: the db function's roles reach nothing of the users table; app roles only read it. */
    @Test
    void theDbRolesHoldNothingOnTheUsersTableAndAppRolesOnlyItsGetRow() throws IOException {
        Set<String> template = RoleRules.grants(TEMPLATE.path("Resources").path(Descriptors.DB_SERVICE)
                .path("Properties").path("Policies"));
        Set<String> sYaml = RoleRules.grants(policies(AppFunctionFixture.policyTexts()).get("db-role.json"));
        for (Set<String> role : List.of(template, sYaml)) {
            assertThat(role).noneMatch(g -> g.contains("table/" + Descriptors.USERS_TABLE));
        }
        JsonNode withProbe = yamlText(PROBE.addTo(templateText()));
        Set<String> probe = RoleRules.grants(withProbe.path("Resources").path("fc-miniapp-probe").path("Properties")
                .path("Policies"));
        assertThat(probe.stream().filter(g -> g.contains("table/" + Descriptors.USERS_TABLE)))
                .containsExactly("ots:GetRow " + RoleRules.USERS_TABLE);
        String written = PROBE.addTo(templateText()).replace("Action: ['ots:GetRow']\n              Resource:\n"
                + "                Fn::Sub: 'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}"
                + "/table/miniapp_users'", "Action: ['ots:GetRow', 'ots:PutRow']\n              Resource:\n"
                + "                Fn::Sub: 'acs:ots:${ALIYUN::Region}:${ALIYUN::AccountId}:instance/${TablestoreInstance}"
                + "/table/miniapp_users'");
        assertThat(written).isNotEqualTo(PROBE.addTo(templateText()));
        assertThat(RoleRules.templateProblems(yamlText(written))).anyMatch(p -> p.startsWith(
                "service fc-miniapp-probe holds ots:PutRow " + RoleRules.USERS_TABLE));
    }

    /** deleteAccount's listing: only with RAM's oss:Prefix condition on the two folders, in both descriptors. */
    @Test
    void theSessionRolesListingIsConditionedOnTheUsersFoldersAndAnUnconditionedOneIsRejected() throws IOException {
        Set<String> template = RoleRules.grants(TEMPLATE.path("Resources").path(Descriptors.SESSION_SERVICE)
                .path("Properties").path("Policies"));
        Set<String> sYaml = RoleRules.grants(policies(AppFunctionFixture.policyTexts()).get("session-role.json"));
        for (Set<String> role : List.of(template, sYaml)) {
            assertThat(role).contains(RoleRules.SESSION_LIST)
                    .doesNotContain("oss:ListObjects " + RoleRules.BUCKET, "oss:GetObject " + RoleRules.USERS_FILES,
                            "oss:PutObject " + RoleRules.USERS_FILES);
        }
        String text = templateText();
        String unconditioned = text.replace("              Condition:\n                StringLike:\n"
                + "                  'oss:Prefix': ['users/*', 'public/*']\n", "");
        assertThat(unconditioned).isNotEqualTo(text);
        assertThat(RoleRules.templateProblems(yamlText(unconditioned))).contains("service fc-miniapp-session holds"
                + " oss:ListObjects " + RoleRules.BUCKET + ", beyond what its function needs",
                "service fc-miniapp-session lacks " + RoleRules.SESSION_LIST);
    }

    @Test
    void theTemplatesInvokeRoleTrustsOnlyThisAccount() {
        JsonNode role = TEMPLATE.path("Resources").path("InvokeRole");
        assertThat(role.path("Type").asText()).isEqualTo("ALIYUN::RAM::Role");
        JsonNode trust = role.path("Properties").path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        assertThat(RoleRules.resolve(trust.get(0).path("Principal").path("RAM").get(0)))
                .isEqualTo("acs:ram::<accountId>:root");
        assertThat(trust.get(0).path("Principal").has("Service")).isFalse();
    }

    @Test
    void theInvokeRoleIsOneStatementWhoseResourceListEndsAtTheMarker() throws IOException {
        JsonNode statements = TEMPLATE.path("Resources").path("InvokeRole").path("Properties").path("Policies")
                .get(0).path("PolicyDocument").path("Statement");
        assertThat(statements).hasSize(1);
        assertThat(statements.get(0).path("Resource").isArray()).isTrue();
        assertThat(templateText()).containsOnlyOnce("                  # new-function.sh: callable resources\n");
    }

    @Test
    void everyRoleSYamlNamesHoldsExactlyItsFunctionsGrants() {
        assertThat(RoleRules.sYamlProblems(S_YAML, policies(AppFunctionFixture.policyTexts()))).isEmpty();
    }

    @Test
    void bothDescriptorsDeployTheSameAppFunctionsAndLetUsersCallTheSame() {
        assertThat(RoleRules.agreementProblems(TEMPLATE, S_YAML)).isEmpty();
    }

    @Test
    void eachSYamlFunctionRunsWithItsOwnRole() {
        assertThat(S_YAML.path("vars").path("sessionRole").asText()).isEqualTo("${env('FC_SESSION_ROLE_ARN')}");
        assertThat(S_YAML.path("vars").path("dbRole").asText()).isEqualTo("${env('FC_DB_ROLE_ARN')}");
        JsonNode resources = S_YAML.path("resources");
        assertThat(resources.path("session").path("props").path("role").asText()).isEqualTo("${vars.sessionRole}");
        assertThat(resources.path("db").path("props").path("role").asText()).isEqualTo("${vars.dbRole}");
        Set<String> roles = new TreeSet<>();
        resources.forEach(r -> roles.add(r.path("props").path("role").asText()));
        assertThat(roles).as("one role per function").hasSize(resources.size());
    }

    @Test
    void anExtraActionOrAWiderResourceFailsTheCheck() {
        Map<String, JsonNode> files = policies(AppFunctionFixture.policyTexts());
        ObjectNode wider = files.get("db-role.json").deepCopy();
        ((ObjectNode) wider.path("Statement").get(2)).put("Resource", "acs:oss:*:<accountId>:<ossBucket>/*");
        Map<String, JsonNode> widened = new LinkedHashMap<>(files);
        widened.put("db-role.json", wider);
        assertThat(RoleRules.sYamlProblems(S_YAML, widened))
                .anyMatch(p -> p.contains("db-role.json holds oss:PutObject acs:oss:*:<accountId>:<ossBucket>/*"));

        ObjectNode extra = files.get("db-role.json").deepCopy();
        ((ArrayNode) extra.path("Statement").get(0).path("Action")).add("sts:AssumeRole");
        Map<String, JsonNode> added = new LinkedHashMap<>(files);
        added.put("db-role.json", extra);
        assertThat(RoleRules.sYamlProblems(S_YAML, added))
                .contains("db-role.json holds sts:AssumeRole " + RoleRules.SESSION_TABLE + ", beyond what its function needs");
    }

    // ---- an app function added at the markers

    @Test
    void anAppFunctionAddedAtTheMarkersPassesEveryRoleCheck() throws IOException {
        JsonNode template = yamlText(PROBE.addTo(templateText()));
        JsonNode sYaml = yamlText(PROBE.addToSYaml(sYamlText()));
        Map<String, JsonNode> files = policies(PROBE.addToPolicies(AppFunctionFixture.policyTexts()));

        // after the repository's own app functions (scripts/new-function.sh may have added some)
        assertThat(Descriptors.templateAppFunctions(template))
                .containsExactlyElementsOf(plusProbe(Descriptors.templateAppFunctions(TEMPLATE)));
        assertThat(Descriptors.sYamlAppFunctions(sYaml))
                .containsExactlyElementsOf(plusProbe(Descriptors.sYamlAppFunctions(S_YAML)));
        assertThat(RoleRules.templateProblems(template)).isEmpty();
        assertThat(RoleRules.sYamlProblems(sYaml, files)).isEmpty();
        assertThat(RoleRules.agreementProblems(template, sYaml)).isEmpty();
        // its table is outside DATA_TABLES: deleteAccount clears it through the session function's APP_TABLES
        assertThat(RoleRules.sessionAppTables(template)).contains("probe_rows");
        // the repository's invoke grants (db, and any app function scripts/new-function.sh added) plus probe's
        Set<String> fc2 = new TreeSet<>(RoleRules.grants(invokeDocument(TEMPLATE)));
        fc2.addAll(List.of(RoleRules.fc2("fc-miniapp-probe", "probe"), RoleRules.fc3("probe")));
        assertThat(RoleRules.grants(invokeDocument(template))).contains(RoleRules.fc2("fc-miniapp", "db"),
                RoleRules.fc3("db")).containsExactlyInAnyOrderElementsOf(fc2);
        Set<String> fc3 = new TreeSet<>(RoleRules.grants(policies(AppFunctionFixture.policyTexts())
                .get("invoke-role.json")));
        fc3.add(RoleRules.fc3("probe"));
        assertThat(RoleRules.grants(files.get("invoke-role.json"))).contains(RoleRules.fc3("fc-miniapp-db"))
                .containsExactlyInAnyOrderElementsOf(fc3);
    }

    // ---- deleteAccount reaches every app function's own tables

    /** Every template.yml of the repository: the root's and each example's. */
    private static List<Path> templates() throws IOException {
        List<Path> out = new ArrayList<>(List.of(DeployFiles.root().resolve("template.yml")));
        try (var examples = Files.list(DeployFiles.root().resolve("examples"))) {
            examples.map(e -> e.resolve("template.yml")).filter(Files::isRegularFile).sorted().forEach(out::add);
        }
        return out;
    }

    private static String checkinText() throws IOException {
        return Files.readString(DeployFiles.root().resolve("examples/checkin/template.yml"));
    }

    @Test
    void everyTemplatesSessionFunctionDeletesTheRowsOfEveryAppFunctionsOwnTables() throws IOException {
        List<Path> templates = templates();
        assertThat(templates).extracting(t -> DeployFiles.root().relativize(t).toString()).contains("template.yml",
                "examples/checkin/template.yml", "examples/guestbook/template.yml");
        for (Path t : templates) {
            assertThat(RoleRules.deletionProblems(yamlText(Files.readString(t)))).as(t.toString()).isEmpty();
        }
        // checkin's table is outside DATA_TABLES (todo_list): the one case the rule is about
        JsonNode checkin = yamlText(checkinText());
        assertThat(RoleRules.sessionAppTables(checkin)).containsExactly("checkin");
        assertThat(RoleRules.grants(checkin.path("Resources").path(Descriptors.SESSION_SERVICE).path("Properties")
                .path("Policies"))).contains("ots:GetRange " + RoleRules.table("checkin"),
                "ots:BatchWriteRow " + RoleRules.table("checkin"));
    }

    @Test
    void anAppTableTheSessionFunctionDoesNotDeleteOrCannotReachIsRejected() throws IOException {
        String text = checkinText();
        String unnamed = text.replace("          APP_TABLES: checkin\n          OSS_ENDPOINT:",
                "          OSS_ENDPOINT:");
        String unreachable = text.replace("Action: ['ots:GetRange', 'ots:BatchWriteRow']\n",
                "Action: ['ots:GetRange']\n");
        String declared = text.replace("          APP_TABLES: checkin\n", "          APP_TABLES: checkin,todo_list\n");
        for (String changed : List.of(unnamed, unreachable, declared)) {
            assertThat(changed).isNotEqualTo(text);
        }

        String lost = ", which neither the session function's DATA_TABLES nor its APP_TABLES names: deleteAccount"
                + " would leave the user's rows there";
        assertThat(RoleRules.deletionProblems(yamlText(unnamed))).containsExactly(
                "function checkin: APP_TABLES names checkin" + lost, "function leaderboard: APP_TABLES names checkin" + lost);
        assertThat(RoleRules.deletionProblems(yamlText(unreachable))).containsExactly("service fc-miniapp-session lacks"
                + " ots:BatchWriteRow " + RoleRules.table("checkin") + " (deleteAccount clears the user's partition of"
                + " each table of its APP_TABLES)");
        assertThat(RoleRules.deletionProblems(yamlText(declared))).containsExactly(
                "the session function's APP_TABLES names todo_list, which its DATA_TABLES declares");
    }

    @Test
    void anAppRoleNamingAnotherFunctionsTableIsRejected() throws IOException {
        String template = PROBE.addTo(templateText());
        String widened = template.replace("table/probe_rows'", "table/todo_list'");
        assertThat(widened).isNotEqualTo(template);

        assertThat(RoleRules.templateProblems(yamlText(widened)))
                .contains("service fc-miniapp-probe holds ots:PutRow " + RoleRules.TODO_TABLE
                        + ", beyond its session read, its log, its own APP_TABLES [probe_rows] and the users' files)");

        Map<String, String> files = PROBE.addToPolicies(AppFunctionFixture.policyTexts());
        files.put("probe-role.json", files.get("probe-role.json").replace("table/probe_rows", "table/session"));
        assertThat(RoleRules.sYamlProblems(yamlText(PROBE.addToSYaml(sYamlText())), policies(files)))
                .anyMatch(p -> p.startsWith("probe-role.json holds ots:PutRow " + RoleRules.SESSION_TABLE));
    }

    @Test
    void anAppRoleWithAnyOtherTableWildcardOrActionIsRejected() throws IOException {
        String template = PROBE.addTo(templateText());
        for (String[] change : new String[][] {
                {"table/probe_rows'", "table/*'"},
                {"'ots:BatchWriteRow']", "'ots:BatchWriteRow', 'ots:DeleteTable']"},
                {"'oss:GetObject']\n              Resource:\n                Fn::Sub: 'acs:oss:*:${ALIYUN::AccountId}:${OssBucket}/users/*'",
                        "'oss:GetObject']\n              Resource:\n                Fn::Sub: 'acs:oss:*:${ALIYUN::AccountId}:${OssBucket}/*'"},
                {"['oss:PutObject', 'oss:GetObject']", "['oss:PutObject', 'oss:PutObjectAcl']"},
                {"APP_TABLES: 'probe_rows'", "APP_TABLES: ''"},
                {"          OSS_BUCKET:\n            Ref: OssBucket\n", ""}}) {
            String changed = template.replace(change[0], change[1]);
            assertThat(changed).as(change[0]).isNotEqualTo(template);
            assertThat(RoleRules.templateProblems(yamlText(changed))).as(change[0] + " -> " + change[1]).isNotEmpty();
        }
    }

    @Test
    void anInvokeRoleNamingAFunctionUsersMayNotCallIsRejected() throws IOException {
        AppFunctionFixture hidden = new AppFunctionFixture("probe", List.of("probe_rows"), false, false);
        String template = hidden.addTo(templateText());
        String fc = "                  - Fn::Sub: 'acs:fc:${ALIYUN::Region}:${ALIYUN::AccountId}:";
        String named = AppFunctionFixture.insertAbove(template, AppFunctionFixture.marker("callable resources"),
                fc + "services/fc-miniapp-probe/functions/probe'\n");
        assertThat(RoleRules.templateProblems(yamlText(template))).isEmpty();

        assertThat(RoleRules.templateProblems(yamlText(named))).containsExactly("the InvokeRole holds "
                + RoleRules.fc2("fc-miniapp-probe", "probe") + ", beyond what its function needs");

        Map<String, String> files = hidden.addToPolicies(AppFunctionFixture.policyTexts());
        files.put("invoke-role.json", new AppFunctionFixture("probe", List.of(), false, true)
                .addToInvokeRole(files.get("invoke-role.json")));
        assertThat(RoleRules.sYamlProblems(yamlText(hidden.addToSYaml(sYamlText())), policies(files)))
                .containsExactly("invoke-role.json holds " + RoleRules.fc3("probe") + ", beyond what its function needs");
    }

    @Test
    void aCallableEntryThatIsNoAppFunctionOrTheDescriptorsDisagreeingIsRejected() throws IOException {
        String template = AppFunctionFixture.appendToNextLine(templateText(),
                AppFunctionFixture.marker("callable functions"), "fc-miniapp-session/session");
        assertThat(RoleRules.templateProblems(yamlText(template))).contains("CALLABLE_FUNCTIONS entry"
                + " fc-miniapp-session/session is no app function of the template as service/function");

        JsonNode onlyFc2 = yamlText(PROBE.addTo(templateText()));
        // the repository's own app functions (scripts/new-function.sh's: all callable) are in both descriptors
        Set<String> apps = new TreeSet<>(Descriptors.sYamlAppFunctions(S_YAML));
        Set<String> withProbe = new TreeSet<>(plusProbe(Descriptors.sYamlAppFunctions(S_YAML)));
        assertThat(RoleRules.agreementProblems(onlyFc2, S_YAML)).containsExactly(
                "template.yml's app functions " + withProbe + " are not s.yaml's " + apps,
                "template.yml makes " + withProbe + " callable, s.yaml " + apps);
    }

    @Test
    void anAppFunctionWithoutItsOwnServiceRoleOrPolicyFileIsRejected() throws IOException {
        String shared = PROBE.addTo(templateText()).replace("  fc-miniapp-probe:\n", "  fc-miniapp-shared:\n");
        assertThat(RoleRules.templateProblems(yamlText(shared))).anyMatch(p -> p.startsWith(
                "service fc-miniapp-shared holds [probe]: an app function <name> is the one function of service"));

        String sYaml = PROBE.addToSYaml(sYamlText());
        JsonNode dbRole = yamlText(sYaml.replace("role: acs:ram::${vars.accountId}:role/fc-miniapp-probe",
                "role: ${vars.dbRole}"));
        Map<String, JsonNode> files = policies(PROBE.addToPolicies(AppFunctionFixture.policyTexts()));
        assertThat(RoleRules.sYamlProblems(dbRole, files)).containsExactly("s.yaml resource probe runs with role"
                + " ${vars.dbRole}, not acs:ram::${vars.accountId}:role/fc-miniapp-probe");
        files.remove("probe-role.json");
        assertThat(RoleRules.sYamlProblems(yamlText(sYaml), files))
                .containsExactly("app function probe has no deploy/policies/probe-role.json");
    }
}
