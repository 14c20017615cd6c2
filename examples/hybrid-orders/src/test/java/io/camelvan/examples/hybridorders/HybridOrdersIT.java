package io.camelvan.examples.hybridorders;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the demo as a user does, {@code java -jar hybrid-orders.jar} (four JVMs: the demo and three sites), and checks
 * from its output and the site folders it leaves that the orders went the whole way: linked by tokens, confirmed
 * against the on-prem inventory, the events logged on both other sites, and the traffic counted on the right links.
 */
class HybridOrdersIT {

    private static final Pattern LINK_ROW = Pattern.compile("^  (\\S+ -> \\S+)\\s+(\\d+)\\s+(\\d+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void sixOrdersAreConfirmedOrRejectedAndEveryConfirmationIsLoggedOnBothOtherSites() throws Exception {
        Path sites = dir.resolve("sites");
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar", System.getProperty("hybrid.orders.jar", "target/hybrid-orders.jar"),
            "--orders", "6", "--dir", sites.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = demo.waitFor(4, TimeUnit.MINUTES);
        if (!ended) {
            demo.destroy();
            demo.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(ended).as("the demo ended within 4 minutes; its output:\n%s", output).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:\n%s", output).isZero();

        // the web front's answers: gizmos run out at the sixth order
        for (int n = 1; n <= 5; n++) {
            assertThat(output).contains("  200 {\"order\":\"A-" + n + "\",\"status\":\"confirmed\"");
        }
        assertThat(output).contains("  409 {\"order\":\"A-6\",\"status\":\"rejected\",\"item\":\"gizmo\",\"quantity\":2,\"left\":0}");
        assertThat(output).contains("6 orders sent at cloud-a: 5 confirmed and 1 rejected");

        // each confirmation logged once on on-prem and once on cloud-a, never on cloud-b (which publishes them)
        for (String site : List.of("on-prem", "cloud-a")) {
            for (int n = 1; n <= 5; n++) {
                assertThat(countLines(output, "[" + site + "] INFO hybrid-orders - order-confirmed event: order A-" + n + ","))
                    .as("order A-%d's event on %s", n, site).isEqualTo(1);
            }
            assertThat(output).doesNotContain("[" + site + "] INFO hybrid-orders - order-confirmed event: order A-6,");
        }
        assertThat(output).doesNotContain("[cloud-b] INFO hybrid-orders - order-confirmed event");

        // the legacy TCP service answered through cloud-a's tcpListener, after 1 + 4 widgets were sold
        assertThat(output).contains("  STOCK widget 5");

        // the routers counted the traffic on the links it should take
        assertThat(linkDeliveries(output, "cloud-a -> cloud-b")).as("orders").isGreaterThanOrEqualTo(6);
        assertThat(linkDeliveries(output, "cloud-b -> cloud-a")).as("outcomes and events").isGreaterThanOrEqualTo(6 + 5);
        assertThat(linkDeliveries(output, "cloud-b -> on-prem")).as("reservations and events").isGreaterThanOrEqualTo(6 + 5);
        assertThat(linkDeliveries(output, "on-prem -> cloud-b")).as("reservation responses").isGreaterThanOrEqualTo(6);
        assertThat(linkDeliveries(output, "cloud-a -> on-prem")).as("the STOCK query's flow").isGreaterThanOrEqualTo(1);
        assertThat(linkDeliveries(output, "on-prem -> cloud-a")).as("the STOCK answer's flow").isGreaterThanOrEqualTo(1);

        // linked with tokens: the redeemed links are in the site files, with their certificates
        assertThat(Files.readString(sites.resolve("cloud-b/site.yaml"))).contains("{name: cloud-a, host: 127.0.0.1");
        String onPrem = Files.readString(sites.resolve("on-prem/site.yaml"));
        assertThat(onPrem).contains("{name: cloud-a, host: 127.0.0.1").contains("{name: cloud-b, host: 127.0.0.1");
        assertThat(sites.resolve("on-prem/certs/link-cloud-b.crt")).isRegularFile();
        assertThat(output).contains("3 sites, 3 routers, 3 links");
    }

    private static long countLines(String output, String text) {
        return output.lines().filter(l -> l.contains(text)).count();
    }

    /** The DELIVERIES column of a row of the demo's link table. */
    private static long linkDeliveries(String output, String link) {
        Matcher row = LINK_ROW.matcher(output);
        while (row.find()) {
            if (row.group(1).equals(link)) {
                return Long.parseLong(row.group(2));
            }
        }
        throw new AssertionError("no row '" + link + "' in the link table of:\n" + output);
    }
}
