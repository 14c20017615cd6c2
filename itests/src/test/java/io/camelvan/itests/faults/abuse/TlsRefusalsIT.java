package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.itests.RouterProcess;
import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.RevocationList;

/**
 * Every way a TLS peer is turned away by a router process, each checked by the line the router
 * logs for that very connection (matched by the client's port), which must name the reason:
 * a certificate of another CA, expired, not yet valid, revoked; a router whose certificate is not
 * made out for the host its link dials; plain text, TLS 1.1 and weak cipher suites on a TLS port.
 * The same checks are unit-tested in van-router (PeerTrustManagerTest, MutualTlsHandshakeTest,
 * LinkSecurityTest); here they run against the shipped jar, end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsRefusalsIT {

    private static final Duration LOG_WAIT = Duration.ofSeconds(20);

    private CertificateAuthority siteCa;
    private final CertificateAuthority otherCa = CertificateAuthority.create("stranger", Duration.ofDays(365));
    private Path dir;
    private SSLServerSocket impostor;
    private Thread impostorThread;
    private RouterProcess router;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        siteCa = SiteCerts.write(dir, "abuse", "abuse-1").ca;
        Path certs = dir.resolve("certs");

        // a router of the other CA, with a certificate for some other host: the link below dials it at 127.0.0.1
        IssuedCertificate impostorCert = otherCa.issueServer("elsewhere", List.of("elsewhere.example"), Duration.ofDays(30));
        impostor = (SSLServerSocket) SiteCerts.serverContext(impostorCert).getServerSocketFactory().createServerSocket(0,
            50, java.net.InetAddress.getLoopbackAddress());
        impostorThread = new Thread(this::serveImpostor, "impostor-router");
        impostorThread.setDaemon(true);
        impostorThread.start();
        IssuedCertificate linkCert = otherCa.issueClient("abuse", Duration.ofDays(30));
        linkCert.save(certs.resolve("link.crt"), certs.resolve("link.key"));
        Pem.writeCertificate(certs.resolve("other-ca.crt"), otherCa.certificate());

        Path config = dir.resolve("site.yaml");
        Files.writeString(config, "site: abuse\n"
            + "router: {id: abuse-1}\n"
            + "listeners:\n"
            + "  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "  - {name: peers, host: 127.0.0.1, port: 0, role: inter-router, tls: site}\n"
            + "links:\n"
            + "  - {name: elsewhere, host: 127.0.0.1, port: " + impostor.getLocalPort() + ", cost: 1, tls: link}\n"
            + "tls:\n"
            + SiteCerts.SITE_PROFILE
            + "  link: {cert: certs/link.crt, key: certs/link.key, ca: certs/other-ca.crt}\n"
            + "admin: {host: 127.0.0.1, port: 0}\n");
        router = RouterProcess.builder("tls-refusals").configFile(config).jvmArgs("-Xmx128m").start();
    }

    @AfterAll
    void stop() throws IOException {
        if (router != null) {
            router.close();
        }
        if (impostor != null) {
            impostor.close();
        }
    }

    /** Accepts the router's link and completes handshakes; the router must drop them. */
    private void serveImpostor() {
        while (!impostor.isClosed()) {
            try (SSLSocket link = (SSLSocket) impostor.accept()) {
                link.setSoTimeout(5000);
                link.startHandshake();
                link.getInputStream().read();
            } catch (IOException e) {
                // the router refused us, or we were closed: next
            }
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefused() throws Exception {
        IssuedCertificate foreign = otherCa.issueClient("mallory", Duration.ofDays(1));
        assertRefusedWith(handshake(foreign), "is not signed by a trusted CA (issuer: CN=stranger CA");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        IssuedCertificate expired = siteCa.withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(-10)))
            .issueClient("old-site", Duration.ofDays(1));
        assertRefusedWith(handshake(expired), "CN=old-site", "expired on");
    }

    @Test
    void aNotYetValidCertificateIsRefused() throws Exception {
        IssuedCertificate early = siteCa.withClock(Clock.offset(Clock.systemUTC(), Duration.ofDays(10)))
            .issueClient("future-site", Duration.ofDays(30));
        assertRefusedWith(handshake(early), "CN=future-site", "is not yet valid until");
    }

    @Test
    void aRevokedCertificateIsRefused() throws Exception {
        IssuedCertificate revoked = siteCa.issueClient("gone-site", Duration.ofDays(30));
        // what `van-router token revoke` writes beside the config; the running router reads it at the next handshake
        RevocationList.load(dir.resolve("revoked.txt")).revoke(revoked.serial(), "site gone");
        assertRefusedWith(handshake(revoked), "CN=gone-site", "is revoked");
    }

    @Test
    void aPeerThatDoesNotTrustTheSitesCaIsReportedWithTheLikelyCause() throws Exception {
        // as a site still holding a link file made before `ca rotate --finish` sees this router
        IssuedCertificate member = siteCa.issueClient("stale-site", Duration.ofDays(1));
        int clientPort = TlsPeerClient.dial(router.amqpPort("peers"), SiteCerts.clientContext(member, otherCa.certificate()))
            .localPort();
        assertRefusedWith(clientPort, "certificate_unknown", "may not trust this site's CA");
    }

    @Test
    void aRouterWhoseCertificateIsNotForTheDialledHostIsRefused() {
        await("the link to the impostor refused").atMost(LOG_WAIT).until(() -> router.logText()
            .contains("is not made out for that host name"));
        String line = TlsPeerClient.lineWith(router.logText(), "is not made out for that host name");
        assertThat(line).contains("TLS with").contains("the certificate of the router at 127.0.0.1").contains("CN=elsewhere");
    }

    @Test
    void plainTextOnTheTlsPortIsRefused() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
            drain(socket);
            assertRefusedWith(socket.getLocalPort(), "not TLS (plain AMQP sent to a TLS listener");
        }
    }

    @Test
    void tls11IsRefused() throws Exception {
        assertRefusedWith(rawHello(ClientHellos.TLS_1_1, ClientHellos.CBC_SUITES), "TLSv1.1");
    }

    @Test
    void weakCipherSuitesAreRefused() throws Exception {
        assertRefusedWith(rawHello(ClientHellos.TLS_1_2, ClientHellos.WEAK_SUITES), "no cipher suites in common");
    }

    @Test
    void aGoodCertificateStillLinks() throws Exception {
        IssuedCertificate good = siteCa.issueClient("friend", Duration.ofDays(1));
        assertThat(TlsPeerClient.dial(router.amqpPort("peers"), good).answeredAmqp()).as("the router answers AMQP over TLS")
            .isTrue();
        assertThat(router.isAlive()).isTrue();
    }

    // ----- clients

    /** A TLS handshake with this client certificate; returns the client's port once the router has answered. */
    private int handshake(IssuedCertificate client) throws Exception {
        return TlsPeerClient.dial(router.amqpPort("peers"), client).localPort();
    }

    /** Sends a hand-made ClientHello and reads what comes back until the router closes. */
    private int rawHello(int version, int[] suites) throws IOException {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(ClientHellos.clientHello(version, suites));
            drain(socket);
            return socket.getLocalPort();
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", router.amqpPort("peers")), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void drain(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                // an alert, if any, then the end
            }
        } catch (IOException closed) {
            // a reset is an end too
        }
    }

    // ----- the router's words

    /** Waits for the router's log line about the connection from {@code clientPort} and checks it names the reason. */
    private void assertRefusedWith(int clientPort, String... reason) {
        TlsPeerClient.assertRefusedWith(router, clientPort, LOG_WAIT, reason);
        assertThat(router.isAlive()).isTrue();
    }
}
