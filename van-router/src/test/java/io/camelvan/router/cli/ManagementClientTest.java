package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.SiteConfig;

/** The CLI's management client against a running router's $management endpoint. */
class ManagementClientTest {

    @TempDir
    Path dir;

    @Test
    void queriesTheRouterAndReportsErrorsAsStatusCodes() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "site: managed\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: " + port + "}\n");
        SiteConfig config = ConfigLoader.load(file);
        try (Router router = Router.start(config); ManagementClient client = ManagementClient.connect(config, null)) {
            ManagementClient.Reply addresses = client.request("QUERY", "address", null, Map.of());
            assertThat(addresses.status()).isEqualTo(200);
            assertThat(addresses.entities()).extracting(e -> e.get("name")).contains("$management");

            ManagementClient.Reply unknown = client.request("QUERY", "teapot", null, Map.of());
            assertThat(unknown.status()).isEqualTo(400);
            assertThat(unknown.description()).contains("unknown type 'teapot'").contains("address");

            ManagementClient.Reply noName = client.request("READ", "address", null, Map.of());
            assertThat(noName.status()).isEqualTo(400);
            ManagementClient.Reply missing = client.request("READ", "address", "nowhere", Map.of());
            assertThat(missing.status()).isEqualTo(404);
        }
        assertThatThrownBy(() -> ManagementClient.connect(config, null))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("is it running?");
    }
}
