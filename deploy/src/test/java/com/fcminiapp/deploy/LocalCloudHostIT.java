package com.fcminiapp.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fcminiapp.localcloud.LocalCloud;
import com.fcminiapp.localcloud.Options;
import com.fcminiapp.localcloud.testing.Fc2Signing;
import com.fcminiapp.localcloud.testing.LoopbackAliases;
import com.fcminiapp.localcloud.testing.RawHttp;
import com.fcminiapp.localcloud.testing.UploadForms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * local-cloud with {@code --host}, run with the real function jars of template.yml: a client on another address of
 * this machine (standing in for a phone on the LAN) logs in, gets an upload form and a download URL on the address it
 * called, uploads through the form and downloads the same bytes — the signatures survive the host change.
 */
class LocalCloudHostIT {

    @TempDir
    Path data;

    private LocalCloud start(String host) throws Exception {
        Options options = Options.parse("--host", host, "--port", "0", "--data", data.toString(),
                "--template", DeployFiles.root().resolve("template.yml").toString());
        return LocalCloud.start(options, null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void onHost127002TheUploadAndDownloadUrlsNameItAndWork() throws Exception {
        LoopbackAliases.assumeUsable("127.0.0.2");
        try (LocalCloud cloud = start("127.0.0.2")) {
            ObjectNode ready = cloud.readyInfo();
            assertThat(ready.path("sessionUrl").asText()).startsWith("http://127.0.0.2:" + cloud.port() + "/");
            roundTrip(ready, ready.path("endpoint").asText(), "127.0.0.2", cloud.standIns().get("oss").port());
        }
    }

    @Test
    void onEveryInterfaceTheUrlsNameTheAddressTheClientCalled() throws Exception {
        LoopbackAliases.assumeUsable("127.0.0.3");
        try (LocalCloud cloud = start("0.0.0.0")) {
            roundTrip(cloud.readyInfo(), "http://127.0.0.3:" + cloud.port(), "127.0.0.3",
                    cloud.standIns().get("oss").port());
        }
    }

    /** Login, upload form, upload, download URL, download — all through {@code endpoint}. */
    private static void roundTrip(JsonNode ready, String endpoint, String host, int ossPort) throws Exception {
        String sessionPath = ready.path("sessionUrl").asText().replaceFirst("^http://[^/]+", "");
        JsonNode login = json(RawHttp.send("POST", endpoint + sessionPath, Map.of(),
                utf8("{\"authCode\":\"alice:" + System.nanoTime() + "\"}")));
        String sid = login.path("sessionId").asText();
        JsonNode sts = login.path("sts");

        JsonNode form = invokeDb(ready, endpoint, sts, "{\"sid\":\"" + sid + "\",\"op\":\"uploadPolicy\","
                + "\"path\":\"lan/hello.txt\",\"contentType\":\"text/plain\"}").path("data");
        assertThat(form.path("url").asText()).startsWith("http://" + host + ":" + ossPort + "/");
        byte[] file = utf8("hello from " + host);
        RawHttp.Response upload = RawHttp.send("POST", form.path("url").asText(),
                Map.of("Content-Type", UploadForms.CONTENT_TYPE), UploadForms.body(form, "hello.txt", "text/plain", file));
        assertThat(upload.status).as(upload.body).isEqualTo(200);

        JsonNode download = invokeDb(ready, endpoint, sts,
                "{\"sid\":\"" + sid + "\",\"op\":\"downloadUrl\",\"path\":\"lan/hello.txt\"}").path("data");
        assertThat(download.path("url").asText()).startsWith("http://" + host + ":" + ossPort + "/");
        RawHttp.Response got = RawHttp.send("GET", download.path("url").asText(), Map.of(), new byte[0]);
        assertThat(got.status).as(got.body).isEqualTo(200);
        assertThat(got.body).isEqualTo("hello from " + host);
    }

    /** The db function invoked with a login's STS key, signed as @alicloud/fc2 signs it. */
    private static JsonNode invokeDb(JsonNode ready, String endpoint, JsonNode sts, String event) throws IOException {
        String path = "/2016-08-15/services/" + ready.path("serviceName").asText() + "/functions/"
                + ready.path("dbFunctionName").asText() + "/invocations";
        byte[] body = utf8(event);
        Map<String, String> headers = Fc2Signing.invokeHeaders(path, body, ready.path("accountId").asText(),
                sts.path("AccessKeyId").asText(), sts.path("AccessKeySecret").asText(),
                sts.path("SecurityToken").asText(), Instant.now());
        return json(RawHttp.send("POST", endpoint + path, headers, body));
    }

    private static JsonNode json(RawHttp.Response r) throws IOException {
        assertThat(r.status).as(r.body).isEqualTo(200);
        JsonNode answer = DeployFiles.JSON.readTree(r.body);
        assertThat(answer.has("error")).as(r.body).isFalse();
        return answer;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
