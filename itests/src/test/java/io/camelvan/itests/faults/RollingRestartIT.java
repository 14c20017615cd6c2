package io.camelvan.itests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.camelvan.itests.RouterProcess;

/**
 * A rolling restart of every router of a three-site network (a triangle), one at a time with
 * SIGTERM and a fresh start, while HTTP clients keep sending requests: an httpListener on every
 * site (the clients go to them in turn, skipping a refused one as a load balancer would), an
 * httpConnector on b and on c, each to an HTTP server of its own. Failed requests are counted;
 * at most {@link #FAILED_SHARE} of all requests may fail: those under way through a router when it
 * stops. (A restarted router's listener holds a request until it knows where the servers are, or
 * has joined the network, rather than answer {@code 503}.)
 */
class RollingRestartIT {

    private static final List<String> SITES = List.of("a", "b", "c");
    private static final int CLIENTS = 4;
    private static final int RATE_PER_CLIENT = 20;
    private static final Duration BETWEEN_RESTARTS = Duration.ofSeconds(3);
    private static final double FAILED_SHARE = 0.02;

    @TempDir
    Path dir;

    @Test
    void everyRouterRestartedInTurnWhileHttpTrafficRuns() throws Exception {
        FaultReport report = new FaultReport("rolling-restart");
        List<HttpServer> servers = new ArrayList<>();
        SiteNetwork net = new SiteNetwork(dir, "rolling").site("a").site("b").site("c")
            .link("a", "b", 1).link("b", "c", 1).link("a", "c", 1);
        Map<String, Integer> listenerPorts = Map.of("a", net.freePort(), "b", net.freePort(), "c", net.freePort());
        try (net) {
            for (String site : SITES) {
                net.with(site, "httpListeners: [{name: api, routingKey: api, host: 127.0.0.1, port: "
                    + listenerPorts.get(site) + "}]");
            }
            for (String site : List.of("b", "c")) {
                HttpServer server = HttpLoad.server("site " + site);
                servers.add(server);
                net.with(site, "httpConnectors: [{name: api, routingKey: api, host: 127.0.0.1, port: "
                    + server.getAddress().getPort() + "}]");
            }
            net.startAll();
            for (String site : SITES) {
                await("requests through " + site).atMost(Duration.ofSeconds(60))
                    .until(() -> HttpLoad.answers(listenerPorts.get(site)));
            }

            try (HttpLoad load = new HttpLoad(SITES.stream().map(listenerPorts::get).toList(), CLIENTS, RATE_PER_CLIENT)) {
                await("traffic before the restarts").during(BETWEEN_RESTARTS).atMost(BETWEEN_RESTARTS.plusSeconds(1))
                    .until(() -> SITES.stream().allMatch(site -> net.router(site).isAlive()));
                report.line("triangle a-b-c; httpListener on a, b, c; httpConnector on b and c; %d clients at %d req/s"
                    + " each, one connection per request, to the listeners in turn", CLIENTS, RATE_PER_CLIENT);
                report.line("before the restarts (%d s): %d answered, %d failed (%s)", BETWEEN_RESTARTS.toSeconds(),
                    load.ok(), load.failed(), load.failuresByReason());
                List<String> silentAfter = new ArrayList<>();
                for (String site : SITES) {
                    long failedBefore = load.failed();
                    long started = System.nanoTime();
                    int exit = net.router(site).stop();
                    long stoppedMs = (System.nanoTime() - started) / 1_000_000;
                    RouterProcess router = net.start(site);
                    await(site + " back in the mesh").atMost(Duration.ofSeconds(60))
                        .until(() -> router.metric("van_routers_reachable").orElse(0) == SITES.size() - 1
                            && HttpLoad.answers(listenerPorts.get(site)));
                    long backMs = (System.nanoTime() - started) / 1_000_000;
                    long okBefore = load.ok();
                    await("traffic after restarting " + site).during(BETWEEN_RESTARTS)
                        .atMost(BETWEEN_RESTARTS.plusSeconds(1)).until(router::isAlive);
                    long answeredAfter = load.ok() - okBefore;
                    report.line("%s: stopped in %d ms (exit %d), back in the mesh %d ms after SIGTERM; failed requests"
                        + " %d; %d answered in the %d s after", site, stoppedMs, exit, backMs,
                        load.failed() - failedBefore, answeredAfter, BETWEEN_RESTARTS.toSeconds());
                    if (answeredAfter == 0) {
                        silentAfter.add(site);
                    }
                }
                load.close();
                report.line("requests answered %d, failed %d (%s), connections refused by a stopped listener and sent"
                    + " to the next %d", load.ok(), load.failed(), load.failuresByReason(), load.refused());
                report.write();
                assertThat(load.failed()).as("failed requests: " + load.failuresByReason())
                    .isLessThanOrEqualTo((long) (FAILED_SHARE * (load.ok() + load.failed())));
                assertThat(silentAfter).as("restarts after which no request was answered for "
                    + BETWEEN_RESTARTS.toSeconds() + " s").isEmpty();
            }
        } finally {
            servers.forEach(s -> s.stop(0));
        }
    }
}
