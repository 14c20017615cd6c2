package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import io.camelvan.itests.RouterProcess;
import io.camelvan.router.pki.IssuedCertificate;

/**
 * A peer that dials a router's inter-router port presenting a certificate of the test's choosing
 * (and trusting any server: the tests are about what the router accepts), and the line the router
 * logs about that very connection, found by the client's port.
 */
public final class TlsPeerClient {

    private static final byte[] AMQP_HEADER = {'A', 'M', 'Q', 'P', 3, 1, 0, 0};

    /** One connection: the client's local port, and whether the router answered with an AMQP header. */
    public record Attempt(int localPort, boolean answeredAmqp) {
    }

    private TlsPeerClient() {
    }

    /** A TLS handshake presenting {@code client}'s certificate, then the AMQP header; returns once the router answered or closed. */
    public static Attempt dial(int port, IssuedCertificate client) throws Exception {
        return dial(port, SiteCerts.clientContext(client));
    }

    /** The same with a client TLS context of the test's making. */
    public static Attempt dial(int port, SSLContext context) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            boolean answered;
            try {
                socket.startHandshake();
                // TLS 1.3: the client finishes first; a refusal arrives as an alert on the first read
                socket.getOutputStream().write(AMQP_HEADER);
                byte[] header = socket.getInputStream().readNBytes(AMQP_HEADER.length);
                answered = header.length == AMQP_HEADER.length && new String(header, 0, 4, StandardCharsets.US_ASCII).equals("AMQP");
            } catch (IOException refused) {
                answered = false;   // the router's log says why
            }
            return new Attempt(socket.getLocalPort(), answered);
        }
    }

    /**
     * Waits for the router's log line about the connection from {@code clientPort}, checks it is a
     * refusal naming every one of {@code reason}, and returns it.
     */
    public static String assertRefusedWith(RouterProcess router, int clientPort, Duration wait, String... reason) {
        String from = "from /127.0.0.1:" + clientPort + ":";
        await("the router's log line for the connection from port " + clientPort).atMost(wait)
            .until(() -> router.logText().contains(from));
        String line = lineWith(router.logText(), from);
        assertThat(line).as("the router's line").contains("refused");
        for (String words : reason) {
            assertThat(line).as("the router's line").contains(words);
        }
        return line;
    }

    /** The first line of {@code log} that holds {@code text}. */
    static String lineWith(String log, String text) {
        Matcher m = Pattern.compile("^.*" + Pattern.quote(text) + ".*$", Pattern.MULTILINE).matcher(log);
        assertThat(m.find()).as("a log line with '%s'", text).isTrue();
        return m.group();
    }
}
