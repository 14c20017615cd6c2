package io.camelvan.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.ProtonBufferAllocator;
import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.ConnectionOptions;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Rejected;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;
import org.apache.qpid.protonj2.client.exceptions.ClientConnectionSecuritySaslException;
import org.apache.qpid.protonj2.codec.CodecFactory;
import org.apache.qpid.protonj2.codec.Encoder;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;
import org.apache.qpid.protonj2.types.transport.Attach;
import org.apache.qpid.protonj2.types.transport.Begin;
import org.apache.qpid.protonj2.types.transport.Open;
import org.apache.qpid.protonj2.types.transport.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets a clear error and the router keeps serving everyone else: a well-behaved client
 * exchanges messages through the router for the whole class and must never miss a beat.
 */
class BadInputTest {

    private static Router router;
    private static Client client;
    private static Thread steady;
    private static final AtomicLong roundTrips = new AtomicLong();
    private static final AtomicReference<Throwable> steadyFailure = new AtomicReference<>();
    private static volatile boolean stopping;

    @BeforeAll
    static void start() {
        router = TestRouters.start("bad-input", """
            users:
              - {name: alice, password: s3cret-pa55}
            """);
        client = Client.create();
        steady = new Thread(BadInputTest::exchangeForever, "steady-client");
        steady.setDaemon(true);
        steady.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> roundTrips.get() > 10);
    }

    /** A well-behaved client: send one, receive it, settle, again, until interrupted. */
    private static void exchangeForever() {
        try (Connection c = client.connect("127.0.0.1", router.port("amqp"))) {
            Receiver receiver = c.openReceiver("steady");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = c.openSender("steady");
            for (long i = 0; !stopping; i++) {
                Tracker t = sender.send(Message.create("tick " + i));
                var d = receiver.receive(5, TimeUnit.SECONDS);
                if (d == null || !("tick " + i).equals(d.message().body())) {
                    throw new IllegalStateException("steady client lost message " + i);
                }
                t.awaitAccepted(5, TimeUnit.SECONDS);
                roundTrips.incrementAndGet();
            }
        } catch (Throwable t) {
            if (!stopping) {
                steadyFailure.set(t);
            }
        }
    }

    @AfterEach
    void steadyClientStillFlows() {
        long before = roundTrips.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> roundTrips.get() > before + 20);
        assertThat(steadyFailure.get()).isNull();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        stopping = true;
        steady.join(10_000);
        assertThat(steadyFailure.get()).isNull();
        client.close();
        router.close();
    }

    @Test
    void garbageInsteadOfAnAmqpHeaderIsAnsweredWithOurHeaderAndClosed() throws IOException {
        byte[] reply = exchangeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(reply, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("AMQP");
        assertThat(reply).hasSize(8);
    }

    @Test
    void aMalformedFrameAfterAValidHeaderClosesWithAFramingError() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
        out.write(frame(encode(new Open().setContainerId("raw-client"))));
        // a frame whose body is a described type with an unknown descriptor
        out.write(frame(new byte[] {0x00, 0x53, (byte) 0xEE, 0x45}));
        String reply = new String(exchangeRaw(out.toByteArray()), StandardCharsets.ISO_8859_1);
        assertThat(reply).startsWith("AMQP");
        assertThat(reply).contains("amqp:connection:framing-error");
    }

    @Test
    void aWrongPasswordIsRefusedAndTheRightOneAccepted() throws Exception {
        long failuresBefore = router.core().metrics().authFailures.sum();
        ConnectionOptions wrong = new ConnectionOptions().user("alice").password("guess");
        wrong.saslOptions().addAllowedMechanism("PLAIN");
        try (Connection c = client.connect("127.0.0.1", router.port("amqp"), wrong)) {
            assertThatThrownBy(() -> c.openFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClientConnectionSecuritySaslException.class);
        }
        assertThat(router.core().metrics().authFailures.sum()).isEqualTo(failuresBefore + 1);

        ConnectionOptions right = new ConnectionOptions().user("alice").password("s3cret-pa55");
        right.saslOptions().addAllowedMechanism("PLAIN");
        try (Connection c = client.connect("127.0.0.1", router.port("amqp"), right)) {
            c.openFuture().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOversizedMessageIsRejectedAndTheConnectionStaysUp() throws Exception {
        String yaml = """
            site: capped
            listeners:
              - {name: amqp, host: 127.0.0.1, port: 0, maxMessageSize: 64KiB}
            """;
        try (Router capped = TestRouters.fromYaml(yaml);
             Connection c = client.connect("127.0.0.1", capped.port("amqp"))) {
            Receiver receiver = c.openReceiver("big");
            receiver.openFuture().get(5, TimeUnit.SECONDS);
            Sender sender = c.openSender("big");
            Tracker tooBig = sender.send(Message.create(new byte[200 * 1024]));
            Rejected rejected = (Rejected) tooBig.awaitSettlement(10, TimeUnit.SECONDS).remoteState();
            assertThat(rejected.getCondition()).isEqualTo("amqp:link:message-size-exceeded");
            assertThat(rejected.getDescription()).contains("65536");
            assertThat(capped.core().metrics().deliveriesRejectedTooLarge.sum()).isEqualTo(1);

            Tracker fine = sender.send(Message.create(new byte[1024]));
            assertThat(receiver.receive(5, TimeUnit.SECONDS)).isNotNull();
            assertThat(fine.awaitSettlement(5, TimeUnit.SECONDS).remoteState().isAccepted()).isTrue();
        }
    }

    // Regressions found by the AMQP fuzzer (itests AmqpFuzzIT): protonj2 loses the pooled buffer of a
    // performative that outgrows the peer's max-frame-size, so the router must never try to send one.

    @Test
    void aPeerAskingForFramesBelowTheAmqpMinimumIsDroppedBeforeAnythingIsAnswered() throws IOException {
        long refused = router.core().metrics().connectionsRefused.sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
        out.write(frame(encode(new Open().setContainerId("tiny-frames").setMaxFrameSize(100))));
        out.write(frame(encode(new Begin().setNextOutgoingId(0).setIncomingWindow(10).setOutgoingWindow(10))));

        byte[] reply = exchangeRaw(out.toByteArray());

        assertThat(reply.length).as("at most our protocol header: no open, no begin").isLessThanOrEqualTo(8);
        assertThat(router.core().metrics().connectionsRefused.sum()).isEqualTo(refused + 1);
    }

    @Test
    void anAttachWhoseAnswerWouldNotFitThePeersFramesDropsTheConnection() throws IOException {
        long refused = router.core().metrics().connectionsRefused.sum();
        String name = "n".repeat(2000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
        out.write(frame(encode(new Open().setContainerId("small-frames").setMaxFrameSize(512))));
        out.write(frame(encode(new Begin().setNextOutgoingId(0).setIncomingWindow(10).setOutgoingWindow(10))));
        out.write(frame(encode(new Attach().setName(name).setHandle(0).setRole(Role.SENDER).setInitialDeliveryCount(0)
            .setSource(new Source()).setTarget(new Target().setAddress("fits")))));

        String reply = new String(exchangeRaw(out.toByteArray()), StandardCharsets.ISO_8859_1);

        assertThat(reply).startsWith("AMQP").doesNotContain(name.substring(0, 100));
        assertThat(router.core().metrics().connectionsRefused.sum()).isEqualTo(refused + 1);
    }

    @Test
    void aSessionPastTheListenersMaxSessionsIsRefusedWithAnError() throws IOException {
        try (Router limited = TestRouters.fromYaml("""
                site: few-sessions
                listeners:
                  - {name: amqp, host: 127.0.0.1, port: 0, maxSessions: 2}
                """)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {'A', 'M', 'Q', 'P', 0, 1, 0, 0});
            out.write(frame(encode(new Open().setContainerId("many-sessions"))));
            for (int channel = 0; channel < 3; channel++) {
                byte[] begin = frame(encode(new Begin().setNextOutgoingId(0).setIncomingWindow(10).setOutgoingWindow(10)));
                begin[7] = (byte) channel;
                out.write(begin);
            }

            // the router closes the AMQP connection with an error and waits for our close, which never comes
            try (Socket socket = new Socket("127.0.0.1", limited.port("amqp"))) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(out.toByteArray());
                StringBuilder reply = new StringBuilder();
                InputStream in = socket.getInputStream();
                while (!reply.toString().contains("Channel Max Exceeded")) {
                    int b = in.read();
                    assertThat(b).as("the router's answer so far: " + reply).isNotNegative();
                    reply.append((char) b);
                }
                assertThat(reply.toString()).startsWith("AMQP");
            }
        }
    }

    /** Writes bytes to the router's AMQP port and reads everything it sends back until it closes. */
    private static byte[] exchangeRaw(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", router.port("amqp"))) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            return in.readAllBytes();
        }
    }

    private static byte[] encode(Object performative) {
        Encoder encoder = CodecFactory.getDefaultEncoder();
        ProtonBuffer buffer = ProtonBufferAllocator.defaultAllocator().allocate(256);
        encoder.writeObject(buffer, encoder.newEncoderState(), performative);
        byte[] body = new byte[buffer.getReadableBytes()];
        buffer.readBytes(body, 0, body.length);
        return body;
    }

    private static byte[] frame(byte[] body) {
        int size = 8 + body.length;
        byte[] frame = new byte[size];
        frame[0] = (byte) (size >>> 24);
        frame[1] = (byte) (size >>> 16);
        frame[2] = (byte) (size >>> 8);
        frame[3] = (byte) size;
        frame[4] = 2; // data offset in 4-byte words
        System.arraycopy(body, 0, frame, 8, body.length);
        return frame;
    }
}
