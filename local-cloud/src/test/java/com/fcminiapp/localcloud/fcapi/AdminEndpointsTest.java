package com.fcminiapp.localcloud.fcapi;

import com.fcminiapp.localcloud.standin.FaultSwitch;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin endpoints live on their own origin and answer only local requests (a loopback peer naming a loopback
 * host) with the admin token, reads included, so neither a LAN caller, a DNS-rebound page nor a page on the FC
 * endpoint's origin reads them; a fault change also needs JSON; no answer holds the token or the owner's secret.
 */
class AdminEndpointsTest {

    private static final String FAULT = "{\"service\":\"oss\",\"mode\":\"fail\"}";

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    @AfterEach
    void clearFault() {
        api.oss.faults().clear();
    }

    private static Map<String, String> host(String host) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Host", host);
        return headers;
    }

    private static Map<String, String> jsonWithToken(String host, String token) {
        Map<String, String> headers = host(host);
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("X-Local-Cloud-Token", token);
        return headers;
    }

    private static String port(String host) {
        return host.replace("PORT", "" + api.server.adminPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LOCALHOST", "[::1]:PORT", "127.0.0.2:PORT",
            "127.255.255.254"})
    void readyInfoWithTheTokenAnswersALoopbackHostWithoutTheTokenOrTheOwnerSecret(String host) throws Exception {
        RawHttp.Response r = api.adminRequest("GET", "/_admin/info",
                ApiFixture.adminHeaders(port(host), api.server.adminToken()), "");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).contains("\"endpoint\"").doesNotContain(ApiFixture.OWNER_SECRET_MARK)
                .doesNotContain(api.server.adminToken()).doesNotContain(ApiFixture.ADMIN_TOKEN_MARK)
                .doesNotContain("accessKeySecret")
                .doesNotContain("adminToken").doesNotContain("consoleUrl");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/_admin/info", "/_admin/faults", "/_admin/invocations", "/_admin/functions",
            "/_admin/other", "/_admin"})
    void everyAdminPathNeedsTheTokenReadsIncluded(String path) throws Exception {
        for (String token : new String[] {null, "", api.server.adminToken().substring(1)}) {
            RawHttp.Response r = api.adminRequest("GET", path, ApiFixture.adminHeaders(api.adminHost(), token), "");
            assertThat(r.status).as("%s with token %s", path, token).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("X-Local-Cloud-Token")
                    .doesNotContain(ApiFixture.OWNER_SECRET_MARK).doesNotContain(api.server.adminToken());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/_admin", "/_admin/info", "/_admin/faults", "/_admin/invocations",
            "/_admin/functions", "/_console/", "/_console"})
    void theFcEndpointAnswersTheAdminPathsWithFcsPathNotFoundEvenWithTheToken(String path) throws Exception {
        RawHttp.Response r = api.request("GET", path, ApiFixture.adminHeaders(api.loopbackHost(),
                api.server.adminToken()), "");
        assertThat(r.status).isEqualTo(404);
        assertThat(r.body).contains("\"ErrorCode\":\"PathNotFound\"").doesNotContain(ApiFixture.OWNER_SECRET_MARK)
                .doesNotContain(api.server.adminToken());
        if (!path.equals("/")) {
            assertThat(r.body).as("says where they went").contains("READY's adminUrl");
        }
    }

    @Test
    void theAdminOriginIsAnotherPortThanTheFcEndpoint() {
        assertThat(api.server.adminPort()).isNotEqualTo(api.server.port());
        assertThat(api.server.adminEndpoint()).isEqualTo("http://127.0.0.1:" + api.server.adminPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:9000", "192.168.1.20:PORT", "127.0.0.1.evil.example",
            "localhost.evil.example",
            "128.0.0.1:PORT", "126.255.255.255", "0.0.0.0:PORT", "[::]:PORT", "127.0.0.1:PORT:1", "evil\"x"})
    void everyAdminPathRefusesARequestAddressedToAnotherHost(String host) throws Exception {
        for (String path : new String[] {"/", "/_admin/info", "/_admin/faults", "/_admin/other"}) {
            RawHttp.Response r = api.adminRequest("GET", path,
                    ApiFixture.adminHeaders(port(host), api.server.adminToken()), "");
            assertThat(r.status).as(path).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("loopback host")
                    .doesNotContain(ApiFixture.OWNER_SECRET_MARK);
        }
    }

    @Test
    void aRequestWithoutHostHeaderIsRefused() throws Exception {
        RawHttp.Response r = api.adminRequest("GET", "/_admin/info",
                ApiFixture.adminHeaders(null, api.server.adminToken()), "");
        assertThat(r.status).isEqualTo(403);
        assertThat(r.body).doesNotContain(ApiFixture.OWNER_SECRET_MARK);
    }

    @Test
    void aRequestFromAnotherMachineIsRefusedWhateverItsHostHeader() throws Exception {
        InetAddress lan = InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 1, 5});
        assertThat(AdminGuard.isLocal(lan, "127.0.0.1:9000")).isFalse();
        assertThat(AdminGuard.isLocal(lan, "localhost")).isFalse();
        assertThat(AdminGuard.isLocal(InetAddress.getLoopbackAddress(), "127.0.0.1:9000")).isTrue();
        assertThat(AdminGuard.isLocal(InetAddress.getByAddress(new byte[16]), "[::1]")).as("from ::").isFalse();
        byte[] ipv6Loopback = new byte[16];
        ipv6Loopback[15] = 1;
        assertThat(AdminGuard.isLocal(InetAddress.getByAddress(ipv6Loopback), "[::1]:9000")).isTrue();
    }

    @Test
    void aJsonFaultWithTheTokenSetsTheFault() throws Exception {
        RawHttp.Response r = api.adminRequest("POST", "/_admin/faults",
                jsonWithToken(api.adminHost(), api.server.adminToken()), FAULT);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).contains("\"oss\":\"fail\"");
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.FAIL);
        assertThat(api.log.toString(StandardCharsets.UTF_8)).contains("fault switch: oss = fail")
                .doesNotContain(api.server.adminToken());
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x", "application/jsonp", "NONE"})
    void aFaultThatIsNotJsonIsRefusedEvenWithTheToken(String type) throws Exception {
        Map<String, String> headers = jsonWithToken(api.adminHost(), api.server.adminToken());
        headers.put("Content-Type", type.equals("NONE") ? null : type);
        RawHttp.Response r = api.adminRequest("POST", "/_admin/faults", headers, FAULT);
        assertThat(r.status).isEqualTo(415);
        assertThat(r.body).contains("\"ErrorCode\":\"UnsupportedMediaType\"").contains("application/json");
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void aFaultWithAMissingOrWrongTokenIsRefused() throws Exception {
        String token = api.server.adminToken();
        String lastCharChanged = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        for (String sent : new String[] {null, "", lastCharChanged, token.substring(1), token + "A",
                new AdminGuard().token()}) {
            RawHttp.Response r = api.adminRequest("POST", "/_admin/faults", jsonWithToken(api.adminHost(), sent),
                    FAULT);
            assertThat(r.status).as("token %s", sent).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("X-Local-Cloud-Token")
                    .doesNotContain(token);
        }
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void aFaultWithJsonAndTheTokenAddressedToAnotherHostIsRefused() throws Exception {
        RawHttp.Response r = api.adminRequest("POST", "/_admin/faults",
                jsonWithToken("evil.example:" + api.server.adminPort(), api.server.adminToken()), FAULT);
        assertThat(r.status).isEqualTo(403);
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void readingTheFaultsWithTheTokenShowsEachStandInsMode() throws Exception {
        RawHttp.Response r = api.adminGet("/_admin/faults");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).isEqualTo("{\"oss\":\"none\"}");
    }

    @Test
    void otherMethodsOnTheAdminPathsAreNotAllowed() throws Exception {
        assertThat(api.adminRequest("DELETE", "/_admin/faults", jsonWithToken(api.adminHost(),
                api.server.adminToken()), "").status).isEqualTo(405);
        assertThat(api.adminRequest("POST", "/_admin/info", jsonWithToken(api.adminHost(), api.server.adminToken()),
                "{}").status).isEqualTo(405);
    }

    @Test
    void theTokenIs32RandomBytesInBase64UrlAndNewForEachServer() {
        String token = api.server.adminToken();
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(Base64.getUrlDecoder().decode(token)).hasSize(32);
        assertThat(new AdminGuard().token()).isNotEqualTo(token).matches("[A-Za-z0-9_-]{43}");
    }
}
