package io.camelvan.router.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.Router;
import io.camelvan.router.cli.CliRun;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.core.Address;
import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.LinkCredentials;


/**
 * Linking sites as an operator does, with the CLI against running routers, and every way a site
 * without the right credentials is kept out.
 */
class LinkSecurityTest {

    @TempDir
    Path dir;

    private Router west;
    private Router east;

    @AfterEach
    void stop() {
        if (east != null) {
            east.close();
        }
        if (west != null) {
            west.close();
        }
    }

    private static CliRun cli(String... args) {
        return CliRun.of(args);
    }

    private Path initSite(String name) {
        CliRun r = cli("init", "--site", name, "--dir", dir.resolve(name).toString(),
            "--link-access", "127.0.0.1:" + TestNetwork.freePort(),
            "--amqp-port", String.valueOf(TestNetwork.freePort()), "--admin-port", String.valueOf(TestNetwork.freePort()));
        assertThat(r.code()).as(r.err()).isZero();
        return dir.resolve(name).resolve("site.yaml");
    }

    private static int amqpPort(Router router) {
        return router.port("amqp");
    }

    @Test
    void aTokenLinksTwoRunningSitesOnceAndRevokingItCutsTheLinkOff() throws Exception {
        Path westYaml = initSite("west");
        Path eastYaml = initSite("east");
        west = Router.start(ConfigLoader.load(westYaml));
        east = Router.start(ConfigLoader.load(eastYaml));

        Path token = dir.resolve("west.token");
        CliRun issued = cli("token", "issue", "--config", westYaml.toString(), token.toString());
        assertThat(issued.code()).as(issued.err()).isZero();
        String grantId = issued.out().replaceAll("(?s)^Issued token ([0-9a-f]{16}) .*", "$1");
        CliRun redeemed = cli("token", "redeem", "--config", eastYaml.toString(), token.toString());
        assertThat(redeemed.code()).as(redeemed.err()).isZero();
        assertThat(redeemed.out()).contains("linked to site west");

        // the running east router sees the new link in its file and dials west
        try (Client client = Client.create()) {
            Connection atWest = client.connect("127.0.0.1", amqpPort(west));
            Receiver receiver = atWest.openReceiver("linked.orders");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> reachable(east, "linked.orders"));
            Connection atEast = client.connect("127.0.0.1", amqpPort(east));
            var tracker = atEast.openSender("linked.orders").send(Message.create("from east"));
            assertThat((String) receiver.receive(10, TimeUnit.SECONDS).message().body()).isEqualTo("from east");
            assertThat(tracker.awaitSettlement(10, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();

            CliRun again = cli("token", "redeem", "--config", eastYaml.toString(), "--name", "west-again", token.toString());
            assertThat(again.code()).isEqualTo(1);
            assertThat(again.err()).contains("used");

            long refusedBefore = west.core().metrics().connectionsRefused.sum();
            CliRun revoked = cli("token", "revoke", "--config", westYaml.toString(), grantId);
            assertThat(revoked.code()).as(revoked.err()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> !reachable(east, "linked.orders"));
            // east keeps dialling and keeps being refused
            await().atMost(Duration.ofSeconds(20)).until(() -> west.core().metrics().connectionsRefused.sum() > refusedBefore);
            assertThat(reachable(east, "linked.orders")).isFalse();
        }
    }

    @Test
    void anExpiredTokenIsRefused() {
        Path westYaml = initSite("west");
        Path eastYaml = initSite("east");
        Path token = dir.resolve("short.token");
        CliRun issued = cli("token", "issue", "--config", westYaml.toString(), "--expiry", "1s", token.toString());
        assertThat(issued.code()).isZero();
        Clock later = Clock.fixed(Instant.now().plusSeconds(60), ZoneOffset.UTC);
        CliRun redeemed = CliRun.at(later, "token", "redeem", "--config", eastYaml.toString(), token.toString());
        assertThat(redeemed.code()).isEqualTo(1);
        assertThat(redeemed.err()).contains("expired");
    }

    /** A network where west dials east with credentials the test chooses. */
    private void startWith(java.util.function.Function<TestNetwork.Site, LinkCredentials> credentialsFor,
            TestNetwork net) {
        TestNetwork.Site w = net.interior("west");
        TestNetwork.Site e = net.interior("east");
        LinkCredentials creds = credentialsFor.apply(e);
        var files = creds.writePemFiles(w.dir.resolve("certs"));
        w.tlsYaml.add("link-east: {cert: " + w.dir.relativize(files.cert()) + ", key: " + w.dir.relativize(files.key())
            + ", ca: " + w.dir.relativize(files.ca()) + "}");
        w.linkYaml.add("{name: east, host: 127.0.0.1, port: " + e.peerPort + ", tls: link-east}");
        net.startAll();
    }

    private void assertNeverLinks(TestNetwork net) {
        Router eastRouter = net.router("east");
        await().atMost(Duration.ofSeconds(15)).until(() -> eastRouter.core().metrics().connectionsRefused.sum() >= 2);
        assertThat(((Mesh.RoutingView) net.router("west").mesh().routes()).cost("east")).isEqualTo(-1);
        assertThat(((Mesh.RoutingView) eastRouter.mesh().routes()).cost("west")).isEqualTo(-1);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() {
        try (TestNetwork net = new TestNetwork(dir)) {
            CertificateAuthority stranger = CertificateAuthority.create("stranger", Duration.ofDays(1));
            IssuedCertificate forged = stranger.issueClient("west", Duration.ofDays(1));
            startWith(east -> new LinkCredentials("east", "127.0.0.1", east.peerPort, 1, forged.cert(), forged.key(),
                east.pki.ca().trusted()), net);
            assertNeverLinks(net);
        }
    }

    @Test
    void anExpiredCertificateIsRefused() {
        try (TestNetwork net = new TestNetwork(dir)) {
            startWith(east -> {
                Clock past = Clock.offset(Clock.systemUTC(), Duration.ofDays(-10));
                IssuedCertificate old = east.pki.ca().withClock(past).issueClient("west", Duration.ofDays(1));
                return new LinkCredentials("east", "127.0.0.1", east.peerPort, 1, old.cert(), old.key(),
                    east.pki.ca().trusted());
            }, net);
            assertNeverLinks(net);
        }
    }

    @Test
    void aRouterWhoseCertificateIsNotForTheDialledHostIsRefused() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            TestNetwork.Site w = net.interior("west");
            TestNetwork.Site e = net.interior("east");
            e.peerHost = "0.0.0.0";
            // a proper link, but dialled as 127.0.0.2: east's certificate names localhost and 127.0.0.1 only
            net.link("west", "east", 1);
            w.linkYaml.set(0, w.linkYaml.get(0).replace("host: 127.0.0.1", "host: 127.0.0.2"));
            net.startAll();
            Router westRouter = net.router("west");
            await().atMost(Duration.ofSeconds(10)).until(() -> westRouter.core().metrics().tlsFailures.sum() >= 2);
            assertThat(westRouter.mesh().routes().cost("east")).isEqualTo(-1);
        }
    }

    @Test
    void aClientWithoutCertificateAndPlainTcpAreRefusedOnTheRouterPort() throws Exception {
        try (TestNetwork net = new TestNetwork(dir)) {
            net.interior("east").start();
            int port = net.site("east").peerPort;
            long before = net.router("east").core().metrics().connectionsRefused.sum();

            SSLContext noCertificate = SSLContext.getInstance("TLS");
            noCertificate.init(null, new TrustManager[] {new TrustingManager()}, null);
            try (SSLSocket socket = (SSLSocket) noCertificate.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
                byte[] reply = socket.getInputStream().readAllBytes();
                assertThat(new String(reply, StandardCharsets.ISO_8859_1)).startsWith("AMQP");
            }
            try (Socket plain = new Socket("127.0.0.1", port)) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
                assertThat(plain.getInputStream().readAllBytes()).isEmpty();
            }
            assertThat(net.router("east").core().metrics().connectionsRefused.sum()).isEqualTo(before + 2);
        }
    }

    private static boolean reachable(Router router, String address) {
        Address a = router.core().addresses().lookup(address);
        return a != null && a.isReachable();
    }

    /** A client that trusts any server: this test is about the server refusing the client. */
    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
