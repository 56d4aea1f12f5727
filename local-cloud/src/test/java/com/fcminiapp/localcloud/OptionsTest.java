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

    @Test
    void theAdminPortIsTheFcPortPlusOneUnlessGivenAndAnyFreePortWithPortZero() {
        assertThat(Options.parse().adminPort()).isEqualTo(Options.DEFAULT_PORT + 1);
        assertThat(Options.parse("--port", "9100").adminPort()).isEqualTo(9101);
        assertThat(Options.parse("--port", "0").adminPort()).isZero();
        assertThat(Options.parse("--port", "9100", "--admin-port", "7000").adminPort()).isEqualTo(7000);
        assertThat(Options.parse("--admin-port=0").adminPort()).isZero();
        assertThat(Options.parse("--export", "snap").adminPort()).as("an export serves nothing").isZero();
    }

    @Test
    void anAdminPortThatIsTheFcPortOrOutOfRangeIsRefusedWithWhatToGive() {
        assertThatThrownBy(() -> Options.parse("--port", "9100", "--admin-port", "9100"))
                .hasMessageContaining("--admin-port must differ from --port");
        assertThatThrownBy(() -> Options.parse("--admin-port", "70000"))
                .hasMessageContaining("--admin-port needs a number from 0 to 65535");
        assertThatThrownBy(() -> Options.parse("--port", "65535")).hasMessageContaining("give --admin-port N");
        assertThat(Options.parse("--port", "65535", "--admin-port", "0").adminPort()).isZero();
    }

    @Test
    void theSearchLagIsOneSecondUnlessGivenInMilliseconds() {
        assertThat(Options.parse().searchLagMs()).isEqualTo(1000);
        assertThat(Options.parse("--search-lag-ms", "0").searchLagMs()).isZero();
        assertThat(Options.parse("--search-lag-ms=3000").searchLagMs()).isEqualTo(3000);
        assertThat(Options.parse("--search-lag-ms", "3600000").searchLagMs()).isEqualTo(3_600_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "1.5", "3600001", "soon", ""})
    void aSearchLagThatIsNoWholeNumberOfMillisecondsUpToAnHourIsRefused(String lag) {
        assertThatThrownBy(() -> Options.parse("--search-lag-ms", lag))
                .hasMessageContaining("--search-lag-ms needs a whole number of milliseconds from 0 to 3600000");
    }
}
