package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.camelvan.router.testing.FreePorts;

/**
 * Three sites set up the way an operator does it, with the CLI only: {@code init} each, link them
 * with {@code token issue} / {@code token redeem} while their routers run as separate JVMs, then
 * Python Qpid Proton sends on site A and receives on site C. The line A-B-C has a redundant,
 * dearer link A-C; after {@code kill -9} of B, traffic flows again over A-C.
 */
class MeshProcessIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private final List<RouterProcess> routers = new ArrayList<>();

    @AfterEach
    void stopRouters() {
        routers.forEach(RouterProcess::close);
    }

    private RouterProcess initAndRun(String site) throws IOException {
        VanCli.ok("init", "--site", site, "--dir", dir.resolve(site).toString(),
            "--link-access", "127.0.0.1:" + FreePorts.next(), "--amqp-port", String.valueOf(FreePorts.next()),
            "--admin-port", String.valueOf(FreePorts.next()));
        assertThat(Files.exists(dir.resolve(site).resolve("certs/ca.crt"))).isTrue();
        RouterProcess router = RouterProcess.builder("mesh-" + site).configFile(VanCli.siteFile(dir, site)).start();
        routers.add(router);
        return router;
    }

    /** {@code from} links to {@code to}: a token issued at {@code to}, redeemed at {@code from}. */
    private void link(String from, String to, int cost) {
        Path token = dir.resolve(to + "-for-" + from + ".token");
        VanCli.ok("token", "issue", "--config", VanCli.siteFile(dir, to).toString(), token.toString());
        String out = VanCli.ok("token", "redeem", "--config", VanCli.siteFile(dir, from).toString(),
            "--cost", String.valueOf(cost), token.toString());
        assertThat(out).contains("linked to site " + to);
    }

    @Test
    void sitesLinkedWithTokensCarryTrafficAndRouteAroundALostRouter() throws IOException {
        PythonScript.requireProton();
        RouterProcess a = initAndRun("a");
        RouterProcess b = initAndRun("b");
        RouterProcess c = initAndRun("c");
        link("a", "b", 1);
        link("b", "c", 1);
        link("a", "c", 5);

        // the running routers pick their new links up from their site files
        assertThat(sendAndReceive(a, c, "first", 200)).containsEntry("accepted", 200);
        assertThat(b.metricValue("van_address_deliveries_in_total", "address", "orders"))
            .as("the cheap path goes through b").isEqualTo(200);

        b.kill9();
        long killed = System.nanoTime();
        assertThat(sendAndReceive(a, c, "second", 200)).containsEntry("accepted", 200);
        long recoveredMs = (System.nanoTime() - killed) / 1_000_000;
        assertThat(a.logText()).contains("lost router 'b'");
        System.out.println("traffic resumed over a-c and 200 messages were delivered " + recoveredMs
            + " ms after kill -9 of b");
    }

    /** Python sends {@code count} messages on site {@code from} to 'orders'; Python receives them on {@code to}. */
    private static java.util.Map<String, Integer> sendAndReceive(RouterProcess from, RouterProcess to, String prefix,
            int count) {
        try (var receiver = PythonScript.start(prefix + "-receiver", "receive.py", "--url", to.amqpUrl(),
                "--address", "orders", "--count", String.valueOf(count), "--timeout", "80");
             var sender = PythonScript.start(prefix + "-sender", "send.py", "--url", from.amqpUrl(),
                "--address", "orders", "--count", String.valueOf(count), "--prefix", prefix, "--timeout", "80")) {
            PythonScript.Result sent = sender.await(SCRIPT_TIMEOUT);
            PythonScript.Result received = receiver.await(SCRIPT_TIMEOUT);
            assertThat(sent.exitCode()).as(sent.describe()).isZero();
            assertThat(received.exitCode()).as(received.describe()).isZero();
            assertThat(received.lines("MSG")).hasSize(count);
            return sent.summary();
        }
    }

}
