package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.camelvan.router.testing.FreePorts;

/**
 * Seeing a three-site network, set up as an operator does (CLI {@code init}, {@code token issue} /
 * {@code token redeem}, each router a JVM of its own): {@code status --network} shows every site,
 * link and service; the metrics move with the traffic; the console renders the network in a real
 * browser (Debian's headless Chromium driven by playwright-core) and shows a service added while
 * it is open; and a site killed with {@code kill -9} leaves the network view within the documented
 * 5 seconds. The tests share one network and run in order: the last one kills a site.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

    /** How long a killed site may take to leave the network view: docs/management.md says 5 s. */
    private static final Duration DEAD_SITE_GONE_WITHIN = Duration.ofSeconds(5);
    private static final Path BROWSER_DRIVER = Path.of("src", "test", "browser");
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;

    private final Map<String, RouterProcess> routers = new java.util.LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private Client client;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeAll
    void startThreeLinkedSites(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        for (String site : List.of("a", "b", "c")) {
            VanCli.ok("init", "--site", site, "--dir", dir.resolve(site).toString(), "--link-access",
                "127.0.0.1:" + FreePorts.next(), "--amqp-port", String.valueOf(FreePorts.next()), "--admin-port", String.valueOf(FreePorts.next()));
            routers.put(site, RouterProcess.builder("observe-" + site).configFile(VanCli.siteFile(dir, site)).start());
        }
        link("a", "b", 1);
        link("b", "c", 1);
        link("a", "c", 5);
        client = Client.create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
            assertThat(list(network("a"), "links")).hasSize(3));
    }

    @AfterAll
    void stopEverything() {
        connections.forEach(Connection::close);
        if (client != null) {
            client.close();
        }
        routers.values().forEach(RouterProcess::close);
    }

    private void link(String from, String to, int cost) {
        Path token = dir.resolve(to + "-for-" + from + ".token");
        VanCli.ok("token", "issue", "--config", VanCli.siteFile(dir, to).toString(), token.toString());
        VanCli.ok("token", "redeem", "--config", VanCli.siteFile(dir, from).toString(), "--cost", String.valueOf(cost),
            token.toString());
    }

    @Test
    @Order(1)
    void statusNetworkShowsEverySiteLinkAndService() throws Exception {
        Receiver orders = connect("c").openReceiver("orders");
        orders.openFuture().get(10, TimeUnit.SECONDS);
        Receiver payments = connect("b").openReceiver("payments");
        payments.openFuture().get(10, TimeUnit.SECONDS);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Object> network = statusNetworkJson("a");
            assertThat(list(network, "sites")).extracting(s -> s.get("name")).containsExactly("a", "b", "c");
            assertThat(list(network, "routers")).allSatisfy(r -> assertThat(r.get("answered")).isEqualTo(true));
            assertThat(list(network, "links")).extracting(l -> l.get("fromSite") + "-" + l.get("toSite") + " cost " + l.get("cost"))
                .containsExactlyInAnyOrder("a-b cost 1", "a-c cost 5", "b-c cost 1");
            assertThat(service(network, "orders")).extracting(c -> c.get("site")).containsExactly("c");
            assertThat(service(network, "payments")).extracting(c -> c.get("site")).containsExactly("b");
        });
        String table = VanCli.ok("status", "--network", "--config", VanCli.siteFile(dir, "b").toString());
        System.out.println(table);
        assertThat(table).contains("3 sites, 3 routers, 3 links").containsPattern("orders\\s+balanced\\s+c/c \\(1\\)");
    }

    @Test
    @Order(2)
    @SuppressWarnings("unchecked")
    void httpRequestsThroughAListenerAndAConnectorAreCountedRecordedAndListed() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/price", e -> {
            byte[] body = "42 EUR".getBytes(StandardCharsets.UTF_8);
            e.sendResponseHeaders(200, body.length);
            try (OutputStream out = e.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        try {
            int listenerPort = FreePorts.next();
            VanCli.ok("connector", "create", "--type", "http", "--name", "prices", "--port",
                String.valueOf(server.getAddress().getPort()), "--config", VanCli.siteFile(dir, "c").toString());
            VanCli.ok("listener", "create", "--type", "http", "--name", "prices", "--port", String.valueOf(listenerPort),
                "--config", VanCli.siteFile(dir, "a").toString());
            await().atMost(Duration.ofSeconds(20)).until(() -> list(network("a"), "services").stream()
                .anyMatch(s -> "prices".equals(s.get("address")) && !list(s, "connectors").isEmpty()));

            int n = 25;
            List<String> curl = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--max-time", "30",
                "--write-out", " %{http_code}\\n"));
            for (int i = 0; i < n; i++) {
                curl.add("http://127.0.0.1:" + listenerPort + "/price");
            }
            Process process = new ProcessBuilder(curl).redirectErrorStream(true).start();
            String answers = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor()).as(answers).isZero();
            assertThat(answers.lines()).hasSize(n).containsOnly("42 EUR 200");

            RouterProcess a = routers.get("a");
            await().atMost(Duration.ofSeconds(10)).until(() -> a.metricValue("van_http_requests_total",
                "routing_key", "prices", "status_class", "2xx") == n);
            assertThat(a.metricValue("van_flows_opened_total", "routing_key", "prices")).isEqualTo(n);
            assertThat(a.metricValue("van_flows_active", "routing_key", "prices")).isZero();
            assertThat(a.metricValue("van_http_request_duration_seconds_count", "routing_key", "prices")).isEqualTo(n);
            assertThat(a.metricValue("van_flow_bytes_total", "routing_key", "prices", "direction", "from_server"))
                .isEqualTo(n * "42 EUR".length());
            assertThat(a.metricValue("van_site_http_requests_total", "source_site", "a", "destination_site", "c",
                "status_class", "2xx")).isEqualTo(n);

            String flows = VanCli.ok("flows", "--network", "--routing-key", "prices", "--limit", "100", "--output", "json",
                "--config", VanCli.siteFile(dir, "b").toString());
            List<Map<String, Object>> records = list(JSON.readValue(flows, Map.class), "flows");
            assertThat(records).hasSize(n).allSatisfy(r -> assertThat(r).containsEntry("sourceSite", "a")
                .containsEntry("listener", "prices").containsEntry("destinationSite", "c").containsEntry("connector", "prices")
                .containsEntry("httpStatus", 200).containsEntry("outcome", "completed"));

            Map<String, Object> prices = list(statusNetworkJson("b"), "services").stream()
                .filter(s -> "prices".equals(s.get("address"))).findFirst().orElseThrow();
            assertThat(list(prices, "listeners")).singleElement().satisfies(l -> assertThat(l)
                .containsEntry("site", "a").containsEntry("port", listenerPort).containsEntry("reachable", true));
            assertThat(list(prices, "connectors")).singleElement().satisfies(c -> assertThat(c)
                .containsEntry("site", "c").containsEntry("port", server.getAddress().getPort()).containsEntry("reachable", true));
        } finally {
            server.stop(0);
        }
    }

    @Test
    @Order(3)
    void metricsMoveAsTrafficMoves() throws Exception {
        Receiver receiver = connect("c").openReceiver("metered");
        receiver.openFuture().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(20)).until(() -> routers.get("a").metric("van_address_consumers", "address", "metered")
            .orElse(0) == 1);
        RouterProcess a = routers.get("a");
        long linkOutBefore = a.metricValue("van_link_deliveries_total", "peer", "b", "direction", "out");
        long bytesOutBefore = a.metricValue("van_link_bytes_total", "peer", "b", "direction", "out");
        int n = 100;
        Sender sender = connect("a").openSender("metered");
        List<Tracker> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sent.add(sender.send(Message.create("payload " + i)));
        }
        for (int i = 0; i < n; i++) {
            receiver.receive(10, TimeUnit.SECONDS).accept();
        }
        for (Tracker t : sent) {
            assertThat(t.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
        }
        assertThat(a.metricValue("van_address_deliveries_in_total", "address", "metered")).isEqualTo(n);
        assertThat(a.metricValue("van_address_outcomes_total", "address", "metered", "outcome", "accepted")).isEqualTo(n);
        assertThat(a.metricValue("van_link_deliveries_total", "peer", "b", "direction", "out") - linkOutBefore)
            .as("the cheap path a-b-c carries them").isEqualTo(n);
        assertThat(a.metricValue("van_link_bytes_total", "peer", "b", "direction", "out") - bytesOutBefore)
            .isGreaterThan(n * "payload 0".length());
        assertThat(routers.get("b").metricValue("van_link_deliveries_total", "peer", "c", "direction", "out"))
            .isGreaterThanOrEqualTo(n);
        assertThat(routers.get("c").metricValue("van_address_deliveries_out_total", "address", "metered")).isEqualTo(n);
        assertThat(a.metricValue("van_link_up", "peer", "c")).isEqualTo(1);
        assertThat(a.metricValue("van_routers_reachable")).isEqualTo(2);
        assertThat(a.metricValue("van_process_resident_memory_bytes")).isGreaterThan(10 << 20);
    }

    @Test
    @Order(4)
    void theConsoleShowsTheNetworkAndAServiceAddedWhileItIsOpen() throws Exception {
        Path driver = BROWSER_DRIVER.resolve("node_modules").resolve("playwright-core");
        if (!Files.isDirectory(driver) || !Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            fail("the browser test needs Debian's chromium and playwright-core: apt-get install chromium chromium-driver; "
                + "npm ci --prefix itests/src/test/browser (.ci/run does both)");
        }
        Path screenshot = Path.of("target", "console-screenshot.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Path profile = Files.createTempDirectory(dir, "chromium-profile-");
        String url = "http://127.0.0.1:" + routers.get("a").adminPort() + "/";
        Process node = new ProcessBuilder("node", "console-check.mjs", url, screenshot.toString(), profile.toString(),
            "a,b,c", "3", "inventory").directory(BROWSER_DRIVER.toFile()).redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.equals("RENDERED")) {
                    // a new service, at run time, on site b: the open page must show it without a reload
                    connect("b").openReceiver("inventory").openFuture().get(10, TimeUnit.SECONDS);
                }
            }
        } finally {
            if (!node.waitFor(60, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
        }
        System.out.println("console check:\n  " + String.join("\n  ", output));
        assertThat(node.exitValue()).as(String.join("\n", output)).isZero();
        assertThat(output).contains("RENDERED", "SERVICE-SHOWN");
        assertThat(String.join("\n", output)).contains("a|b").contains("b|c").contains("a|c").contains("cost 5");
        assertThat(screenshot).isNotEmptyFile();
    }

    @Test
    @Order(5)
    void aKilledSiteLeavesTheNetworkViewWithinTheDocumentedTime() throws IOException {
        routers.get("c").kill9();
        long killed = System.nanoTime();
        await().atMost(DEAD_SITE_GONE_WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
            assertThat(list(network("a"), "sites")).extracting(s -> s.get("name")).containsExactly("a", "b"));
        System.out.println("site c left the network view " + (System.nanoTime() - killed) / 1_000_000 + " ms after kill -9");
        Map<String, Object> network = statusNetworkJson("b");
        assertThat(list(network, "sites")).extracting(s -> s.get("name")).containsExactly("a", "b");
        assertThat(list(network, "links")).extracting(l -> l.get("from") + "-" + l.get("to")).containsExactly("a-b");
        assertThat(list(network, "services")).extracting(s -> s.get("address")).doesNotContain("orders");
    }

    // ----- helpers

    private Connection connect(String site) throws Exception {
        Connection c = client.connect("127.0.0.1", routers.get(site).amqpPort());
        c.openFuture().get(10, TimeUnit.SECONDS);
        connections.add(c);
        return c;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> statusNetworkJson(String site) throws IOException {
        String out = VanCli.ok("status", "--network", "--output", "json", "--config", VanCli.siteFile(dir, site).toString());
        return JSON.readValue(out, Map.class);
    }

    /** GET /api/network of a site's router: what {@code status --network} prints, without a JVM start per look. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> network(String site) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
            + routers.get(site).adminPort() + "/api/network")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readValue(r.body(), Map.class);
    }

    private static List<Map<String, Object>> service(Map<String, Object> network, String address) {
        return list(list(network, "services").stream().filter(s -> address.equals(s.get("address"))).findFirst()
            .orElseThrow(() -> new AssertionError("no service " + address)), "consumers");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

}
