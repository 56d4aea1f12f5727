package com.fcminiapp.localcloud.fcapi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Host headers and IP literals: parsed without lookups, and which of them name the loopback interface. */
class HostNamesTest {

    @Test
    void theHostOfAHostHeaderLosesItsPort() {
        assertThat(HostNames.hostOf("127.0.0.2:9000")).contains("127.0.0.2");
        assertThat(HostNames.hostOf("[::1]:9000")).contains("[::1]");
        assertThat(HostNames.hostOf("localhost")).contains("localhost");
        assertThat(HostNames.hostOf(" My-PC.local:80 ")).contains("My-PC.local");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "evil\"x", "user@host", "host/path", "host:port", "host:123456", "[zz]:1",
            "[::1", "-dash.example", "1.2.3.4:5:6"})
    void aHostHeaderThatIsNoHostNameHasNoHost(String header) {
        assertThat(HostNames.hostOf(header)).isEmpty();
    }

    @Test
    void aMissingHostHeaderHasNoHost() {
        assertThat(HostNames.hostOf(null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.0", "127.255.255.255", "localhost", "LocalHost", "[::1]",
            "[0:0:0:0:0:0:0:1]"})
    void loopbackHosts(String host) {
        assertThat(HostNames.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"126.255.255.255", "128.0.0.0", "0.0.0.0", "[::]", "[::2]", "192.168.1.20",
            "localhost.evil.example", "127.0.0.1.evil.example", "127.1", "evil.example"})
    void otherHostsAreNotLoopback(String host) {
        assertThat(HostNames.isLoopback(host)).isFalse();
    }

    @Test
    void literalsAreParsedAndNamesAreNotLookedUp() {
        assertThat(HostNames.literal("127.0.0.2")).hasValueSatisfying(a -> assertThat(a.getHostAddress())
                .isEqualTo("127.0.0.2"));
        assertThat(HostNames.literal("[::1]")).hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThat(HostNames.literal("::1")).hasValueSatisfying(a -> assertThat(a.isLoopbackAddress()).isTrue());
        assertThat(HostNames.literal("256.0.0.1")).isEmpty();
        assertThat(HostNames.literal("abc:def:zz")).isEmpty();
        assertThat(HostNames.literal("example.com")).isEmpty();
        assertThat(HostNames.literal("localhost")).isEmpty();
    }
}
