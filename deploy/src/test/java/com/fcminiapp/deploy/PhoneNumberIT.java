package com.fcminiapp.deploy;

import com.alicloud.openservices.tablestore.SyncClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.common.users.TablestoreUserStore;
import com.fcminiapp.common.users.UserRecord;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The phone flow end to end on local-cloud running the real session function jar: a login, the admin endpoint's
 * my.getPhoneNumber response for that user, the session function's phone action → the masked number, and the full
 * number in the users table. The template is template.yml with the users table declared and the session role
 * reaching it (what the deployment adds for issue 20).
 */
class PhoneNumberIT {

    @TempDir
    Path dir;

    private LocalCloud start() throws Exception {
        Path template = dir.resolve("template.yml");
        Files.writeString(template, Files.readString(DeployFiles.root().resolve("template.yml"))
                .replace("CodeUri: ./", "CodeUri: " + DeployFiles.root().toAbsolutePath().normalize() + "/")
                .replace("Action: ['ots:GetRow', 'ots:PutRow', 'ots:DeleteRow']",
                        "Action: ['ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow']")
                .replace("/table/session'", "/table/*'")
                .replace("  SessionTable:\n", "  UsersTable:\n    Type: 'ALIYUN::OTS::Table'\n"
                        + "    DependsOn: Tablestore\n    Properties:\n      InstanceName:\n"
                        + "        Ref: TablestoreInstance\n      TableName: miniapp_users\n      MaxVersions: 1\n"
                        + "      PrimaryKey:\n        - Name: uid\n          Type: STRING\n"
                        + "  SessionTable:\n"));
        Options options = Options.parse("--port", "0", "--data", dir.resolve("data").toString(), "--template",
                template.toString());
        return LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @Test
    void aLoginThenTheAdminResponseThroughThePhoneActionStoresTheNumberAndAnswersItMasked() throws Exception {
        try (LocalCloud cloud = start()) {
            ObjectNode ready = cloud.readyInfo();
            JsonNode login = post(ready.path("sessionUrl").asText(), Map.of(), "{\"authCode\":\"pam:1\"}");
            String sessionId = login.path("sessionId").asText();
            JsonNode made = post(ready.path("adminUrl").asText() + "/_admin/alipay/phone-number",
                    Map.of("Content-Type", "application/json", "X-Local-Cloud-Token",
                            ready.path("adminToken").asText()),
                    "{\"user\":\"pam\",\"mobile\":\"13812345678\"}");

            ObjectNode phone = DeployFiles.JSON.createObjectNode().put("action", "phone")
                    .put("sessionId", sessionId).put("response", made.path("response").asText());
            JsonNode answer = post(ready.path("sessionUrl").asText(), Map.of(), phone.toString());

            assertThat(answer).isEqualTo(DeployFiles.JSON.createObjectNode().put("phone", "138****5678"));
            SyncClient owner = new SyncClient(ready.path("standIns").path("tablestore").asText(),
                    ready.path("accessKeyId").asText(), ready.path("accessKeySecret").asText(),
                    ready.path("tablestoreInstance").asText());
            try {
                UserRecord user = new TablestoreUserStore(owner, "miniapp_users")
                        .find(login.path("userId").asText()).orElseThrow();
                assertThat(user.phone()).contains("13812345678");
            } finally {
                owner.shutdown();
            }
        }
    }

    private static JsonNode post(String url, Map<String, String> headers, String body) throws IOException {
        RawHttp.Response r = RawHttp.send("POST", url, headers, body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).as(url + " " + r.body).isEqualTo(200);
        return DeployFiles.JSON.readTree(r.body);
    }
}
