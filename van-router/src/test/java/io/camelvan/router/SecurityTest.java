package io.camelvan.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.exceptions.ClientConnectionSecuritySaslException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.Pem;

/** TLS on a normal listener, authentication required per listener, and the idle timeout. */
class SecurityTest {

    @TempDir
    Path dir;

    @Test
    void aNormalListenerWithTlsServesClientsThatTrustTheSiteCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("secure", Duration.ofDays(1));
        IssuedCertificate server = ca.issueServer("localhost", List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
        server.save(dir.resolve("server.crt"), dir.resolve("server.key"));
        Path trustStore = dir.resolve("trust.p12");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("site-ca", ca.certificate());
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            ks.store(out, "changeit".toCharArray());
        }
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, """
            site: secure
            listeners:
              - {name: amqps, host: 127.0.0.1, port: 0, tls: public}
            tls:
              public: {cert: server.crt, key: server.key}
            """);
        try (Router router = Router.start(ConfigLoader.load(file)); Client client = Client.create()) {
            ConnectionOptions options = new ConnectionOptions().sslEnabled(true);
            options.sslOptions().trustStoreLocation(trustStore.toString()).trustStorePassword("changeit")
                .trustStoreType("PKCS12").verifyHost(false);
            try (Connection c = client.connect("127.0.0.1", router.port("amqps"), options)) {
                Receiver receiver = c.openReceiver("secret");
                receiver.openFuture().get(5, TimeUnit.SECONDS);
                var tracker = c.openSender("secret").send(Message.create("over TLS"));
                assertThat((String) receiver.receive(5, TimeUnit.SECONDS).message().body()).isEqualTo("over TLS");
                assertThat(tracker.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
            }
            // plain AMQP to the TLS port is closed at once
            try (Socket socket = new Socket("127.0.0.1", router.port("amqps"))) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
                assertThat(socket.getInputStream().readAllBytes()).isEmpty();
            }
        }
        assertThat(Pem.readCertificate(dir.resolve("server.crt")).getSubjectX500Principal().getName()).contains("localhost");
    }

    @Test
    void aListenerThatAuthenticatesPeersRefusesAnonymous() throws Exception {
        String yaml = """
            site: strict
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 0, authenticatePeer: true}
            users:
              - {name: bob, password: b0bs-secret}
            """;
        try (Router router = TestRouters.fromYaml(yaml); Client client = Client.create()) {
            ConnectionOptions anonymous = new ConnectionOptions();
            anonymous.saslOptions().addAllowedMechanism("ANONYMOUS");
            try (Connection c = client.connect("127.0.0.1", router.port("amqp"), anonymous)) {
                assertThatThrownBy(() -> c.openFuture().get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ClientConnectionSecuritySaslException.class);
            }
            try (Connection c = client.connect("127.0.0.1", router.port("amqp"),
                    new ConnectionOptions().user("bob").password("b0bs-secret"))) {
                c.openFuture().get(5, TimeUnit.SECONDS);
            }
            // skipping SASL altogether is refused too: the reply is the SASL header, then close
            try (Socket socket = new Socket("127.0.0.1", router.port("amqp"))) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
                byte[] reply = socket.getInputStream().readAllBytes();
                assertThat(reply).containsExactly('A', 'M', 'Q', 'P', 3, 1, 0, 0);
            }
        }
    }

    @Test
    void aSilentPeerIsClosedAfterTheIdleTimeout() throws Exception {
        String yaml = """
            site: idle
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 0, idleTimeout: 1s}
            """;
        try (Router router = TestRouters.fromYaml(yaml); Socket socket = new Socket("127.0.0.1", router.port("amqp"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
            // Open{container-id="silent"} as a minimal frame, then nothing more
            byte[] open = {0x00, 0x53, 0x10, (byte) 0xc0, 0x09, 0x01, (byte) 0xa1, 0x06, 's', 'i', 'l', 'e', 'n', 't'};
            byte[] frame = new byte[8 + open.length];
            frame[3] = (byte) frame.length;
            frame[4] = 2;
            System.arraycopy(open, 0, frame, 8, open.length);
            out.write(frame);
            InputStream in = socket.getInputStream();
            long start = System.nanoTime();
            String reply = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertThat(reply).contains("amqp:resource-limit-exceeded");
            assertThat(elapsedMs).isBetween(500L, 8_000L);
        }
    }
}
