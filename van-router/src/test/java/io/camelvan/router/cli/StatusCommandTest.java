package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.management.FlowRecord;
import io.camelvan.router.testing.FreePorts;

/** {@code status} and {@code flows} against a running router: tables, JSON for scripts, exit 1 when it is not running. */
class StatusCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusShowsTheRouterAndItsNetworkAndFailsClearlyWhenItIsNotRunning() throws Exception {
        int port = FreePorts.next();
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "site: lonely\nlisteners:\n  - {name: amqp, host: 127.0.0.1, port: " + port + "}\n"
            + "addresses:\n  - {prefix: news., distribution: multicast}\n");
        try (Router router = Router.start(ConfigLoader.load(file)); Client client = Client.create();
             Connection c = client.connect("127.0.0.1", port)) {
            c.openReceiver("news.today").openFuture().get(5, TimeUnit.SECONDS);
            router.flowRecorder().started(FlowRecord.Protocol.HTTP, "api");
            router.flowRecorder().record(new FlowRecord("f1", FlowRecord.Protocol.HTTP, "api", "lonely", "lonely", "web",
                "far", "far-1", "backend", Instant.now(), Duration.ofMillis(12), 10, 200, FlowRecord.Outcome.COMPLETED,
                "GET", 200));

            CliRun table = run("status", "--config", file.toString());
            assertThat(table.code()).as(table.err()).isZero();
            assertThat(table.out()).contains("Router lonely of site lonely").contains("LISTENERS").contains("amqp")
                .containsPattern("news\\.today\\s+multicast\\s+1");

            CliRun json = run("status", "--network", "--config", file.toString(), "--output", "json");
            assertThat(json.code()).as(json.err()).isZero();
            Map<String, Object> network = new ObjectMapper().readValue(json.out(), Map.class);
            assertThat(network).containsEntry("router", "lonely");
            assertThat((java.util.List<Map<String, Object>>) network.get("services"))
                .extracting(s -> s.get("address")).containsExactly("news.today");

            CliRun yaml = run("status", "--config", file.toString(), "-o", "yaml");
            assertThat(yaml.out()).contains("id: lonely").contains("site: lonely");

            CliRun flows = run("flows", "--network", "--config", file.toString());
            assertThat(flows.code()).as(flows.err()).isZero();
            assertThat(flows.out()).contains("lonely/web").contains("far/backend").contains("completed 200");
        }
        CliRun down = run("status", "--config", file.toString());
        assertThat(down.code()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach the router of site 'lonely'").contains("is it running?");
    }
}
