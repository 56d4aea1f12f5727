package com.fcminiapp.localcloud.fcapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fcminiapp.localcloud.standin.CredentialRegistry.Credential;
import com.fcminiapp.localcloud.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller on the LAN (a phone, the IDE simulator; here a loopback connection with a LAN {@code Host}) invokes
 * functions and reaches the HTTP trigger with a login's key, gets OSS URLs on the host it called, and is refused
 * the account owner's key.
 */
class LanCallerTest {

    private static final String LAN = "192.168.1.20";

    @RegisterExtension
    static final ApiFixture api = new ApiFixture();

    private static String lanHost() {
        return LAN + ":" + api.server.port();
    }

    private static String value(RawHttp.Response r) throws Exception {
        return new ObjectMapper().readTree(r.body).path("value").asText();
    }

    @Test
    void aLoginsKeyInvokesFromTheLanAndTheOssUrlNamesTheHostItCalled() throws Exception {
        RawHttp.Response r = api.fc2Invoke(lanHost(), "db", "env:OSS_PUBLIC_ENDPOINT", api.stsKey());
        assertThat(r.status).isEqualTo(200);
        assertThat(value(r)).isEqualTo("http://" + LAN + ":" + api.oss.port());
    }

    @Test
    void aLocalCallerKeepsTheOssEndpointAsItIs() throws Exception {
        RawHttp.Response r = api.fc2Invoke(api.loopbackHost(), "db", "env:OSS_PUBLIC_ENDPOINT", api.stsKey());
        assertThat(value(r)).isEqualTo(api.oss.endpoint()).isEqualTo("http://127.0.0.1:" + api.oss.port());
    }

    @Test
    void aHostHeaderThatIsNoHostNameLeavesTheUrlsAlone() throws Exception {
        for (String host : new String[] {"evil\"x", "a b", "user@evil.example", "evil.example/path"}) {
            RawHttp.Response r = api.fc2Invoke(host, "db", "env:OSS_PUBLIC_ENDPOINT", api.stsKey());
            assertThat(value(r)).as(host).isEqualTo(api.oss.endpoint());
        }
    }

    @Test
    void theHttpTriggerAnswersALanCallerWithUrlsOnTheHostItCalled() throws Exception {
        RawHttp.Response r = RawHttp.send(new InetSocketAddress("127.0.0.1", api.server.port()), "POST",
                "/2016-08-15/proxy/svc/session/", Map.of("Host", "phone-lab.local:" + api.server.port()),
                "env:OSS_PUBLIC_ENDPOINT".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status).isEqualTo(200);
        assertThat(value(r)).isEqualTo("http://phone-lab.local:" + api.oss.port());
    }

    @Test
    void theOwnerKeyIsRefusedOnARequestAddressedToAnotherHost() throws Exception {
        Credential owner = api.registry.createPermanent("LTAI");
        for (String host : new String[] {lanHost(), "evil.example:9000", "127.0.0.1.evil.example"}) {
            RawHttp.Response r = api.fc2Invoke(host, "db", "{}", owner);
            assertThat(r.status).as(host).isEqualTo(403);
            assertThat(r.body).contains("\"ErrorCode\":\"AccessDenied\"").contains("loopback host")
                    .doesNotContain(owner.accessKeySecret);
        }
        assertThat(api.fc2Invoke(api.loopbackHost(), "db", "{}", owner).status).isEqualTo(200);
        assertThat(api.fc2Invoke("localhost:" + api.server.port(), "db", "{}", owner).status).isEqualTo(200);
    }

    @Test
    void theOwnerKeyIsRefusedOnAnFc3RequestAddressedToAnotherHost() throws Exception {
        Credential owner = api.registry.createPermanent("LTAI");
        String path = "/2023-03-30/functions/db/invocations";
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        InetSocketAddress to = new InetSocketAddress("127.0.0.1", api.server.port());
        RawHttp.Response lan = RawHttp.send(to, "POST", path,
                FcApiServerTest.fc3Headers(lanHost(), path, body, owner, owner.accessKeySecret, Instant.now()), body);
        assertThat(lan.status).isEqualTo(403);
        assertThat(lan.body).contains("\"Code\":\"AccessDenied\"");
        RawHttp.Response local = RawHttp.send(to, "POST", path,
                FcApiServerTest.fc3Headers(api.loopbackHost(), path, body, owner, owner.accessKeySecret, Instant.now()),
                body);
        assertThat(local.status).isEqualTo(200);
    }
}
