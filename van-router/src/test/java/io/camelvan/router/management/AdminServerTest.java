package io.camelvan.router.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.TestRouters;
import io.camelvan.router.pki.SitePki;

/**
 * The admin port answers /healthz, /readyz, /metrics, the JSON API and the console's files, and the counters
 * move with the traffic: deliveries, credit-starved time, and flows reported by an adaptor.
 */
class AdminServerTest {

    private static Router router;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        router = TestRouters.start("metered", "");
    }

    @AfterAll
    static void stop() {
        router.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort() + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthzSaysUp() throws Exception {
        HttpResponse<String> r = get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"up\"").contains("\"router\":\"metered\"");
        assertThat(get("/nowhere").statusCode()).isEqualTo(404);
    }

    @Test
    void readyzSaysReadyOnceTheRouterHasJoinedItsNetwork(@TempDir Path dir) throws Exception {
        // no links and no inter-router listener: nothing to join
        HttpResponse<String> r = get("/readyz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"ready\"");
        assertThat(get("/metrics").body()).contains("van_router_joined{router=\"metered\",site=\"metered\"} 1");

        SitePki.init(dir, "waiting", "waiting", List.of("127.0.0.1"));
        try (Router waiting = TestRouters.fromYaml("site: waiting\n"
            + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "  - {name: peers, host: 127.0.0.1, port: 0, role: inter-router, tls: site}\n"
            + "tls: {site: {cert: " + dir.resolve("certs/site.crt") + ", key: " + dir.resolve("certs/site.key")
            + ", ca: " + dir.resolve("certs/ca.crt") + "}}\n"
            + "admin: {host: 127.0.0.1, port: 0}\n")) {
            HttpResponse<String> joining = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + waiting.adminPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(joining.statusCode()).as("an inter-router listener nobody has dialled yet").isEqualTo(503);
            assertThat(joining.body()).contains("\"status\":\"joining\"");
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + waiting.adminPort() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("van_router_joined{router=\"waiting\",site=\"waiting\"} 0");
        }
    }

    @Test
    void deliveryCountersFollowTheTraffic() throws Exception {
        try (Client client = Client.create();
             Connection c = client.connect("127.0.0.1", router.port("amqp"))) {
            Receiver receiver = c.openReceiver("metered.orders", new ReceiverOptions().autoAccept(false));
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = c.openSender("metered.orders");
            Tracker[] trackers = new Tracker[10];
            for (int i = 0; i < 10; i++) {
                trackers[i] = sender.send(Message.create("order " + i));
            }
            for (int i = 0; i < 10; i++) {
                var d = receiver.receive(5, TimeUnit.SECONDS);
                if (i < 7) {
                    d.accept();
                } else {
                    d.reject("app:no", "no");
                }
            }
            for (Tracker t : trackers) {
                t.awaitSettlement(5, TimeUnit.SECONDS);
            }
            String metrics = get("/metrics").body();
            String labels = "{router=\"metered\",site=\"metered\",address=\"metered.orders\"";
            assertThat(metrics)
                .contains("# TYPE van_address_deliveries_in_total counter")
                .contains("van_address_deliveries_in_total" + labels + "} 10")
                .contains("van_address_deliveries_out_total" + labels + "} 10")
                .contains("van_address_outcomes_total" + labels + ",outcome=\"accepted\"} 7")
                .contains("van_address_outcomes_total" + labels + ",outcome=\"rejected\"} 3")
                .contains("van_address_consumers" + labels + "} 1")
                .contains("van_connections_active{router=\"metered\",site=\"metered\"} 1")
                .contains("van_links_active{router=\"metered\",site=\"metered\"} 2");
        }
    }

    @Test
    void creditStarvedTimeGrowsWhileNoConsumerIsReachable() throws Exception {
        try (Client client = Client.create();
             Connection c = client.connect("127.0.0.1", router.port("amqp"))) {
            Sender sender = c.openSender("metered.nobody");
            sender.openFuture().get(5, TimeUnit.SECONDS);
            String labels = "{router=\"metered\",site=\"metered\",address=\"metered.nobody\"}";
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                metric(get("/metrics").body(), "van_address_credit_starved_seconds_total" + labels)).isGreaterThan(0.05));
            assertThat(get("/metrics").body()).contains("van_address_starved_producers" + labels + " 1")
                .contains("van_address_producers" + labels + " 1");

            Receiver receiver = c.openReceiver("metered.nobody");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("/metrics").body())
                .contains("van_address_starved_producers" + labels + " 0"));
        }
    }

    @Test
    void flowsReportedByAnAdaptorAreCountedByRoutingKeyAndSitePairAndListed() throws Exception {
        FlowRecorder adaptor = router.flowRecorder();
        for (int i = 0; i < 5; i++) {
            adaptor.started(FlowRecord.Protocol.HTTP, "metered-api");
            adaptor.record(new FlowRecord("req-" + i, FlowRecord.Protocol.HTTP, "metered-api", "metered", "metered", "web",
                "east", "east-1", "backend", Instant.now(), Duration.ofMillis(30), 100, 1000,
                FlowRecord.Outcome.COMPLETED, "GET", i < 4 ? 200 : 503));
        }
        adaptor.started(FlowRecord.Protocol.TCP, "metered-db");
        adaptor.started(FlowRecord.Protocol.TCP, "metered-db");
        adaptor.record(new FlowRecord("tcp-1", FlowRecord.Protocol.TCP, "metered-db", "metered", "metered", "db",
            null, null, null, Instant.now(), Duration.ofMillis(5), 0, 0, FlowRecord.Outcome.NO_SERVER, null, 0));

        String metrics = get("/metrics").body();
        String api = "router=\"metered\",site=\"metered\",protocol=\"http\",routing_key=\"metered-api\"";
        String db = "router=\"metered\",site=\"metered\",protocol=\"tcp\",routing_key=\"metered-db\"";
        assertThat(metrics)
            .contains("van_flows_opened_total{" + api + "} 5")
            .contains("van_flows_active{" + api + "} 0")
            .contains("van_http_requests_total{" + api + ",status_class=\"2xx\"} 4")
            .contains("van_http_requests_total{" + api + ",status_class=\"5xx\"} 1")
            .contains("van_http_request_duration_seconds_bucket{" + api + ",le=\"0.025\"} 0")
            .contains("van_http_request_duration_seconds_bucket{" + api + ",le=\"0.05\"} 5")
            .contains("van_http_request_duration_seconds_count{" + api + "} 5")
            .contains("van_flow_bytes_total{" + api + ",direction=\"from_server\"} 5000")
            .contains("van_flows_opened_total{" + db + "} 2")
            .contains("van_flows_active{" + db + "} 1")
            .contains("van_flows_failed_total{" + db + "} 1")
            .contains("van_site_flows_total{router=\"metered\",site=\"metered\",protocol=\"http\",source_site=\"metered\","
                + "destination_site=\"east\"} 5")
            .contains("# TYPE van_http_request_duration_seconds histogram")
            .contains("van_process_resident_memory_bytes{router=\"metered\",site=\"metered\"} ");

        HttpResponse<String> flows = get("/api/flow?limit=2&routingKey=metered-api");
        assertThat(flows.statusCode()).isEqualTo(200);
        assertThat(flows.body()).contains("\"id\":\"req-4\"").contains("\"id\":\"req-3\"").doesNotContain("req-2")
            .contains("\"httpStatus\":503");
        assertThat(get("/api/flow/tcp-1").body()).contains("\"outcome\":\"no_server\"");
        assertThat(get("/api/flow/nothing").statusCode()).isEqualTo(404);
    }

    @Test
    void theApiAnswersManagementQueriesAndTheConsoleIsServed() throws Exception {
        HttpResponse<String> status = get("/api/router");
        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(status.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(status.body()).contains("\"id\":\"metered\"").contains("\"listeners\"");
        assertThat(get("/api/network").body()).contains("\"sites\":[{\"name\":\"metered\"");
        HttpResponse<String> unknown = get("/api/teapot");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown type 'teapot'");
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.adminPort() + "/api/link"))
            .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<title>Camel VAN").contains("console/console.js");
        assertThat(get("/console/console.js").statusCode()).isEqualTo(200);
        assertThat(get("/console/../Router.class").statusCode()).isEqualTo(404);
    }

    @Test
    void aTokenIsRequiredForDataWhenOneIsConfigured() throws Exception {
        try (Router guarded = TestRouters.fromYaml("site: guarded\nadmin: {host: 127.0.0.1, port: 0, token: "
                + "s3cret-s3cret-s3cret}\n")) {
            String base = "http://127.0.0.1:" + guarded.adminPort();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/router"))
                .header("Authorization", "Bearer wrong-wrong-wrong-wrong").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(401);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/api/router"))
                .header("Authorization", "Bearer s3cret-s3cret-s3cret").build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }

    private static double metric(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
            .findFirst().orElse(-1);
    }
}
