package io.camelvan.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service sections: defaults, checks with lines, port clashes, and changes through the editor. */
class ServiceConfigTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void theSectionsOfTheDesignAreReadWithTheirDefaults() throws Exception {
        SiteConfig config = ConfigLoader.load(write("""
            site: west
            tcpListeners:   [{name: db,  routingKey: db,  host: 127.0.0.1, port: 15432}]
            tcpConnectors:  [{name: db,  routingKey: db,  host: 127.0.0.1, port: 5432}]
            httpListeners:  [{name: api, routingKey: api, port: 18080, maxRequestSize: 1MiB}]
            httpConnectors: [{name: api, routingKey: api, host: 127.0.0.1, port: 8080}]
            """));

        assertThat(config.tcpListeners()).containsExactly(new TcpListenerConfig("db", "db", "127.0.0.1", 15432));
        assertThat(config.tcpConnectors()).containsExactly(new TcpConnectorConfig("db", "db", "127.0.0.1", 5432));
        assertThat(config.httpListeners().get(0).host()).isEqualTo("127.0.0.1");
        assertThat(config.httpListeners().get(0).maxRequestSize()).isEqualTo(1L << 20);
        assertThat(config.httpConnectors().get(0).maxConnections()).isEqualTo(HttpConnectorConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(config.services(ServiceType.HTTP_CONNECTOR)).hasSize(1);
    }

    @Test
    void badEntriesAreNamedWithTheirLines() throws Exception {
        Path file = write("""
            site: west
            tcpListeners:
              - {name: db, routingKey: db, port: 15432}
              - {name: db, routingKey: "_van/x", port: 70000}
            tcpConnectors:
              - {name: db, port: 0}
            httpConnectors:
              - {name: api, routingKey: api, port: 8080, maxConnections: 0}
            """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .isInstanceOf(ConfigException.class)
            .hasMessageContaining(file + ":4: tcpListeners[1].routingKey: '_van/x': addresses under '_van/' and '$' are the router's own")
            .hasMessageContaining(file + ":4: tcpListeners[1].port: 70000 is not a port (0-65535, 0 = any free port)")
            .hasMessageContaining(file + ":4: tcpListeners[1].name: 'db' is used twice")
            .hasMessageContaining(file + ":6: tcpConnectors[0].routingKey: is required")
            .hasMessageContaining(file + ":6: tcpConnectors[0].port: 0 is not a port (1-65535)")
            .hasMessageContaining(file + ":8: httpConnectors[0].maxConnections: must be at least 1");
    }

    @Test
    void anUnknownKeyOfAnEntryIsRefused() throws Exception {
        Path file = write("""
            site: west
            httpListeners:
              - {name: api, routingKey: api, port: 18080, maxBody: 10}
            """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageStartingWith(file + ":3: unknown key 'maxBody' under 'httpListeners[0]'")
            .hasMessageContaining("maxRequestSize");
    }

    @Test
    void twoSocketsOnOnePortAreRefused() throws Exception {
        Path file = write("""
            site: west
            listeners:
              - {name: amqp, host: 0.0.0.0, port: 5672}
            tcpListeners:
              - {name: db, routingKey: db, port: 5672}
              - {name: any, routingKey: any, port: 0}
              - {name: other, routingKey: other, port: 0}
            httpListeners:
              - {name: api, routingKey: api, port: 18080}
            admin: {port: 18080}
            """);

        assertThatThrownBy(() -> ConfigLoader.load(file))
            .hasMessageContaining(file + ":5: tcpListeners[0].port: port 5672 is already used by listeners[0]")
            .hasMessageContaining(file + ":10: admin.port: port 18080 is already used by httpListeners[0]")
            .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(2));
    }

    @Test
    void theEditorAddsAndRemovesEntriesInTheirSection() throws Exception {
        String initial = """
            site: west
            # applications
            listeners:
              - {name: amqp, port: 5672}
            admin: {port: 9090}
            """;
        Path file = write(initial);
        TcpListenerConfig db = new TcpListenerConfig("db", "db", null, 15432);

        SiteConfig saved = ConfigEditor.open(file).addService(db).save();

        assertThat(saved.tcpListeners()).containsExactly(db);
        assertThat(Files.readString(file)).isEqualTo("""
            site: west
            # applications
            listeners:
              - {name: amqp, port: 5672}
            tcpListeners:
              - {name: db, routingKey: db, host: 127.0.0.1, port: 15432}
            admin: {port: 9090}
            """);
        assertThatThrownBy(() -> ConfigEditor.open(file).addService(db))
            .hasMessageContaining("tcpListeners: there is already an entry named 'db'");
        assertThatThrownBy(() -> ConfigEditor.open(file).removeService(ServiceType.TCP_CONNECTOR, "db"))
            .hasMessageContaining("tcpConnectors: no entry named 'db'");

        ConfigEditor.open(file).removeService(ServiceType.TCP_LISTENER, "db").save();

        assertThat(ConfigLoader.load(file).tcpListeners()).isEmpty();
        assertThat(Files.readString(file)).contains("tcpListeners: []");
    }

    @Test
    void aPreviewChecksWithoutWriting() throws Exception {
        Path file = write("site: west\n");

        assertThatThrownBy(() -> ConfigEditor.open(file).addService(new HttpListenerConfig("api", "api", null, -1)).preview())
            .hasMessageContaining("httpListeners[0].port: -1 is not a port");
        assertThat(ConfigEditor.open(file).addService(new HttpListenerConfig("api", "api", null, 8080)).preview()
            .httpListeners()).hasSize(1);
        assertThat(Files.readString(file)).isEqualTo("site: west\n");
    }
}
