package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Least privilege in both descriptors: every role template.yml creates (each service's role, the invoke role) and
 * every role s.yaml names (deploy/policies/*.json) holds exactly its function's grants, as "action resource" pairs
 * with the deployer's values as placeholders. An action or resource outside the list (or a missing one) fails.
 */
class RolesIT {

    private static final String SESSION_TABLE = "acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/session";
    private static final String TODO_TABLE = "acs:ots:<region>:<accountId>:instance/<tablestoreInstance>/table/todo_list";
    private static final String LOG = "acs:log:<region>:<accountId>:project/<logProject>/logstore/function-log";

    /** The session function: issue users' credentials, keep sessions, write its logs. */
    static final Set<String> SESSION_GRANTS = Set.of(
            "sts:AssumeRole acs:ram::<accountId>:role/<invokeRoleName>",
            "ots:GetRow " + SESSION_TABLE, "ots:PutRow " + SESSION_TABLE, "ots:DeleteRow " + SESSION_TABLE,
            "log:PostLogStoreLogs " + LOG);

    /** The db function: read sessions, use the data tables and the users' files, write its logs. */
    static final Set<String> DB_GRANTS = Set.of(
            "ots:GetRow " + SESSION_TABLE,
            "ots:GetRow " + TODO_TABLE, "ots:PutRow " + TODO_TABLE, "ots:UpdateRow " + TODO_TABLE,
            "ots:DeleteRow " + TODO_TABLE, "ots:GetRange " + TODO_TABLE,
            "oss:PutObject acs:oss:*:<accountId>:<ossBucket>/users/*",
            "oss:GetObject acs:oss:*:<accountId>:<ossBucket>/users/*",
            "oss:DeleteObject acs:oss:*:<accountId>:<ossBucket>/users/*",
            "oss:ListObjects acs:oss:*:<accountId>:<ossBucket>",
            "log:PostLogStoreLogs " + LOG);

    /** The users' STS credentials: invoke the db function, nothing else. */
    static final Set<String> INVOKE_GRANTS_FC2 =
            Set.of("fc:InvokeFunction acs:fc:<region>:<accountId>:services/fc-miniapp/functions/db",
                    "fc:InvokeFunction acs:fc:<region>:<accountId>:functions/db");
    static final Set<String> INVOKE_GRANTS_FC3 =
            Set.of("fc:InvokeFunction acs:fc:<region>:<accountId>:functions/fc-miniapp-db");

    /** template.yml's Parameters and pseudo parameters, as the placeholders above. */
    private static final Map<String, String> PLACEHOLDERS = Map.of(
            "ALIYUN::Region", "<region>", "ALIYUN::AccountId", "<accountId>",
            "TablestoreInstance", "<tablestoreInstance>", "OssBucket", "<ossBucket>",
            "LogProjectName", "<logProject>", "InvokeRoleName", "<invokeRoleName>");

    private static final JsonNode TEMPLATE = DeployFiles.yaml("template.yml");

    @Test
    void theSessionServiceRoleHoldsExactlyTheSessionFunctionsGrants() {
        assertThat(grants(servicePolicies("fc-miniapp-session"))).isEqualTo(new TreeSet<>(SESSION_GRANTS));
    }

    @Test
    void theDbServiceRoleHoldsExactlyTheDbFunctionsGrants() {
        assertThat(grants(servicePolicies("fc-miniapp"))).isEqualTo(new TreeSet<>(DB_GRANTS));
    }

    @Test
    void theTemplatesInvokeRoleMayOnlyInvokeTheDbFunctionAndTrustsOnlyThisAccount() {
        JsonNode role = TEMPLATE.path("Resources").path("InvokeRole");
        assertThat(role.path("Type").asText()).isEqualTo("ALIYUN::RAM::Role");
        Set<String> held = new TreeSet<>();
        for (JsonNode policy : role.path("Properties").path("Policies")) {
            held.addAll(grants(policy.path("PolicyDocument")));
        }
        assertThat(held).isEqualTo(new TreeSet<>(INVOKE_GRANTS_FC2));
        JsonNode trust = role.path("Properties").path("AssumeRolePolicyDocument").path("Statement");
        assertThat(trust).hasSize(1);
        assertThat(resolve(trust.get(0).path("Principal").path("RAM").get(0))).isEqualTo("acs:ram::<accountId>:root");
        assertThat(trust.get(0).path("Principal").has("Service")).isFalse();
    }

    @Test
    void noServiceNamesAnExistingRoleOrAManagedPolicy() {
        for (String service : new String[] {"fc-miniapp-session", "fc-miniapp"}) {
            JsonNode props = TEMPLATE.path("Resources").path(service).path("Properties");
            assertThat(props.has("Role")).as(service + " Role").isFalse();
            for (JsonNode policy : props.path("Policies")) {
                assertThat(policy.isObject()).as(service + " inline statements only").isTrue();
            }
        }
    }

    @Test
    void theSYamlRolesHoldExactlyTheirFunctionsGrants() throws IOException {
        assertThat(grants(policyFile("session-role.json"))).isEqualTo(new TreeSet<>(SESSION_GRANTS));
        assertThat(grants(policyFile("db-role.json"))).isEqualTo(new TreeSet<>(DB_GRANTS));
        assertThat(grants(policyFile("invoke-role.json"))).isEqualTo(new TreeSet<>(INVOKE_GRANTS_FC3));
    }

    @Test
    void eachSYamlFunctionRunsWithItsOwnRole() {
        JsonNode s = DeployFiles.yaml("s.yaml");
        assertThat(s.path("vars").path("sessionRole").asText()).isEqualTo("${env('FC_SESSION_ROLE_ARN')}");
        assertThat(s.path("vars").path("dbRole").asText()).isEqualTo("${env('FC_DB_ROLE_ARN')}");
        assertThat(s.path("resources").path("session").path("props").path("role").asText()).isEqualTo("${vars.sessionRole}");
        assertThat(s.path("resources").path("db").path("props").path("role").asText()).isEqualTo("${vars.dbRole}");
    }

    @Test
    void anExtraActionOrAWiderResourceFailsTheCheck() throws IOException {
        ObjectNode wider = (ObjectNode) policyFile("db-role.json").deepCopy();
        ((ObjectNode) wider.path("Statement").get(2)).put("Resource", "acs:oss:*:<accountId>:<ossBucket>/*");
        assertThat(grants(wider)).isNotEqualTo(new TreeSet<>(DB_GRANTS));

        ObjectNode extra = (ObjectNode) policyFile("db-role.json").deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) extra.path("Statement").get(0).path("Action")).add("sts:AssumeRole");
        assertThat(grants(extra)).contains("sts:AssumeRole " + SESSION_TABLE).isNotEqualTo(new TreeSet<>(DB_GRANTS));
    }

    private static JsonNode servicePolicies(String service) {
        JsonNode resource = TEMPLATE.path("Resources").path(service);
        assertThat(resource.path("Type").asText()).as(service).isEqualTo("Aliyun::Serverless::Service");
        return resource.path("Properties").path("Policies");
    }

    private static JsonNode policyFile(String name) throws IOException {
        return DeployFiles.JSON.readTree(DeployFiles.root().resolve("deploy/policies").resolve(name).toFile());
    }

    /**
     * "action resource" for every pair a document (or a list of documents) allows. A Deny, NotAction, NotResource
     * or Condition is reported as its own entry, so it can never pass for an exact list.
     */
    static Set<String> grants(JsonNode policies) {
        Set<String> out = new TreeSet<>();
        for (JsonNode policy : policies.isArray() ? policies : DeployFiles.JSON.createArrayNode().add(policies)) {
            for (JsonNode statement : policy.path("Statement")) {
                for (String odd : new String[] {"NotAction", "NotResource", "Condition", "Principal"}) {
                    if (statement.has(odd)) {
                        out.add(odd + " " + statement.path(odd));
                    }
                }
                if (!"Allow".equals(statement.path("Effect").asText())) {
                    out.add("Effect " + statement.path("Effect").asText());
                }
                for (JsonNode action : list(statement.path("Action"))) {
                    for (JsonNode resource : list(statement.path("Resource"))) {
                        out.add(action.asText() + " " + resolve(resource));
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
