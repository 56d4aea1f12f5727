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
 * The roles local-cloud builds from the repository's {@code template.yml}, one per service, allow exactly what their
 * function needs: a statement dropped from the template fails the "allowed" half, a statement or resource widened
 * fails the "denied" half (each denial is just outside a grant, or a grant of the other function). The mutation
 * tests show the matrix flips either way. A resource written {@code <arn>?prefix=<p>} is a request whose RAM
 * condition key {@code oss:Prefix} is {@code p} (a ListObjects of that prefix, as the OSS stand-in asks).
 */
class TemplateRolesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = LocalCloud.ACCOUNT_ID;
    private static final String ROLE = "acs:ram::" + ACCOUNT + ":role/aliyunfcgeneratedrole-cn-hangzhou-fc-miniapp";
    private static final String INSTANCE = LocalCloud.LOCAL_PARAMETERS.get("TablestoreInstance");
    private static final String TABLES = "acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/" + INSTANCE
            + "/table/";
    private static final String BUCKET = "acs:oss:*:" + ACCOUNT + ":" + LocalCloud.LOCAL_PARAMETERS.get("OssBucket");
    private static final String INVOKE_ROLE = "acs:ram::" + ACCOUNT + ":role/fc-miniapp-invoke";
    private static final String LOG = "acs:log:" + LocalCloud.REGION + ":" + ACCOUNT + ":project/"
            + LocalCloud.LOCAL_PARAMETERS.get("LogProjectName") + "/logstore/function-log";
    private static final String FILE = BUCKET + "/users/u1/notes/a.txt";
    private static final String PUBLIC_FILE = BUCKET + "/public/u1/avatar.png";
    private static final String USERS = TABLES + "miniapp_users";

    /** What the session function does, by action → resources. */
    private static final Map<String, List<String>> SESSION_NEEDED = new LinkedHashMap<>();
    /** What the db function does. */
    private static final Map<String, List<String>> DB_NEEDED = new LinkedHashMap<>();
    /** Just outside each grant of either role. */
    private static final Map<String, List<String>> OUTSIDE = new LinkedHashMap<>();

    static {
        SESSION_NEEDED.put("sts:AssumeRole", List.of(INVOKE_ROLE));
        for (String action : List.of("GetRow", "PutRow", "UpdateRow", "DeleteRow")) {
            List<String> tables = new ArrayList<>(List.of(USERS));
            if (!action.equals("UpdateRow")) {
                tables.add(0, TABLES + "session");
            }
            if (action.equals("GetRow") || action.equals("DeleteRow")) {
                tables.add(TABLES + "todo_list");
            }
            SESSION_NEEDED.put("ots:" + action, tables);
        }
        // deleteAccount: the user's rows (range read, batched deletes) and files (listed by prefix, deleted)
        SESSION_NEEDED.put("ots:GetRange", List.of(TABLES + "todo_list"));
        SESSION_NEEDED.put("ots:BatchWriteRow", List.of(TABLES + "todo_list"));
        SESSION_NEEDED.put("oss:ListObjects", List.of(BUCKET + "?prefix=users/u1/", BUCKET + "?prefix=public/u1/"));
        SESSION_NEEDED.put("oss:DeleteObject", List.of(FILE, PUBLIC_FILE));
        SESSION_NEEDED.put("log:PostLogStoreLogs", List.of(LOG));

        for (String action : List.of("GetRow", "PutRow", "UpdateRow", "DeleteRow", "GetRange")) {
            DB_NEEDED.put("ots:" + action, action.equals("GetRow")
                    ? List.of(TABLES + "session", TABLES + "todo_list") : List.of(TABLES + "todo_list"));
        }
        for (String action : List.of("oss:PutObject", "oss:GetObject", "oss:DeleteObject")) {
            DB_NEEDED.put(action, List.of(FILE));
        }
        DB_NEEDED.put("oss:ListObjects", List.of(BUCKET + "?prefix=users/u1/"));
        DB_NEEDED.put("log:PostLogStoreLogs", List.of(LOG));

        OUTSIDE.put("ots:CreateTable", List.of(TABLES + "session"));
        OUTSIDE.put("ots:DeleteTable", List.of(TABLES + "todo_list"));
        OUTSIDE.put("ots:DescribeTable", List.of(TABLES + "todo_list"));
        OUTSIDE.put("ots:BatchWriteRow", List.of(TABLES + "session", USERS));
        OUTSIDE.put("ots:ListTable", List.of("acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/" + INSTANCE));
        OUTSIDE.put("ots:GetRow", List.of("acs:ots:" + LocalCloud.REGION + ":" + ACCOUNT + ":instance/other/table/session"));
        OUTSIDE.put("sts:AssumeRole", List.of("acs:ram::" + ACCOUNT + ":role/fc-miniapp-admin"));
        OUTSIDE.put("oss:GetObject", List.of(BUCKET + "/other.txt", BUCKET + "/usersx/a", "acs:oss:*:" + ACCOUNT
                + ":another-bucket/users/u1/a"));
        OUTSIDE.put("oss:PutObject", List.of(BUCKET + "/index.html"));
        OUTSIDE.put("oss:ListObjects", List.of("acs:oss:*:" + ACCOUNT + ":another-bucket"));
        OUTSIDE.put("oss:DeleteObject", List.of(BUCKET + "/index.html", BUCKET + "/usersx/a"));
        OUTSIDE.put("ots:GetRange", List.of(USERS, TABLES + "session"));
        OUTSIDE.put("oss:PutBucket", List.of(BUCKET));
        OUTSIDE.put("oss:PutObjectAcl", List.of(FILE));
        OUTSIDE.put("fc:InvokeFunction", List.of("acs:fc:cn-hangzhou:" + ACCOUNT + ":services/fc-miniapp/functions/db"));
        OUTSIDE.put("log:PostLogStoreLogs", List.of("acs:log:" + LocalCloud.REGION + ":" + ACCOUNT
                + ":project/other/logstore/function-log"));
    }

    private static List<String> sessionPolicies;
    private static List<String> dbPolicies;
    private final CredentialRegistry registry = CredentialRegistry.inMemory();

    @BeforeAll
    static void readTemplate() throws Exception {
        List<ServiceSpec> services = new TemplateReader(Map.of("ALIYUN::Region", LocalCloud.REGION,
                "ALIYUN::AccountId", ACCOUNT), LocalCloud.LOCAL_PARAMETERS).read(Path.of("..", "template.yml"));
        sessionPolicies = service(services, "fc-miniapp-session").policies();
        dbPolicies = service(services, "fc-miniapp").policies();
    }

    private static ServiceSpec service(List<ServiceSpec> services, String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    /** The entries of {@code matrix} a key of a service role holding {@code policies} may do. */
    private List<String> allowed(List<String> policies, Map<String, List<String>> matrix) {
        RamRoles roles = new RamRoles().put(ROLE, policies);
        Credential key = registry.issueTemporary(ROLE, "fc-execution", null, Duration.ofHours(1));
        List<String> out = new ArrayList<>();
        matrix.forEach((action, resources) -> resources.forEach(resource -> {
            int query = resource.indexOf("?prefix=");
            boolean allows = query < 0 ? roles.allows(key, action, resource)
                    : roles.allows(key, action, resource.substring(0, query),
                            Map.of("oss:Prefix", resource.substring(query + "?prefix=".length())));
            if (allows) {
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
    void theSessionRoleAllowsEverythingTheSessionFunctionDoes() {
        assertThat(allowed(sessionPolicies, SESSION_NEEDED)).containsExactlyElementsOf(all(SESSION_NEEDED));
    }

    @Test
    void theDbRoleAllowsEverythingTheDbFunctionDoes() {
        assertThat(allowed(dbPolicies, DB_NEEDED)).containsExactlyElementsOf(all(DB_NEEDED));
    }

    /** deleteAccount reads and deletes the user's rows and files; it never writes a row or reads or writes a file. */
    @Test
    void theSessionRoleReachesOfTheDbFunctionsGrantsOnlyWhatDeleteAccountDoes() {
        assertThat(allowed(sessionPolicies, DB_NEEDED)).containsExactly("ots:GetRow " + TABLES + "session",
                "ots:GetRow " + TABLES + "todo_list", "ots:DeleteRow " + TABLES + "todo_list",
                "ots:GetRange " + TABLES + "todo_list", "oss:DeleteObject " + FILE,
                "oss:ListObjects " + BUCKET + "?prefix=users/u1/", "log:PostLogStoreLogs " + LOG);
    }

    @Test
    void theDbRoleCannotAssumeTheInvokeRoleNorWriteSessionsNorReachTheUsersTable() {
        assertThat(allowed(dbPolicies, SESSION_NEEDED)).containsExactly("ots:GetRow " + TABLES + "session",
                "ots:GetRow " + TABLES + "todo_list", "ots:DeleteRow " + TABLES + "todo_list",
                "ots:GetRange " + TABLES + "todo_list", "oss:ListObjects " + BUCKET + "?prefix=users/u1/",
                "oss:ListObjects " + BUCKET + "?prefix=public/u1/", "oss:DeleteObject " + FILE,
                "oss:DeleteObject " + PUBLIC_FILE, "log:PostLogStoreLogs " + LOG);
    }

    /** The three decisions issue 20 names: the users table and a data table for the session role, not for db's. */
    @Test
    void theSessionRoleUpdatesAUsersRowAndBatchWritesADataTableWhileTheDbRoleCannotReadAUsersRow() {
        assertThat(allowed(sessionPolicies, Map.of("ots:UpdateRow", List.of(USERS),
                "ots:BatchWriteRow", List.of(TABLES + "todo_list"))))
                .containsExactlyInAnyOrder("ots:UpdateRow " + USERS, "ots:BatchWriteRow " + TABLES + "todo_list");
        assertThat(allowed(dbPolicies, Map.of("ots:GetRow", List.of(USERS)))).isEmpty();
    }

    /** RAM's oss:Prefix condition: the session role lists the users' two folders and no other prefix. */
    @Test
    void theSessionRoleListsOnlyUnderTheUsersAndPublicPrefixes() {
        assertThat(allowed(sessionPolicies, Map.of("oss:ListObjects", List.of(BUCKET + "?prefix=users/u1/",
                BUCKET + "?prefix=public/u1/", BUCKET + "?prefix=", BUCKET + "?prefix=usersx/", BUCKET + "?prefix=seed/",
                BUCKET)))).containsExactlyInAnyOrder("oss:ListObjects " + BUCKET + "?prefix=users/u1/",
                "oss:ListObjects " + BUCKET + "?prefix=public/u1/");
    }

    @Test
    void eachRoleDeniesWhatIsJustOutsideEachGrant() {
        assertThat(allowed(sessionPolicies, OUTSIDE)).isEmpty();
        assertThat(allowed(dbPolicies, OUTSIDE)).isEmpty();
    }

    @Test
    void droppingAStatementFromThePolicyFailsTheNeededMatrix() throws Exception {
        ObjectNode policy = (ObjectNode) JSON.readTree(dbPolicies.get(0));
        ArrayNode statements = (ArrayNode) policy.get("Statement");
        for (int i = 0; i < statements.size(); i++) {
            if (statements.get(i).toString().contains("oss:GetObject")) {
                statements.remove(i);
                break;
            }
        }
        List<String> stillAllowed = allowed(List.of(policy.toString()), DB_NEEDED);
        assertThat(all(DB_NEEDED)).contains("oss:GetObject " + FILE);
        assertThat(stillAllowed).doesNotContain("oss:GetObject " + FILE, "oss:PutObject " + FILE)
                .contains("oss:ListObjects " + BUCKET + "?prefix=users/u1/");
    }

    @Test
    void wideningAResourceOrAddingAStatementFailsTheOutsideMatrix() throws Exception {
        String widened = dbPolicies.get(0).replace("/users/*", "/*");
        assertThat(widened).isNotEqualTo(dbPolicies.get(0));
        assertThat(allowed(List.of(widened), OUTSIDE)).containsExactly(
                "oss:GetObject " + BUCKET + "/other.txt", "oss:GetObject " + BUCKET + "/usersx/a",
                "oss:PutObject " + BUCKET + "/index.html", "oss:DeleteObject " + BUCKET + "/index.html",
                "oss:DeleteObject " + BUCKET + "/usersx/a");

        ObjectNode added = (ObjectNode) JSON.readTree(sessionPolicies.get(0));
        ((ArrayNode) added.get("Statement")).addObject().put("Effect", "Allow").put("Action", "ots:CreateTable")
                .put("Resource", "acs:ots:*:*:instance/" + INSTANCE + "/table/*");
        assertThat(allowed(List.of(added.toString()), OUTSIDE)).containsExactly("ots:CreateTable " + TABLES + "session");
    }

    @Test
    void anAddedDenyStatementWinsOverTheTemplatesAllow() throws Exception {
        ObjectNode denied = (ObjectNode) JSON.readTree(dbPolicies.get(0));
        ((ArrayNode) denied.get("Statement")).addObject().put("Effect", "Deny").put("Action", "ots:*")
                .put("Resource", "acs:ots:*:*:instance/" + INSTANCE + "/table/session");
        assertThat(allowed(List.of(denied.toString()), DB_NEEDED)).noneMatch(entry -> entry.endsWith("table/session"))
                .anyMatch(entry -> entry.endsWith("table/todo_list"));
    }
}
