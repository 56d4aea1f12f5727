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
 * The admin endpoints answer only local requests (a loopback peer naming a loopback host), so neither a LAN caller
 * nor a DNS-rebound page reads the READY secrets; a fault change also needs JSON and the admin token.
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

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:PORT", "localhost:PORT", "LOCALHOST", "[::1]:PORT", "127.0.0.2:PORT",
            "127.255.255.254"})
    void readyInfoAnswersARequestAddressedToALoopbackHost(String host) throws Exception {
        for (String path : new String[] {"/", "/_admin/info"}) {
            RawHttp.Response r = api.request("GET", path, host(host.replace("PORT", "" + api.server.port())), "");
            assertThat(r.status).as(path).isEqualTo(200);
            assertThat(r.body).contains(ApiFixture.OWNER_SECRET_MARK);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example:9000", "192.168.1.20:PORT", "127.0.0.1.evil.example",
            "localhost.evil.example",
            "128.0.0.1:PORT", "126.255.255.255", "0.0.0.0:PORT", "[::]:PORT", "127.0.0.1:PORT:1", "evil\"x"})
    void everyAdminPathRefusesARequestAddressedToAnotherHost(String host) throws Exception {
        for (String path : new String[] {"/", "/_admin/info", "/_admin/faults", "/_admin/other"}) {
            RawHttp.Response r = api.request("GET", path, host(host.replace("PORT", "" + api.server.port())), "");
            assertThat(r.status).as(path).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("loopback host")
                    .doesNotContain(ApiFixture.OWNER_SECRET_MARK);
        }
    }

    @Test
    void aRequestWithoutHostHeaderIsRefused() throws Exception {
        RawHttp.Response r = api.request("GET", "/_admin/info", host(null), "");
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
        RawHttp.Response r = api.request("POST", "/_admin/faults",
                jsonWithToken(api.loopbackHost(), api.server.adminToken()), FAULT);
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
        Map<String, String> headers = jsonWithToken(api.loopbackHost(), api.server.adminToken());
        headers.put("Content-Type", type.equals("NONE") ? null : type);
        RawHttp.Response r = api.request("POST", "/_admin/faults", headers, FAULT);
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
            RawHttp.Response r = api.request("POST", "/_admin/faults", jsonWithToken(api.loopbackHost(), sent), FAULT);
            assertThat(r.status).as("token %s", sent).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("X-Local-Cloud-Token")
                    .doesNotContain(token);
        }
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void aFaultWithJsonAndTheTokenAddressedToAnotherHostIsRefused() throws Exception {
        RawHttp.Response r = api.request("POST", "/_admin/faults",
                jsonWithToken("evil.example:" + api.server.port(), api.server.adminToken()), FAULT);
        assertThat(r.status).isEqualTo(403);
        assertThat(api.oss.faults().mode()).isEqualTo(FaultSwitch.Mode.NONE);
    }

    @Test
    void readingTheFaultsNeedsNoToken() throws Exception {
        RawHttp.Response r = api.request("GET", "/_admin/faults", host(api.loopbackHost()), "");
        assertThat(r.status).isEqualTo(200);
        assertThat(r.body).isEqualTo("{\"oss\":\"none\"}");
    }

    @Test
    void otherMethodsOnTheAdminPathsAreNotAllowed() throws Exception {
        assertThat(api.request("DELETE", "/_admin/faults", jsonWithToken(api.loopbackHost(), api.server.adminToken()),
                "").status).isEqualTo(405);
        assertThat(api.request("POST", "/_admin/info", jsonWithToken(api.loopbackHost(), api.server.adminToken()),
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
