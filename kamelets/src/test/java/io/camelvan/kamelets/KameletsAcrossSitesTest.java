package io.camelvan.kamelets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import io.camelvan.camel.TestSites;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each Kamelet, loaded by camel-kamelet from the YAML DSL routes in {@code routes/}, moves data between two sites
 * whose embedded routers are linked with mutual TLS: the sources and the services on site B, the sinks and the
 * action on site A. Site A's router also has an httpListener and a tcpListener, so real HTTP and TCP clients reach
 * the source Kamelets on B. A third site, linked to nothing, reaches B's TLS listener with a user name and password
 * through the Kamelet's connection properties.
 */
class KameletsAcrossSitesTest {

    private static final String PASSWORD = "s3cret";

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static CamelContext a;
    private static CamelContext b;
    private static CamelContext lonely;
    private static int httpPort;
    private static int tcpPort;

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        sites.link("a", "b");
        httpPort = TestSites.freePort();
        tcpPort = TestSites.freePort();
        TestSites.Site siteA = sites.site("a");
        siteA.extraYaml = "httpListeners:\n  - {name: quotes, routingKey: quotes, host: 127.0.0.1, port: " + httpPort
            + "}\ntcpListeners:\n  - {name: upper, routingKey: upper, host: 127.0.0.1, port: " + tcpPort + "}\n";
        TestSites.Site siteB = sites.site("b");
        siteB.extraYaml = "users:\n  - {name: app, password: " + PASSWORD + "}\n";
        siteB.tls.add("server: {cert: certs/site.crt, key: certs/site.key}");
        siteB.listeners.add("{name: amqps, host: 127.0.0.1, port: 0, tls: server}");

        b = siteB.start();
        Routes.load(b, "classpath:routes/site-b.yaml");
        a = siteA.start();
        Routes.load(a, "classpath:routes/site-a.yaml");
        lonely = sites.site("lonely").start();
        Properties p = new Properties();
        p.setProperty("site-b.url", "amqps://localhost:" + siteB.port("amqps"));
        p.setProperty("site-b.password", PASSWORD);
        lonely.getPropertiesComponent().setOverrideProperties(p);
        lonely.getRegistry().bind("siteBTls", siteB.clientTls());
        Routes.load(lonely, "classpath:routes/site-lonely.yaml");
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @BeforeEach
    void resetMocks() {
        MockEndpoint.resetMocks(b);
    }

    private static MockEndpoint mock(String name) {
        MockEndpoint mock = b.getEndpoint("mock:" + name, MockEndpoint.class);
        mock.setResultWaitTime(20_000);
        return mock;
    }

    @Test
    void vanSinkOnOneSiteVanSourceOnTheOther() throws Exception {
        MockEndpoint orders = mock("orders");
        orders.expectedBodiesReceived("order 1", "order 2");
        orders.expectedHeaderReceived("customer", "acme");
        ProducerTemplate producer = a.createProducerTemplate();
        producer.sendBodyAndHeader("direct:orders", "order 1", "customer", "acme");
        producer.sendBodyAndHeader("direct:orders", "order 2", "customer", "acme");
        orders.assertIsSatisfied();
    }

    @Test
    void anHttpClientOnSiteAReachesVanHttpSourceOnSiteB() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/quotes/apples"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("apples")).build();
        // until B's key has reached A's router the listener answers 503
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("quote for apples (POST /quotes/apples)");
        });
    }

    @Test
    void vanHttpSinkSendsRequestsBelowItsPath() {
        Exchange reply = a.createProducerTemplate().request("direct:inventory", e -> {
            e.getMessage().setBody("how many?");
            e.getMessage().setHeader(Exchange.HTTP_METHOD, "PUT");
            e.getMessage().setHeader(Exchange.HTTP_PATH, "apples");
        });
        assertThat(reply.getException()).isNull();
        assertThat(reply.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        assertThat(reply.getMessage().getBody(String.class)).isEqualTo("PUT /stock/apples: how many?");
    }

    @Test
    void aTcpClientOnSiteAReachesVanTcpSourceOnSiteB() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            try (Socket socket = new Socket("127.0.0.1", tcpPort)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
                out.write("hello van\nsecond line\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HELLO VAN");
                assertThat(in.readLine()).isEqualTo("SECOND LINE");
            }
        });
    }

    @Test
    void vanTcpSinkWritesLengthPrefixedFrames() throws Exception {
        MockEndpoint audit = mock("audit");
        audit.expectedBodiesReceived("audit 1", "audit 2");
        ProducerTemplate producer = a.createProducerTemplate();
        producer.sendBody("direct:audit", "audit 1".getBytes(StandardCharsets.UTF_8));
        producer.sendBody("direct:audit", "audit 2".getBytes(StandardCharsets.UTF_8));
        audit.assertIsSatisfied();
    }

    @Test
    void vanRequestActionContinuesWithTheReply() {
        assertThat(a.createProducerTemplate().requestBody("direct:price", "apples", String.class))
            .isEqualTo("price of apples: 42");
    }

    @Test
    void theConnectionPropertiesReachARouterTheSitesComponentIsNotLinkedTo() throws Exception {
        MockEndpoint orders = mock("orders");
        orders.expectedBodiesReceived("order from afar");
        lonely.createProducerTemplate().sendBody("direct:remote-orders", "order from afar");
        orders.assertIsSatisfied();
    }
}
