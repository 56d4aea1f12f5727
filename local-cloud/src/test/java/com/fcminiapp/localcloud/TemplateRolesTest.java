package com.fcminiapp.localcloud;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.ram.RamRoles;
import com.fcminiapp.localcloud.standin.CredentialRegistry;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.template.ServiceSpec;
import com.fcminiapp.localcloud.template.TemplateReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service role local-cloud builds from the repository's {@code template.yml} allows exactly what the functions
 * need: a statement dropped from the template fails the "allowed" half, a statement or resource widened fails the
 * "denied" half (each denial is just outside a grant). The mutation tests show the matrix flips either way.
 */
class TemplateRolesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = LocalCloud.ACCOUNT_ID;
    private static final String ROLE = "acs:ram::" + ACCOUNT + ":role/aliyunfcgeneratedrole-cn-hangzhou-fc-miniapp";
    private static final String TABLES = "acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/fcminiapp/table/";
    private static final String BUCKET = "acs:oss:*:" + ACCOUNT + ":fc-miniapp-files";
    private static final String INVOKE_ROLE = "acs:ram::" + ACCOUNT + ":role/fc-miniapp-invoke";

    /** What the session and db functions do, by action → resources. */
    private static final Map<String, List<String>> NEEDED = new LinkedHashMap<>();
    /** Just outside each grant. */
    private static final Map<String, List<String>> OUTSIDE = new LinkedHashMap<>();

    static {
        for (String action : List.of("GetRow", "PutRow", "UpdateRow", "DeleteRow", "GetRange", "BatchGetRow",
                "BatchWriteRow", "DescribeTable")) {
            NEEDED.put("ots:" + action, List.of(TABLES + "session", TABLES + "todo_list"));
        }
        NEEDED.put("sts:AssumeRole", List.of(INVOKE_ROLE));
        for (String action : List.of("oss:PutObject", "oss:GetObject", "oss:DeleteObject")) {
            NEEDED.put(action, List.of(BUCKET + "/users/u1/notes/a.txt"));
        }
        NEEDED.put("oss:ListObjects", List.of(BUCKET));

        OUTSIDE.put("ots:CreateTable", List.of(TABLES + "session"));
        OUTSIDE.put("ots:DeleteTable", List.of(TABLES + "todo_list"));
        OUTSIDE.put("ots:ListTable", List.of("acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/fcminiapp"));
        OUTSIDE.put("ots:GetRow", List.of("acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/other/table/session"));
        OUTSIDE.put("sts:AssumeRole", List.of("acs:ram::" + ACCOUNT + ":role/fc-miniapp-admin"));
        OUTSIDE.put("oss:GetObject", List.of(BUCKET + "/other.txt", BUCKET + "/usersx/a", "acs:oss:*:" + ACCOUNT
                + ":another-bucket/users/u1/a"));
        OUTSIDE.put("oss:PutObject", List.of(BUCKET + "/index.html"));
        OUTSIDE.put("oss:ListObjects", List.of("acs:oss:*:" + ACCOUNT + ":another-bucket"));
        OUTSIDE.put("oss:PutBucket", List.of(BUCKET));
        OUTSIDE.put("oss:PutObjectAcl", List.of(BUCKET + "/users/u1/a"));
        OUTSIDE.put("fc:InvokeFunction", List.of("acs:fc:cn-hangzhou:" + ACCOUNT + ":services/fc-miniapp/functions/db"));
    }

    private static List<String> templatePolicies;
    private final CredentialRegistry registry = CredentialRegistry.inMemory();

    @BeforeAll
    static void readTemplate() throws Exception {
        List<ServiceSpec> services = new TemplateReader(Map.of("ALIYUN::Region", LocalCloud.REGION,
                "ALIYUN::AccountId", ACCOUNT), LocalCloud.LOCAL_PARAMETERS).read(Path.of("..", "template.yml"));
        templatePolicies = services.get(0).policies();
    }

    /** The entries of {@code matrix} a key of a service role holding {@code policies} may do. */
    private List<String> allowed(List<String> policies, Map<String, List<String>> matrix) {
        RamRoles roles = new RamRoles().put(ROLE, policies);
        Credential key = registry.issueTemporary(ROLE, "fc-execution", null, Duration.ofHours(1));
        List<String> out = new ArrayList<>();
        matrix.forEach((action, resources) -> resources.forEach(resource -> {
            if (roles.allows(key, action, resource)) {
                out.add(action + " " + resource);
            }
        }));
        return out;
    }

    private static List<String> all(Map<String, List<String>> matrix) {
        List<String> out = new ArrayList<>();
        matrix.forEach((action, resources) -> resources.forEach(resource -> out.add(action + " " + resource)));
        return out;
    }

    @Test
    void theTemplatesServiceRoleAllowsEverythingTheFunctionsDo() {
        assertThat(allowed(templatePolicies, NEEDED)).containsExactlyElementsOf(all(NEEDED));
    }

    @Test
    void theTemplatesServiceRoleDeniesWhatIsJustOutsideEachGrant() {
        assertThat(allowed(templatePolicies, OUTSIDE)).isEmpty();
    }

    @Test
    void droppingAStatementFromThePolicyFailsTheNeededMatrix() throws Exception {
        ObjectNode policy = (ObjectNode) JSON.readTree(templatePolicies.get(0));
        ArrayNode statements = (ArrayNode) policy.get("Statement");
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).toString().contains("oss:GetObject")) {
                statements.remove(i);
                break;
            }
        }
        List<String> stillAllowed = allowed(List.of(policy.toString()), NEEDED);
        assertThat(all(NEEDED)).contains("oss:GetObject " + BUCKET + "/users/u1/notes/a.txt");
        assertThat(stillAllowed).doesNotContain("oss:GetObject " + BUCKET + "/users/u1/notes/a.txt",
                "oss:PutObject " + BUCKET + "/users/u1/notes/a.txt").contains("oss:ListObjects " + BUCKET);
    }

    @Test
    void wideningAResourceOrAddingAStatementFailsTheOutsideMatrix() throws Exception {
        String widened = templatePolicies.get(0).replace("fc-miniapp-files/users/*", "fc-miniapp-files/*");
        assertThat(widened).isNotEqualTo(templatePolicies.get(0));
        assertThat(allowed(List.of(widened), OUTSIDE)).containsExactly(
                "oss:GetObject " + BUCKET + "/other.txt", "oss:GetObject " + BUCKET + "/usersx/a",
                "oss:PutObject " + BUCKET + "/index.html");

        ObjectNode added = (ObjectNode) JSON.readTree(templatePolicies.get(0));
        ((ArrayNode) added.get("Statement")).addObject().put("Effect", "Allow").put("Action", "ots:CreateTable")
                .put("Resource", "acs:ots:*:*:instance/fcminiapp/table/*");
        assertThat(allowed(List.of(added.toString()), OUTSIDE)).containsExactly("ots:CreateTable " + TABLES + "session");
    }

    @Test
    void anAddedDenyStatementWinsOverTheTemplatesAllow() throws Exception {
        ObjectNode denied = (ObjectNode) JSON.readTree(templatePolicies.get(0));
        ((ArrayNode) denied.get("Statement")).addObject().put("Effect", "Deny").put("Action", "ots:*")
                .put("Resource", "acs:ots:*:*:instance/fcminiapp/table/session");
        assertThat(allowed(List.of(denied.toString()), NEEDED)).noneMatch(entry -> entry.endsWith("table/session"))
                .anyMatch(entry -> entry.endsWith("table/todo_list"));
    }
}
