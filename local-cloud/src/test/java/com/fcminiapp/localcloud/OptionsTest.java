package com.fcminiapp.localcloud;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command line, {@code --host} in particular: an IP literal or localhost, never a name to look up. */
class OptionsTest {

    @Test
    void theHostIsLoopbackUnlessGiven() {
        assertThat(Options.parse().host().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(Options.parse("--port", "0").host().isLoopbackAddress()).isTrue();
    }

    @Test
    void aHostIsAnIpLiteralOrLocalhost() {
        assertThat(Options.parse("--host", "127.0.0.2").host().getHostAddress()).isEqualTo("127.0.0.2");
        assertThat(Options.parse("--host=0.0.0.0").host().isAnyLocalAddress()).isTrue();
        assertThat(Options.parse("--host", "::").host().isAnyLocalAddress()).isTrue();
        assertThat(Options.parse("--host", "[::1]").host().isLoopbackAddress()).isTrue();
        assertThat(Options.parse("--host", "192.168.1.20").host().getHostAddress()).isEqualTo("192.168.1.20");
        assertThat(Options.parse("--host", "localhost").host().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "my-pc", "256.0.0.1", "127.0.0", "127.0.0.1:9000", "abc:def:zz", "",
            "http://127.0.0.1"})
    void anythingElseIsRefusedWithTheRule(String host) {
        assertThatThrownBy(() -> Options.parse("--host", host)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--host needs an IP address").hasMessageContaining("localhost");
    }

    @Test
    void aHostWithoutValueIsRefusedWithTheUsage() {
        assertThatThrownBy(() -> Options.parse("--host")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--host needs a value").hasMessageContaining("[--host ADDR]");
    }

    @Test
    void importAndExportNameTheirFoldersAndAnExportTakesAnyFreePort() {
        Options imported = Options.parse("--import", "seed");
        assertThat(imported.importDir()).isEqualTo(Path.of("seed"));
        assertThat(imported.exportDir()).isNull();
        assertThat(imported.port()).isEqualTo(Options.DEFAULT_PORT);
        Options exported = Options.parse("--export=snap");
        assertThat(exported.exportDir()).isEqualTo(Path.of("snap"));
        assertThat(exported.port()).isZero();
        assertThat(Options.parse("--port", "9100", "--export", "snap").port()).isEqualTo(9100);
        assertThatThrownBy(() -> Options.parse("--import")).hasMessageContaining("--import needs a value");
    }
}
