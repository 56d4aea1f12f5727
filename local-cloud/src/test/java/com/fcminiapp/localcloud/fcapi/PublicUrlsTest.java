package com.fcminiapp.localcloud.fcapi;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** OSS URLs in an answer move to the host the client called; nothing else in the answer changes. */
class PublicUrlsTest {

    private final PublicUrls urls = new PublicUrls("http://127.0.0.1:9100");

    private String rewrite(String body, String host) {
        return new String(urls.rewrite(body.getBytes(StandardCharsets.UTF_8), host), StandardCharsets.UTF_8);
    }

    @Test
    void everyUrlOnTheOssEndpointNamesTheCalledHost() {
        String body = "{\"url\":\"http://127.0.0.1:9100/b/k?Signature=x\",\"u2\":\"http://127.0.0.1:9100\"}";
        assertThat(rewrite(body, "192.168.1.20")).isEqualTo(
                "{\"url\":\"http://192.168.1.20:9100/b/k?Signature=x\",\"u2\":\"http://192.168.1.20:9100\"}");
    }

    @Test
    void anotherPortOrHostIsLeftAlone() {
        String body = "http://127.0.0.1:91001/x http://127.0.0.1:910/x http://127.0.0.2:9100/x https://127.0.0.1:9100";
        assertThat(rewrite(body, "192.168.1.20")).isEqualTo(body);
    }

    @Test
    void theSameHostOrNoUrlKeepsTheSameBytes() {
        byte[] body = "{\"url\":\"http://127.0.0.1:9100/k\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(urls.rewrite(body, "127.0.0.1")).isSameAs(body);
        byte[] none = "{}".getBytes(StandardCharsets.UTF_8);
        assertThat(urls.rewrite(none, "192.168.1.20")).isSameAs(none);
    }
}
