package io.camelvan.itests.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One long-lived TCP flow through a {@code tcpListener} to an {@link EchoServer}, kept busy: a
 * writer sends a chunk at a steady pace, a reader checks that every byte comes back, in order and
 * unchanged (byte {@code n} of the flow is {@code n * 31 mod 251}, so a lost, doubled or shifted
 * chunk shows). A reset, an end of stream or a wrong byte is kept as the flow's failure.
 */
final class EchoingFlow implements AutoCloseable {

    private static final int CHUNK = 1024;

    private final Socket socket;
    private final long periodNanos;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final AtomicLong longestSilenceNanos = new AtomicLong();
    private final Thread writer;
    private final Thread reader;
    private volatile boolean running = true;

    /** Opens the flow (it has echoed a line) and starts sending {@code chunksPerSecond} chunks of 1 KiB a second. */
    EchoingFlow(int listenerPort, int chunksPerSecond) throws IOException {
        socket = EchoServer.openFlow(listenerPort, Duration.ofSeconds(10));
        periodNanos = TimeUnit.SECONDS.toNanos(1) / chunksPerSecond;
        writer = new Thread(this::write, "echoing-flow-writer");
        reader = new Thread(this::read, "echoing-flow-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static byte expected(long n) {
        return (byte) (n * 31 % 251);
    }

    private void write() {
        byte[] chunk = new byte[CHUNK];
        long next = System.nanoTime();
        try {
            OutputStream out = socket.getOutputStream();
            while (running && failure.get() == null) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += periodNanos;
                long start = sent.get();
                for (int i = 0; i < CHUNK; i++) {
                    chunk[i] = expected(start + i);
                }
                out.write(chunk);
                out.flush();
                sent.addAndGet(CHUNK);
            }
        } catch (IOException e) {
            fail("writing after " + sent.get() + " bytes: " + e);
        }
    }

    private void read() {
        byte[] buffer = new byte[8192];
        long lastRead = System.nanoTime();
        try {
            InputStream in = socket.getInputStream();
            while (running) {
                int n = in.read(buffer);
                long now = System.nanoTime();
                longestSilenceNanos.accumulateAndGet(now - lastRead, Math::max);
                lastRead = now;
                if (n < 0) {
                    fail("the flow ended (EOF) after " + echoed.get() + " bytes echoed");
                    return;
                }
                long at = echoed.get();
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != expected(at + i)) {
                        fail("byte " + (at + i) + " came back as " + buffer[i] + ", not " + expected(at + i));
                        return;
                    }
                }
                echoed.addAndGet(n);
            }
        } catch (IOException e) {
            if (running) {
                fail("reading after " + echoed.get() + " bytes echoed: " + e);
            }
        }
    }

    private void fail(String why) {
        failure.compareAndSet(null, why);
    }

    long sent() {
        return sent.get();
    }

    long echoed() {
        return echoed.get();
    }

    /** The longest time nothing came back, since the last call, in ms (the flow sends every {@code 1/chunksPerSecond}). */
    long takeLongestSilenceMs() {
        return longestSilenceNanos.getAndSet(0) / 1_000_000;
    }

    /** What went wrong with the flow, or null while it echoes every byte. */
    String failure() {
        return failure.get();
    }

    /**
     * Waits until every byte sent so far has come back (or the flow failed); returns how long that
     * took in ms. Throws if the flow failed or did not catch up within {@code timeout}.
     */
    long awaitEchoed(Duration timeout) {
        long target = sent.get();
        long start = System.nanoTime();
        await("the flow echoes the " + target + " bytes sent so far").atMost(timeout).pollInterval(Duration.ofMillis(20))
            .until(() -> failure.get() != null || echoed.get() >= target);
        if (failure.get() != null) {
            throw new AssertionError("the long-lived flow failed: " + failure.get());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        running = false;
        writer.join(5000);
        socket.close();
        reader.join(5000);
    }
}
