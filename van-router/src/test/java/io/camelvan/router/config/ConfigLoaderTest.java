package io.camelvan.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad site file is refused with file, line, key and reason; a good one gets its defaults. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void aMinimalFileGetsSensibleDefaults() throws Exception {
        SiteConfig config = ConfigLoader.load(write("""
            site: west
            listeners:
              - {name: amqp, port: 5672}
            addresses:
              - {prefix: events., distribution: multicast}
            """));
        assertThat(config.routerId()).isEqualTo("west");
        assertThat(config.router().mode()).isEqualTo(RouterMode.INTERIOR);
        assertThat(config.router().linkCapacity()).isEqualTo(250);
        ListenerConfig l = config.listeners().get(0);
        assertThat(l.host()).isEqualTo("127.0.0.1");
        assertThat(l.role()).isEqualTo(ListenerRole.NORMAL);
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofSeconds(16));
        assertThat(l.maxFrameSize()).isEqualTo(65536);
        assertThat(config.addresses().get(0).distribution()).isEqualTo(Distribution.MULTICAST);
        assertThat(config.admin()).isNull();
    }

    @Test
    void unitsAreUnderstood() throws Exception {
        SiteConfig config = ConfigLoader.load(write("""
            site: west
            listeners:
              - {name: amqp, port: 5672, idleTimeout: 2m, maxMessageSize: 10MiB, maxFrameSize: 16KiB}
            """));
        ListenerConfig l = config.listeners().get(0);
        assertThat(l.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(l.maxMessageSize()).isEqualTo(10L << 20);
        assertThat(l.maxFrameSize()).isEqualTo(16L << 10);
    }

    @Test
    void anUnknownKeyNamesTheLineAndTheKnownKeys() throws Exception {
        Path file = write("""
            site: west
            listeners:
              - name: amqp
                port: 5672
                colour: blue
            """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(file + ":5: unknown key 'colour' under 'listeners[0]'")
            .hasMessageContaining("known: ")
            .hasMessageContaining("maxMessageSize");
    }

    @Test
    void aBadValueNamesTheKeyAndTheChoices() throws Exception {
        Path file = write("""
            site: west
            router:
              mode: leaf
            """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageStartingWith(file + ":3: router.mode: 'leaf' is not one of interior, edge");
    }

    @Test
    void aWrongTypeIsReported() throws Exception {
        Path file = write("""
            site: west
            listeners:
              - {name: amqp, port: many}
            """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageStartingWith(file + ":3: listeners[0].port:");
    }

    @Test
    void everySemanticProblemIsListedWithItsLine() throws Exception {
        Path file = write("""
            site: west
            listeners:
              - {name: amqp, port: 70000}
              - {name: amqp, port: 5673, tls: nope}
              - {name: peers, port: 55671, role: inter-router}
            links:
              - {name: east, host: east.example.com, port: 55671}
            tls:
              site: {cert: missing.crt, key: missing.key}
            """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageContaining(file + ":3: listeners[0].port: 70000 is not a port")
            .hasMessageContaining(file + ":4: listeners[1].name: 'amqp' is used twice")
            .hasMessageContaining(file + ":4: listeners[1].tls: no TLS profile named 'nope' under 'tls' (have: site)")
            .hasMessageContaining(file + ":5: listeners[2].tls: a inter-router listener needs a TLS profile")
            .hasMessageContaining(file + ":7: links[0].tls: is required")
            .hasMessageContaining(file + ":9: tls.site.cert: cannot read file");
    }

    @Test
    void aListenerAdvertisesItsAddressOrItsHostAndPort() throws Exception {
        SiteConfig config = ConfigLoader.load(write("""
            site: west
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 5672}
              - {name: peers, host: 0.0.0.0, port: 55671, advertise: "west.example.com:443"}
            """));
        assertThat(config.listeners().get(0).advertisedAddress()).isEqualTo(new HostPort("127.0.0.1", 5672));
        assertThat(config.listeners().get(1).advertisedAddress()).isEqualTo(new HostPort("west.example.com", 443));

        Path bad = write("""
            site: west
            listeners:
              - name: peers
                port: 55671
                advertise: west.example.com
            """);
        assertThatThrownBy(() -> ConfigLoader.load(bad))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith(bad + ":5: listeners[0].advertise: 'west.example.com' is not HOST:PORT");
    }

    @Test
    void aMissingFileAndBrokenYamlAreClear() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
            .hasMessage(dir.resolve("nope.yaml") + ": no such file");
        Path file = write("site: west\nlisteners: [ {name: amqp\n");
        assertThatThrownBy(() -> ConfigLoader.load(file)).hasMessageContaining("not valid YAML");
    }

    @Test
    void passwordsMayComeFromTheEnvironmentAndAreNeverPrinted() throws Exception {
        Path file = write("""
            site: west
            users:
              - {name: alice, password: "${env:VAN_TEST_SURELY_UNSET}"}
            """);
        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageContaining(":3: users[0].password: environment variable VAN_TEST_SURELY_UNSET is not set");
        UserConfig user = new UserConfig("bob", "hunter2");
        assertThat(user.toString()).doesNotContain("hunter2");
    }

    @Test
    void anAdminPortOffLoopbackNeedsALongEnoughToken() throws Exception {
        assertThatThrownBy(() -> ConfigLoader.load(write("site: west\nadmin: {host: 0.0.0.0, port: 9090}\n")))
            .hasMessageContaining(":2: admin.token: is required when admin.host ('0.0.0.0') is not a loopback address");
        assertThatThrownBy(() -> ConfigLoader.load(write("site: west\nadmin: {host: 127.0.0.1, token: short}\n")))
            .hasMessageContaining("admin.token: must be at least 16 characters");
        SiteConfig open = ConfigLoader.load(write("site: west\nadmin: {host: 0.0.0.0, token: 0123456789abcdef}\n"));
        assertThat(open.admin().resolvedToken()).isEqualTo("0123456789abcdef");
        assertThat(open.admin().toString()).doesNotContain("0123456789abcdef");
        assertThat(ConfigLoader.load(write("site: west\nadmin: {host: localhost}\n")).admin().isLoopback()).isTrue();
    }
}
