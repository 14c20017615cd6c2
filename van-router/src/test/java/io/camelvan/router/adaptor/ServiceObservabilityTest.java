package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.camelvan.router.cli.CliRun;

/**
 * What the adaptors' real traffic leaves behind: flow records (with both ends, bytes and status),
 * the flow metrics on /metrics, and the services in {@code status}. An httpListener and a
 * tcpListener on west, their connectors on east, curl and plain sockets as clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceObservabilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestHttpServer server;
    private EchoServer echo;
    private LinkedSites sites;
    private LinkedSites.Site west;
    private LinkedSites.Site east;
    private Path dir;

    @BeforeAll
    void startSites(@TempDir Path tmp) throws Exception {
        dir = tmp;
        server = new TestHttpServer("east");
        echo = new EchoServer();
        sites = new LinkedSites(dir.resolve("sites"));
        west = sites.site("west").with("""
            admin: {host: 127.0.0.1, port: 0}
            httpListeners:
              - {name: web, routingKey: api, port: 0}
              - {name: nowhere, routingKey: nowhere, port: 0}
              - {name: probe, routingKey: probed, port: 0}
            tcpListeners: [{name: echo-in, routingKey: echo, port: 0}]
            """);
        east = sites.site("east").with("httpConnectors:\n"
            + "  - {name: backend, routingKey: api, port: " + server.port() + "}\n"
            + "  - {name: probed-backend, routingKey: probed, port: " + server.port() + "}\n"
            + "tcpConnectors: [{name: echo-out, routingKey: echo, port: " + echo.port() + "}]\n");
        sites.link("west", "east").startAll();
        await().atMost(Duration.ofSeconds(20)).until(() -> west.reaches("api") && west.reaches("echo") && west.reaches("probed"));
    }

    @AfterAll
    void stop() throws Exception {
        sites.close();
        server.close();
        echo.close();
    }

    @Test
    void eachHttpRequestLeavesARecordAndMovesTheCounters() throws Exception {
        int requests = 12;
        // site pairs count the flows of every routing key, so other tests' requests are in them too
        String westToEast = "van_site_http_requests_total{router=\"west\",site=\"west\",protocol=\"http\","
            + "source_site=\"west\",destination_site=\"east\",status_class=\"2xx\"}";
        double before = metricOrZero(get("/metrics").body(), westToEast);
        List<String> args = new ArrayList<>(List.of("--include"));
        for (int i = 0; i < requests; i++) {
            args.add("http://127.0.0.1:" + west.httpPort("web") + "/hello");
        }
        Curl.Result curl = Curl.run(dir, args.toArray(String[]::new));
        assertThat(curl.exitCode()).as(curl.err()).isZero();
        assertThat(curl.out().split("HTTP/1.1 200 OK", -1)).hasSize(requests + 1);
        // where the request was served travels in application properties, never as response headers
        assertThat(curl.out()).doesNotContainIgnoringCase("van.flow");

        List<Map<String, Object>> records = awaitFlows("api", requests);
        assertThat(records).allSatisfy(r -> {
            assertThat(r).containsEntry("protocol", "http").containsEntry("sourceSite", "west")
                .containsEntry("sourceRouter", "west").containsEntry("listener", "web")
                .containsEntry("destinationSite", "east").containsEntry("destinationRouter", "east")
                .containsEntry("connector", "backend").containsEntry("outcome", "completed")
                .containsEntry("httpMethod", "GET").containsEntry("httpStatus", 200)
                .containsEntry("bytesFromClient", 0).containsEntry("bytesFromServer", "hello from east".length());
        });

        String metrics = get("/metrics").body();
        String api = "router=\"west\",site=\"west\",protocol=\"http\",routing_key=\"api\"";
        assertThat(metric(metrics, "van_flows_opened_total{" + api + "}")).isEqualTo(requests);
        assertThat(metric(metrics, "van_flows_active{" + api + "}")).isZero();
        assertThat(metric(metrics, "van_flows_failed_total{" + api + "}")).isZero();
        assertThat(metric(metrics, "van_http_requests_total{" + api + ",status_class=\"2xx\"}")).isEqualTo(requests);
        assertThat(metric(metrics, "van_http_requests_total{" + api + ",status_class=\"5xx\"}")).isZero();
        assertThat(metric(metrics, "van_http_request_duration_seconds_count{" + api + "}")).isEqualTo(requests);
        assertThat(metric(metrics, "van_http_request_duration_seconds_bucket{" + api + ",le=\"+Inf\"}")).isEqualTo(requests);
        assertThat(metric(metrics, "van_http_request_duration_seconds_sum{" + api + "}")).isPositive();
        assertThat(metric(metrics, "van_flow_bytes_total{" + api + ",direction=\"from_server\"}"))
            .isEqualTo(requests * "hello from east".length());
        assertThat(metric(metrics, westToEast) - before).isEqualTo(requests);
    }

    @Test
    void aRequestNoServerCanTakeIsRecordedAndCountedAsFailed() throws Exception {
        Curl.Result curl = Curl.run(dir, "--include", "http://127.0.0.1:" + west.httpPort("nowhere") + "/x");
        assertThat(curl.out()).startsWith("HTTP/1.1 503");

        Map<String, Object> record = awaitFlows("nowhere", 1).get(0);
        assertThat(record).containsEntry("outcome", "no_server").containsEntry("httpStatus", 503)
            .containsEntry("destinationSite", null).containsEntry("connector", null);
        String nowhere = "router=\"west\",site=\"west\",protocol=\"http\",routing_key=\"nowhere\"";
        String metrics = get("/metrics").body();
        assertThat(metric(metrics, "van_flows_failed_total{" + nowhere + "}")).isEqualTo(1);
        assertThat(metric(metrics, "van_http_requests_total{" + nowhere + ",status_class=\"5xx\"}")).isEqualTo(1);
    }

    @Test
    void aTcpFlowsRecordCountsTheBytesEachWay() throws Exception {
        byte[] payload = Payloads.random(300_001, 3);
        try (Socket socket = new Socket("127.0.0.1", west.tcpPort("echo-in"))) {
            assertThat(Payloads.exchange(socket, payload).length()).isEqualTo(payload.length);
        }

        Map<String, Object> record = awaitFlows("echo", 1).get(0);
        assertThat(record).containsEntry("protocol", "tcp").containsEntry("listener", "echo-in")
            .containsEntry("destinationSite", "east").containsEntry("destinationRouter", "east")
            .containsEntry("connector", "echo-out").containsEntry("outcome", "completed")
            .containsEntry("bytesFromClient", payload.length).containsEntry("bytesFromServer", payload.length)
            .doesNotContainKey("httpStatus");
        String tcp = "router=\"west\",site=\"west\",protocol=\"tcp\",routing_key=\"echo\"";
        String metrics = get("/metrics").body();
        assertThat(metric(metrics, "van_flows_opened_total{" + tcp + "}")).isEqualTo(1);
        assertThat(metric(metrics, "van_flow_bytes_total{" + tcp + ",direction=\"from_client\"}")).isEqualTo(payload.length);
        assertThat(metric(metrics, "van_flow_bytes_total{" + tcp + ",direction=\"from_server\"}")).isEqualTo(payload.length);
        assertThat(metric(metrics, "van_site_bytes_total{router=\"west\",site=\"west\",protocol=\"tcp\",source_site=\"west\","
            + "destination_site=\"east\",direction=\"from_client\"}")).isEqualTo(payload.length); // the only TCP flow
    }

    @Test
    @SuppressWarnings("unchecked")
    void statusListsTheServicesWithTheirSitesAndReachability() throws Exception {
        // a connector's reachability is what its server did with the last connection: none yet, then taken
        assertThat(cli("status", "--config", east.file().toString()))
            .containsPattern("httpConnector\\s+probed-backend\\s+probed\\s+127\\.0\\.0\\.1:" + server.port() + "\\s+not tried yet");
        assertThat(Curl.run(dir, "http://127.0.0.1:" + west.httpPort("probe") + "/hello").out()).isEqualTo("hello from east");

        String json = cli("status", "--network", "--output", "json", "--config", west.file().toString());
        Map<String, Object> network = JSON.readValue(json, new TypeReference<>() { });
        assertThat((List<Map<String, Object>>) network.get("sites")).extracting(s -> s.get("name"))
            .containsExactly("east", "west");
        Map<String, Map<String, Object>> services = new java.util.HashMap<>();
        ((List<Map<String, Object>>) network.get("services")).forEach(s -> services.put((String) s.get("address"), s));
        assertThat((List<Map<String, Object>>) services.get("probed").get("listeners")).singleElement()
            .satisfies(l -> assertThat(l).containsEntry("site", "west").containsEntry("type", "httpListener")
                .containsEntry("name", "probe").containsEntry("port", west.httpPort("probe")).containsEntry("reachable", true));
        assertThat((List<Map<String, Object>>) services.get("probed").get("connectors")).singleElement()
            .satisfies(c -> assertThat(c).containsEntry("site", "east").containsEntry("type", "httpConnector")
                .containsEntry("name", "probed-backend").containsEntry("port", server.port()).containsEntry("reachable", true));
        assertThat((List<Map<String, Object>>) services.get("api").get("connectors")).extracting(c -> c.get("site"))
            .containsExactly("east");
        assertThat((List<Map<String, Object>>) services.get("echo").get("listeners")).extracting(l -> l.get("site"))
            .containsExactly("west");
        assertThat((List<Map<String, Object>>) services.get("echo").get("connectors")).extracting(c -> c.get("name"))
            .containsExactly("echo-out");
        assertThat((List<Map<String, Object>>) services.get("nowhere").get("listeners")).singleElement()
            .satisfies(l -> assertThat(l).containsEntry("reachable", false));

        assertThat(cli("status", "--config", east.file().toString())).contains("TCP AND HTTP LISTENERS AND CONNECTORS")
            .containsPattern("httpConnector\\s+probed-backend\\s+probed\\s+127\\.0\\.0\\.1:" + server.port() + "\\s+yes")
            .containsPattern("tcpConnector\\s+echo-out\\s+echo\\s+127\\.0\\.0\\.1:" + echo.port());
    }

    /** The flow records of the routing key on west (through the admin JSON API), once there are {@code count}. */
    private List<Map<String, Object>> awaitFlows(String routingKey, int count) {
        AtomicReference<List<Map<String, Object>>> records = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> r = get("/api/flow?limit=1000&routingKey=" + routingKey);
            assertThat(r.statusCode()).isEqualTo(200);
            records.set(JSON.readValue(r.body(), new TypeReference<>() { }));
            return records.get().size() >= count;
        });
        assertThat(records.get()).hasSize(count);
        return records.get();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + west.router.adminPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one series, or fails when /metrics does not have it. */
    private static double metric(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " "))
            .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1))).findFirst()
            .orElseThrow(() -> new AssertionError("no series " + series + " in /metrics"));
    }

    private static double metricOrZero(String text, String series) {
        return text.lines().anyMatch(l -> l.startsWith(series + " ")) ? metric(text, series) : 0;
    }

    private static String cli(String... args) {
        CliRun run = CliRun.of(args);
        assertThat(run.code()).as(run.err()).isZero();
        return run.out();
    }
}
