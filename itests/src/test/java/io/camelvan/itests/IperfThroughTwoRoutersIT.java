package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * iperf3 (Debian package iperf3) through a tcpListener on one router process and a tcpConnector
 * on another, the routers linked with mutual TLS: the control connection and the data streams are
 * TCP flows of the VAN, and the transfer completes.
 */
class IperfThroughTwoRoutersIT {

    @TempDir
    Path dir;

    @Test
    void anIperf3TransferCompletesThroughTheVan() throws Exception {
        int serverPort = LinkedSiteProcesses.freePort();
        int listenerPort = LinkedSiteProcesses.freePort();
        Process server = new ProcessBuilder("iperf3", "--server", "--port", Integer.toString(serverPort))
            .redirectErrorStream(true).redirectOutput(dir.resolve("iperf3-server.log").toFile()).start();
        try (LinkedSiteProcesses sites = LinkedSiteProcesses.create(dir.resolve("sites"), 0)
                .with("west", "tcpListeners: [{name: iperf, routingKey: iperf, port: " + listenerPort + "}]")
                .with("east", "tcpConnectors: [{name: iperf, routingKey: iperf, port: " + serverPort + "}]")
                .start()) {
            sites.awaitLog("west", "routing key 'iperf' is reachable", Duration.ofSeconds(90));

            for (int streams : new int[] {1, 4}) {
                Path out = dir.resolve("iperf3-" + streams + ".json");
                Process client = new ProcessBuilder("iperf3", "--client", "127.0.0.1", "--port", Integer.toString(listenerPort),
                    "--time", "3", "--parallel", Integer.toString(streams), "--json")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("iperf3 finished").isTrue();
                String json = Files.readString(out, StandardCharsets.UTF_8);
                assertThat(client.exitValue()).as(json).isZero();
                assertThat(receivedBytes(json)).as("bytes the iperf3 server received over %d stream(s)", streams)
                    .isGreaterThan(1_000_000L);
            }
        } finally {
            server.destroy();
        }
    }

    /** end.sum_received.bytes of iperf3's JSON report. */
    private static long receivedBytes(String json) {
        Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bytes\"\\s*:\\s*(\\d+)").matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
