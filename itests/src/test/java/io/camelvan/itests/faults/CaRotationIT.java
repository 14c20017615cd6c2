package io.camelvan.itests.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import io.camelvan.itests.RouterProcess;
import io.camelvan.itests.VanCli;
import io.camelvan.itests.faults.abuse.TlsPeerClient;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.PemFiles;

/**
 * {@code van-router ca rotate} on a site whose router runs and carries traffic, done as an operator
 * does it with the command line (each command a process of its own): site east, dialled by west
 * over a link made with east's old CA, rotates its CA; west takes a new link file with
 * {@code link create --replace}; east finishes the rotation. Across the link run a long-lived TCP
 * flow (a tcpListener on west, a tcpConnector on east to an echo server) that keeps sending, HTTP
 * requests (an httpListener on west, an httpConnector on east) and numbered AMQP messages (a
 * producer on west, a consumer on east).
 *
 * <p>Asserted: the flow echoes every byte it sent after each step and is never reset; no HTTP
 * request fails and no message is lost or even sent again (the link's connection never drops, so
 * nothing is in flight on a connection that goes away: 0 is what the rotation must cost); west's
 * link keeps the connection it had; after {@code --finish}, a new connection presenting a
 * certificate of the old CA is refused and the router's log says why, while one of the new CA is
 * taken; and west, started again, links with its replaced files to east's new router certificate
 * and the network routes again.
 */
class CaRotationIT {

    private static final Duration UP = Duration.ofSeconds(60);
    private static final Duration CATCH_UP = Duration.ofSeconds(10);
    private static final Duration BETWEEN_STEPS = Duration.ofSeconds(2);
    private static final Duration LOG_WAIT = Duration.ofSeconds(20);
    private static final int FLOW_KIB_PER_SECOND = 50;
    private static final int HTTP_CLIENTS = 2;
    private static final int HTTP_RATE_PER_CLIENT = 20;
    private static final int AMQP_RATE = 50;

    @TempDir
    Path dir;

    // the default of 120 s (van-router's junit-platform.properties) is too short here: six command-line
    // JVMs and three router JVMs start on a machine that may be busy (load averages of 15 to 160 seen), each taking 5-30 s
    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void rotatingTheCaOfALinkedSiteDropsNoFlowRequestOrMessage() throws Exception {
        FaultReport report = new FaultReport("ca-rotation");
        report.line("load average at the start: %s", loadAverage());
        SiteNetwork net = new SiteNetwork(dir, "rotation").site("east").site("west").link("west", "east", 1);
        int flowPort = net.freePort();
        int httpPort = net.freePort();
        HttpServer server = HttpLoad.server("east");
        try (net; EchoServer echo = new EchoServer()) {
            net.with("west", "tcpListeners: [{name: echo, routingKey: echo, host: 127.0.0.1, port: " + flowPort + "}]\n"
                    + "httpListeners: [{name: api, routingKey: api, host: 127.0.0.1, port: " + httpPort + "}]")
                .with("east", "tcpConnectors: [{name: echo, routingKey: echo, host: 127.0.0.1, port: " + echo.port() + "}]\n"
                    + "httpConnectors: [{name: api, routingKey: api, host: 127.0.0.1, port: "
                    + server.getAddress().getPort() + "}]");
            Path eastFile = net.file("east");
            Path westFile = net.file("west");
            Path eastCerts = eastFile.resolveSibling("certs");
            X509Certificate oldCa = Pem.readCertificate(eastCerts.resolve("ca.crt"));
            // a link file of the old CA that no site replaces: its certificate must be refused once the rotation is done
            Path staleLinkFile = dir.resolve("stale.link");
            VanCli.ok("link", "generate", "--config", eastFile.toString(), "--for", "stale", staleLinkFile.toString());
            IssuedCertificate staleCertificate = certificateOf(LinkCredentials.read(staleLinkFile));

            net.startAll();
            RouterProcess east = net.router("east");
            RouterProcess west = net.router("west");
            int eastPeersPort = east.amqpPort("peers");
            await("HTTP and TCP from west to east").atMost(UP)
                .until(() -> HttpLoad.answers(httpPort) && EchoServer.flowWorks(flowPort));
            long linkConnects = westLinkConnects(west);

            try (NumberedTraffic messages = new NumberedTraffic("rotation-numbers", AMQP_RATE)
                     .consumer(east.amqpHost(), east.amqpPort()).producer(west.amqpHost(), west.amqpPort());
                 HttpLoad requests = new HttpLoad(List.of(httpPort), HTTP_CLIENTS, HTTP_RATE_PER_CLIENT);
                 EchoingFlow flow = new EchoingFlow(flowPort, FLOW_KIB_PER_SECOND)) {
                Steps steps = new Steps(report, flow, requests, messages);
                messages.runFor(BETWEEN_STEPS);
                steps.done("traffic before the rotation", 0);

                long rotationStart = System.nanoTime();
                long cli = rotationStart;
                VanCli.ok("ca", "rotate", "--config", eastFile.toString());
                long rotateMs = msSince(cli);
                List<X509Certificate> trusted = Pem.readCertificates(eastCerts.resolve("ca.crt"));
                assertThat(trusted).as("east trusts the new CA and the old one").hasSize(2).element(1).isEqualTo(oldCa);
                X509Certificate newCa = trusted.get(0);
                // until --finish a peer of the old CA still links: the running router took the new files, trusting both
                assertThat(TlsPeerClient.dial(eastPeersPort, staleCertificate).answeredAmqp())
                    .as("whether the router takes a certificate of the old CA during the rotation").isTrue();
                await("east reloads its TLS profile").atMost(LOG_WAIT)
                    .until(() -> east.logText().contains("TLS profile 'site' reloaded"));
                messages.runFor(BETWEEN_STEPS);
                steps.done("ca rotate (east)", rotateMs);

                Path newLinkFile = dir.resolve("west-new.link");
                cli = System.nanoTime();
                VanCli.ok("link", "generate", "--config", eastFile.toString(), "--for", "west", newLinkFile.toString());
                String replaced = VanCli.ok("link", "create", "--config", westFile.toString(), "--replace",
                    newLinkFile.toString());
                long replaceMs = msSince(cli);
                assertThat(replaced).contains("replaced the certificate files of link 'east'");
                PemFiles westLink = LinkCredentials.pemFiles(westFile.resolveSibling("certs"), "east");
                Pem.readCertificate(westLink.cert()).verify(newCa.getPublicKey());
                assertThat(Pem.readCertificates(westLink.ca())).as("west's link trusts both CAs of east")
                    .containsExactly(newCa, oldCa);
                assertThat(VanCli.ok("link", "status", "--config", westFile.toString()))
                    .as("west's link status").containsPattern("(?m)^\\s+east\\s+\\S+\\s+\\d+\\s+up\\s");
                messages.runFor(BETWEEN_STEPS);
                steps.done("link generate (east) + link create --replace (west)", replaceMs);

                cli = System.nanoTime();
                VanCli.ok("ca", "rotate", "--config", eastFile.toString(), "--finish");
                long finishMs = msSince(cli);
                assertThat(Pem.readCertificates(eastCerts.resolve("ca.crt"))).as("east trusts the new CA only")
                    .containsExactly(newCa);
                Pem.readCertificate(eastCerts.resolve("site.crt")).verify(newCa.getPublicKey());
                TlsPeerClient.Attempt stale = TlsPeerClient.dial(eastPeersPort, staleCertificate);
                assertThat(stale.answeredAmqp()).as("whether the router takes a certificate of the old CA after --finish").isFalse();
                String refusal = TlsPeerClient.assertRefusedWith(east, stale.localPort(), LOG_WAIT,
                    "CN=stale", "is not signed by a trusted CA", "named like a trusted CA but signed with another key");
                assertThat(TlsPeerClient.dial(eastPeersPort, certificateOf(LinkCredentials.read(newLinkFile))).answeredAmqp())
                    .as("whether the router takes a certificate of the new CA after --finish").isTrue();
                messages.runFor(BETWEEN_STEPS);
                steps.done("ca rotate --finish (east)", finishMs);
                report.line("the rotation, from ca rotate to the checks after --finish: %d ms", msSince(rotationStart));

                requests.close();
                messages.stopProducing(NumberedTraffic.OUTCOME_TIMEOUT);
                long lost = messages.lostAfter(CATCH_UP);
                long flowBytes = flow.echoed();
                long linkConnectsAfter = westLinkConnects(west);
                long linkDisconnects = west.metricValue("van_link_disconnects_total", "peer_site", "east");
                report.line("whole run: HTTP requests answered %d, failed %d (%s); AMQP numbers sent %d, acknowledged %d,"
                    + " received %d, acknowledged but lost %d, duplicates %d, sent again %d (%s); the flow echoed %d bytes",
                    requests.ok(), requests.failed(), requests.failuresByReason(), messages.sent(), messages.acknowledged(),
                    messages.received(), lost, messages.duplicates(), messages.resent(), messages.resends(), flowBytes);
                report.line("west's link to east: connections opened %d before, %d after, closed %d", linkConnects,
                    linkConnectsAfter, linkDisconnects);
                report.line("after --finish, east refused the old CA's certificate: %s", refusal);
                report.write();

                assertThat(requests.failed()).as("failed HTTP requests: " + requests.failuresByReason()).isZero();
                assertThat(lost).as("AMQP numbers acknowledged but never received").isZero();
                assertThat(messages.resent()).as("AMQP numbers sent again: " + messages.resends()).isZero();
                assertThat(messages.failure()).as("AMQP client failure").isNull();
                assertThat(linkConnectsAfter).as("connections of west's link: it never dropped").isEqualTo(linkConnects);
                assertThat(linkDisconnects).as("west's link connection closed").isZero();
                assertThat(flow.failure()).as("the long-lived flow").isNull();
            }

            // west dials again with its replaced files and checks east's new router certificate against them
            long restart = System.nanoTime();
            west.stop();
            RouterProcess westAgain = net.start("west");
            await("west links to east again, and HTTP and TCP go through").atMost(UP)
                .until(() -> westAgain.metric("van_link_up", "peer_site", "east").orElse(0) == 1
                    && HttpLoad.answers(httpPort) && EchoServer.flowWorks(flowPort));
            report.line("west restarted: linked to east's new router certificate and routing again %d ms after SIGTERM",
                msSince(restart));
            report.line("load average at the end: %s", loadAverage());
            report.write();
            assertThat(westAgain.logText()).as("west's log after the restart").doesNotContain("refused");
        } finally {
            server.stop(0);
        }
    }

    /** Checks the traffic after each step and reports what ran through during it. */
    private static final class Steps {
        private final FaultReport report;
        private final EchoingFlow flow;
        private final HttpLoad requests;
        private final NumberedTraffic messages;
        private long okBefore;
        private long failedBefore;
        private long receivedBefore;
        private long echoedBefore;
        private long stepStartMs;

        Steps(FaultReport report, EchoingFlow flow, HttpLoad requests, NumberedTraffic messages) {
            this.report = report;
            this.flow = flow;
            this.requests = requests;
            this.messages = messages;
            this.stepStartMs = messages.elapsedMs();
        }

        /** The flow catches up with every byte sent so far; the step's figures go to the report. */
        void done(String step, long commandMs) {
            long catchUpMs = flow.awaitEchoed(CATCH_UP);
            report.line("%s: command %d ms; then the flow echoed all it had sent within %d ms; during the step the flow"
                + " echoed %d bytes (longest silence %d ms), HTTP %d answered (the slowest in %d ms) / %d failed, AMQP %d"
                + " received (longest gap %d ms)", step, commandMs, catchUpMs, flow.echoed() - echoedBefore,
                flow.takeLongestSilenceMs(), requests.ok() - okBefore, requests.takeSlowestMs(),
                requests.failed() - failedBefore, messages.received() - receivedBefore,
                messages.longestGapMs(stepStartMs, messages.elapsedMs()));
            stepStartMs = messages.elapsedMs();
            okBefore = requests.ok();
            failedBefore = requests.failed();
            receivedBefore = messages.received();
            echoedBefore = flow.echoed();
        }
    }

    private static long westLinkConnects(RouterProcess west) {
        return west.metricValue("van_link_connects_total", "peer_site", "east");
    }

    private static IssuedCertificate certificateOf(LinkCredentials link) {
        return new IssuedCertificate(link.certificate(), link.key(), link.ca());
    }

    private static long msSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
