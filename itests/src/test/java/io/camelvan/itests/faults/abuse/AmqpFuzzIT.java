package io.camelvan.itests.faults.abuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.itests.MemorySampler;
import io.camelvan.itests.RouterProcess;

/**
 * A structured fuzzer against a live router process: conversations of valid AMQP frames
 * ({@link AmqpConversation}, fields made wild at random) broken further at the frame level
 * ({@link AmqpFrameMutator}), sent for a bounded time ({@code -Dabuse.fuzz.seconds}, default 60,
 * half of it each) to the normal port and, over mutual TLS with a certificate of the site, to
 * the inter-router port (as a would-be router: control messages included). Meanwhile a
 * well-behaved client sends and receives without pause. Afterwards: the process lives, its log
 * has no uncaught exception, error or buffer leak, its connections and descriptors are back to
 * their baseline, and the client never waited long. Every iteration's seed is logged with a
 * failure, so a finding can be replayed. Figures: {@code target/faults/amqp-fuzz.txt}.
 */
class AmqpFuzzIT {

    private static final long SECONDS = Long.getLong("abuse.fuzz.seconds", 60);
    private static final long SEED = Long.getLong("abuse.fuzz.seed", System.nanoTime());
    /** The longest a well-behaved client's message may take to come back while the fuzzer runs. */
    private static final Duration STEADY_MAX_GAP = Duration.ofSeconds(5);
    private static final int FD_SLACK = 30;
    /** Log lines that mean something went wrong inside the router, whatever the input (not the command line, "# ..."). */
    private static final Pattern TROUBLE = Pattern.compile(
        "^[^#].*( ERROR |Exception in thread|reached at the tail of the pipeline|java.lang.OutOfMemoryError|StackOverflowError).*$",
        Pattern.MULTILINE);
    /**
     * Netty leak records, each up to the next log line. A record none of whose stacks passes through
     * router code but {@code AmqpConnection.channelRead} (which feeds protonj2) is protonj2's own:
     * protonj2 1.1.0 slices the payload of a transfer off the read buffer and loses the slice when
     * the transfer then fails (unknown handle, bad fields). Those are counted and reported, not
     * failed on: the router never sees the slice. Any other leak fails the test.
     */
    private static final Pattern LEAK_RECORD = Pattern.compile("^\\S+ ERROR ResourceLeakDetector - LEAK:.*?(?=^\\d{4}-|\\z)",
        Pattern.MULTILINE | Pattern.DOTALL);
    private static final Pattern ROUTER_FRAME = Pattern.compile("io\\.camelvan\\.router\\.[\\w.$]+\\(");

    @TempDir
    Path dir;

    @Test
    void theRouterSurvivesMalformedAmqpOnItsNormalAndInterRouterPortsAndKeepsServing() throws Exception {
        SiteCerts certs = SiteCerts.write(dir, "fuzz", "fuzz-1");
        Path config = dir.resolve("site.yaml");
        Files.writeString(config, "site: fuzz\n"
            + "router: {id: fuzz-1}\n"
            + "listeners:\n"
            + "  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "  - {name: peers, host: 127.0.0.1, port: 0, role: inter-router, tls: site}\n"
            + "tls:\n" + SiteCerts.SITE_PROFILE
            + "admin: {host: 127.0.0.1, port: 0}\n");
        SSLContext peerTls = SiteCerts.clientContext(certs.ca.issueClient("fuzz-peer", Duration.ofDays(1)));
        FigureFile figures = new FigureFile("amqp-fuzz");
        try (RouterProcess router = RouterProcess.builder("amqp-fuzz").configFile(config)
                .jvmArgs("-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Dio.netty.leakDetection.level=paranoid").start();
             MemorySampler memory = new MemorySampler(router, Duration.ofSeconds(1));
             SteadyClient steady = new SteadyClient(router.amqpPort())) {
            await("the steady client flows").atMost(Duration.ofSeconds(20)).until(() -> steady.received.get() > 10);
            long connectionsBefore = router.metricValue("van_connections_active");
            int filesBefore = router.openFiles();

            Random seeds = new Random(SEED);
            Stats normal = fuzz(router, seeds, SECONDS * 500, false, null);
            Stats peer = fuzz(router, seeds, SECONDS * 500, true, peerTls);
            long receivedByFuzzEnd = steady.received.get();

            await("the router's connections back to their baseline").atMost(Duration.ofSeconds(40))
                .until(() -> router.metricValue("van_connections_active") <= connectionsBefore);
            await("the router's descriptors back to their baseline").atMost(Duration.ofSeconds(40))
                .until(() -> router.openFiles() <= filesBefore + FD_SLACK);
            await("the steady client still flows").atMost(Duration.ofSeconds(10))
                .until(() -> steady.received.get() > receivedByFuzzEnd + 10);
            memory.sample();

            figures.add("seed", "%d (replay with -Dabuse.fuzz.seed=%d)", SEED, SEED)
                .add("normal port", "%s", normal)
                .add("inter-router port (mutual TLS, site certificate)", "%s", peer)
                .add("steady client", "%d round trips, longest %.0f ms, failures: %s", steady.received.get(),
                    steady.maxGapNanos.get() / 1e6, steady.failure.get())
                .add("router connections / open files before and after", "%d / %d, %d / %d", connectionsBefore,
                    router.metricValue("van_connections_active"), filesBefore, router.openFiles())
                .add("router memory", "%s", memory.summary())
                .add("protonj2's own leaked payload slices (failed transfers; see LEAK_RECORD)", "%d",
                    protonOwnLeaks(router.logText()))
                .write();

            assertThat(router.isAlive()).as("the router process lives").isTrue();
            assertThat(trouble(router.logText())).as("log lines of trouble in " + router.logFile()).isEmpty();
            assertThat(steady.failure.get()).as("the well-behaved client failed").isNull();
            assertThat(Duration.ofNanos(steady.maxGapNanos.get())).as("the steady client's longest wait")
                .isLessThan(STEADY_MAX_GAP);
            assertThat(normal.iterations + peer.iterations).as("fuzz iterations").isGreaterThan(SECONDS);
        }
    }

    /** What one port was sent. */
    private record Stats(long iterations, long bytes, long refusedConnects) {
        @Override
        public String toString() {
            return iterations + " conversations, " + bytes / 1024 + " KiB sent, " + refusedConnects + " connects refused";
        }
    }

    private Stats fuzz(RouterProcess router, Random seeds, long millis, boolean asRouter, SSLContext tls) {
        int port = router.amqpPort(asRouter ? "peers" : "amqp");
        long end = System.currentTimeMillis() + millis;
        long iterations = 0;
        long bytes = 0;
        long refused = 0;
        while (System.currentTimeMillis() < end) {
            long seed = seeds.nextLong();
            Random random = new Random(seed);
            List<byte[]> conversation = AmqpConversation.generate(random, random.nextDouble() * 0.3, asRouter);
            List<byte[]> mutated = new AmqpFrameMutator(random).mutate(conversation, random.nextInt(4));
            try {
                bytes += send(port, tls, mutated, random);
            } catch (IOException e) {
                refused++;
            }
            iterations++;
            if (!router.isAlive()) {
                throw new AssertionError("the router died on conversation seed " + seed + " (as router: " + asRouter
                    + "); log tail:\n" + router.logTail(40));
            }
        }
        return new Stats(iterations, bytes, refused);
    }

    /** One connection: the chunks written (waiting for the SASL outcome at the marker), a short read, a close. */
    private static long send(int port, SSLContext tls, List<byte[]> chunks, Random random) throws IOException {
        long sent = 0;
        Socket socket = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        try {
            // from one of many loopback addresses: the router blocks an address after 5 failed logins,
            // and fuzzed SASL fails often; the fuzzer is to reach past SASL all the same
            socket.bind(new InetSocketAddress("127.0.0." + (2 + random.nextInt(250)), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(300);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                for (byte[] chunk : chunks) {
                    if (chunk == AmqpConversation.AWAIT_SASL_OUTCOME) {
                        awaitSaslOutcome(in);
                    } else if (random.nextInt(5) == 0 && chunk.length > 1) {
                        int split = 1 + random.nextInt(chunk.length - 1);   // a frame in two reads
                        out.write(chunk, 0, split);
                        out.flush();
                        out.write(chunk, split, chunk.length - split);
                    } else {
                        out.write(chunk);
                    }
                    sent += chunk.length;
                }
                out.flush();
                while (in.read(new byte[4096]) >= 0) {
                    // whatever the router answers, until it closes or goes quiet
                }
            } catch (IOException closedOrQuiet) {
                // the router closed on us, or went quiet: both fine
            }
            if (random.nextBoolean()) {
                socket.setSoLinger(true, 0);   // some go away with a reset
            }
        } finally {
            socket.close();
        }
        return sent;
    }

    /** Reads the router's SASL header, mechanisms and outcome, as far as they come in time. */
    private static void awaitSaslOutcome(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        try {
            data.readFully(new byte[8]);
            for (int frame = 0; frame < 2; frame++) {
                int size = data.readInt();
                if (size < 8 || size > 65536) {
                    return;
                }
                data.readFully(new byte[size - 4]);
            }
        } catch (SocketTimeoutException quiet) {
            // no outcome in time: go on, the rest of the conversation is what is tested
        }
    }

    /** Trouble lines, leak records other than protonj2's own (see {@link #LEAK_RECORD}) among them. */
    private static List<String> trouble(String log) {
        List<String> lines = new java.util.ArrayList<>();
        Matcher leak = LEAK_RECORD.matcher(log);
        while (leak.find()) {
            if (!isProtonOwnLeak(leak.group())) {
                lines.add(leak.group());
            }
        }
        Matcher m = TROUBLE.matcher(LEAK_RECORD.matcher(log).replaceAll(""));
        while (m.find()) {
            lines.add(m.group());
        }
        return lines;
    }

    private static long protonOwnLeaks(String log) {
        return LEAK_RECORD.matcher(log).results().filter(r -> isProtonOwnLeak(r.group())).count();
    }

    private static boolean isProtonOwnLeak(String record) {
        return ROUTER_FRAME.matcher(record).results().map(MatchResult::group)
            .allMatch(frame -> frame.equals("io.camelvan.router.amqp.AmqpConnection.channelRead("));
    }

    /** Sends a message to itself through the router over and over, and records the longest wait. */
    private static final class SteadyClient implements AutoCloseable {
        final AtomicLong received = new AtomicLong();
        final AtomicLong maxGapNanos = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Client client = Client.create();
        private final Thread thread;
        private volatile boolean running = true;

        SteadyClient(int port) throws Exception {
            Connection connection = client.connect("127.0.0.1", port);
            Receiver receiver = connection.openReceiver("steady");
            receiver.openFuture().get(10, TimeUnit.SECONDS);
            Sender sender = connection.openSender("steady");
            thread = new Thread(() -> {
                try {
                    long n = 0;
                    while (running) {
                        long start = System.nanoTime();
                        sender.send(Message.create("steady " + n));
                        Delivery delivery = receiver.receive(STEADY_MAX_GAP.toSeconds() * 2, TimeUnit.SECONDS);
                        if (delivery == null) {
                            throw new AssertionError("message " + n + " did not come back");
                        }
                        assertThat((String) delivery.message().body()).isEqualTo("steady " + n);
                        maxGapNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                        received.incrementAndGet();
                        n++;
                    }
                } catch (Throwable e) {
                    if (running) {
                        failure.compareAndSet(null, e);
                    }
                }
            }, "steady-client");
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(10_000);
            client.close();
        }
    }
}
