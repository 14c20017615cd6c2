package io.camelvan.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void namesAndAddressesAreRead() {
        assertThat(HostPort.parse("west.example.com:55671")).isEqualTo(new HostPort("west.example.com", 55671));
        assertThat(HostPort.parse("10.0.0.5:443")).isEqualTo(new HostPort("10.0.0.5", 443));
        assertThat(HostPort.parse("[fd00::5]:55671")).isEqualTo(new HostPort("fd00::5", 55671));
        assertThat(new HostPort("fd00::5", 55671)).hasToString("[fd00::5]:55671");
        assertThat(new HostPort("0.0.0.0", 1).isWildcard()).isTrue();
    }

    @Test
    void malformedTextIsRefusedWithAnExample() {
        assertThatThrownBy(() -> HostPort.parse("west.example.com"))
                .hasMessage("'west.example.com' is not HOST:PORT (examples: west.example.com:55671, [fd00::5]:55671)");
        assertThatThrownBy(() -> HostPort.parse("fd00::5:55671")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("west:http")).hasMessage("'west:http' is not HOST:PORT: 'http' is not a port");
        assertThatThrownBy(() -> HostPort.parse("west:0")).hasMessage("0 is not a port (1-65535)");
    }
}
