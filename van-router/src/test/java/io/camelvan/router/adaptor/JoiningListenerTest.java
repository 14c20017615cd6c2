package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.adaptor.http.HttpListener;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ServiceType;

/**
 * An httpListener of a router that has not joined its network yet: a request for a key it knows no
 * server of waits for one rather than being answered 503 at once (a router restarted under load);
 * once the router has joined, such a request is answered 503 straight away.
 */
class JoiningListenerTest {

    @Test
    void aRequestArrivingBeforeTheRouterHasJoinedWaitsForTheServer(@TempDir Path dir) throws Exception {
        try (TestHttpServer server = new TestHttpServer("east");
             LinkedSites sites = new LinkedSites(dir.resolve("sites"))) {
            LinkedSites.Site west = sites.site("west").with("""
                httpListeners:
                  - {name: api, routingKey: api, port: 0}
                  - {name: nowhere, routingKey: nowhere, port: 0}
                """);
            LinkedSites.Site east = sites.site("east")
                .with("httpConnectors: [{name: api, routingKey: api, port: " + server.port() + "}]");
            // east dials west, at once when it starts (west dialling would wait out its redial backoff)
            sites.link("east", "west");
            west.start(); // nobody has dialled west yet: it has not joined
            assertThat(west.router.core().join().isJoined()).isFalse();

            CompletableFuture<Curl.Result> answer = CompletableFuture.supplyAsync(() -> curl(dir, west, "api"));
            await("the request held by west").atMost(Duration.ofSeconds(20))
                .until(() -> heldWhileJoining(west, "api") == 1);
            east.start();

            Curl.Result result = answer.get(30, TimeUnit.SECONDS);
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).startsWith("HTTP/1.1 200").contains("hello from east");
            await("west joined").atMost(Duration.ofSeconds(20)).until(() -> west.router.core().join().isJoined());
            assertThat(heldWhileJoining(west, "api")).isZero();

            Curl.Result nowhere = curl(dir, west, "nowhere");
            assertThat(nowhere.out()).startsWith("HTTP/1.1 503").contains("no server for 'nowhere' is reachable");
        }
    }

    @Test
    void aRouterWithNoNetworkToJoinAnswers503AtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, """
            site: alone
            listeners: [{name: amqp, host: 127.0.0.1, port: 0}]
            httpListeners: [{name: nowhere, routingKey: nowhere, host: 127.0.0.1, port: 0}]
            """);
        try (Router router = Router.start(ConfigLoader.load(file))) {
            assertThat(router.core().join().isJoined()).as("no links and no inter-router listener: nothing to join")
                .isTrue();
            int port = ((HttpListener) router.adaptors().get(ServiceType.HTTP_LISTENER, "nowhere")).port();
            Curl.Result result = Curl.run(dir, "--include", "http://127.0.0.1:" + port + "/x");
            assertThat(result.out()).startsWith("HTTP/1.1 503").contains("no server for 'nowhere' is reachable");
        }
    }

    private static Curl.Result curl(Path dir, LinkedSites.Site site, String listener) {
        try {
            return Curl.run(dir, "--include", "http://127.0.0.1:" + site.httpPort(listener) + "/hello");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int heldWhileJoining(LinkedSites.Site site, String listener) {
        return ((Number) site.router.adaptors().get(ServiceType.HTTP_LISTENER, listener).status().get("heldWhileJoining"))
            .intValue();
    }
}
