package io.camelvan.kamelets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.camel.builder.Builder.body;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.camelvan.camel.TestSites;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Pipe examples in {@code examples/}, loaded unchanged by the YAML DSL on two sites linked with mutual TLS:
 * orders posted to site A's httpListener go through {@code orders-http-to-van} on A and arrive in
 * {@code orders-van-to-log} on B.
 */
class PipesTest {

    @TempDir
    static Path dir;

    private static TestSites sites;
    private static CamelContext b;
    private static int httpPort;

    @BeforeAll
    static void start() throws Exception {
        sites = new TestSites(dir);
        sites.link("a", "b");
        httpPort = TestSites.freePort();
        TestSites.Site siteA = sites.site("a");
        siteA.extraYaml = "httpListeners:\n  - {name: orders, routingKey: orders-api, host: 127.0.0.1, port: "
            + httpPort + "}\n";
        b = sites.site("b").start();
        Routes.load(b, "file:examples/orders-van-to-log.pipe.yaml");
        CamelContext a = siteA.start();
        Routes.load(a, "file:examples/orders-http-to-van.pipe.yaml");
    }

    @AfterAll
    static void stop() {
        sites.close();
    }

    @Test
    void ordersPostedOnSiteAAreLoggedOnSiteB() throws Exception {
        assertThat(b.getRoute("orders-van-to-log")).as("the Pipe's route, named after it").isNotNull();
        // HTTP bodies travel as bytes, so the bodies are compared as text
        NotifyBuilder logged = new NotifyBuilder(b).wereSentTo("log:orders*").whenDone(2)
            .whenAllDoneMatches(body().convertToString().in("order 1", "order 2")).create();

        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // the first order waits until B's van-source has become reachable from A's listener (503 before)
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertAccepted(post(client, "order 1"), "order 1"));
        assertAccepted(post(client, "order 2"), "order 2");

        assertThat(logged.matches(20, TimeUnit.SECONDS)).as("both orders logged on site B").isTrue();
    }

    private static HttpResponse<String> post(HttpClient client, String order) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/orders"))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(order)).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The Pipe answers with the order itself once van-sink's consumer has accepted it. */
    private static void assertAccepted(HttpResponse<String> response, String order) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(order);
    }
}
