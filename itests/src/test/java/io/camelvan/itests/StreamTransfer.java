package io.camelvan.itests;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.OutputStreamOptions;
import org.apache.qpid.protonj2.client.StreamDelivery;
import org.apache.qpid.protonj2.client.StreamReceiver;
import org.apache.qpid.protonj2.client.StreamSenderMessage;

/**
 * One large message streamed with protonj2-client from a producer connection to a consumer
 * connection (as in protonj2's LargeMessageSender and LargeMessageReceiver examples), the consumer
 * reading while the producer writes. Both sides digest the body with SHA-256. Progress of the
 * consumer is watched every 100 ms to find the longest time nothing arrived.
 */
final class StreamTransfer {

    private static final int CHUNK = 256 * 1024;

    /** What happened; {@code completed} is false if the deadline passed first. */
    record Result(boolean completed, long size, long sent, long received, boolean digestsMatch, boolean accepted,
            double seconds, double longestStallSeconds, String failure) {

        double megabytesPerSecond() {
            return received / 1e6 / seconds;
        }

        String describe() {
            return String.format("%s: %d of %d bytes sent, %d received in %.1f s (%.1f MB/s), longest time with"
                    + " nothing received %.1f s, digests %s, outcome %s%s",
                completed ? "completed" : "NOT completed", sent, size, received, seconds, megabytesPerSecond(),
                longestStallSeconds, digestsMatch ? "match" : "differ", accepted ? "accepted" : "not accepted",
                failure == null ? "" : ", failure: " + failure);
        }
    }

    private StreamTransfer() {
    }

    /**
     * Streams {@code size} bytes to {@code address}. Returns at the latest after {@code deadline};
     * on a timeout the caller should close the connections to unblock the two threads.
     */
    static Result run(Connection producer, Connection consumer, String address, int size, Duration deadline)
            throws Exception {
        StreamReceiver receiver = consumer.openStreamReceiver(address);
        receiver.openFuture().get(10, TimeUnit.SECONDS);

        AtomicLong sent = new AtomicLong();
        AtomicLong received = new AtomicLong();
        StallWatch stalls = new StallWatch(received, size);
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "stream-transfer");
            t.setDaemon(true);
            return t;
        });
        long start = System.nanoTime();
        try {
            // the consumer reads while the producer writes: settlement is end to end
            CompletableFuture<byte[]> consumed = CompletableFuture.supplyAsync(() -> consume(receiver, received), pool);
            CompletableFuture<Produced> produced =
                CompletableFuture.supplyAsync(() -> produce(producer, address, size, sent), pool);
            String failure = null;
            boolean completed = false;
            boolean match = false;
            boolean accepted = false;
            try {
                CompletableFuture.allOf(consumed, produced).get(deadline.toMillis(), TimeUnit.MILLISECONDS);
                StreamSenderMessage message = produced.get().message();
                long remaining = Math.max(1000, deadline.toMillis() - (System.nanoTime() - start) / 1_000_000);
                accepted = message.tracker().awaitSettlement(remaining, TimeUnit.MILLISECONDS).remoteState()
                    .isAccepted();
                completed = true;
                match = MessageDigest.isEqual(consumed.get(), produced.get().sha256());
            } catch (TimeoutException e) {
                failure = "deadline of " + deadline.toSeconds() + " s passed";
            } catch (ExecutionException e) {
                failure = String.valueOf(e.getCause());
            } catch (Exception e) {
                failure = e.toString();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(completed, size, sent.get(), received.get(), match, accepted, seconds,
                stalls.longestSeconds(), failure);
        } finally {
            stalls.close();
            pool.shutdownNow();
        }
    }

    private record Produced(StreamSenderMessage message, byte[] sha256) {
    }

    private static Produced produce(Connection producer, String address, int size, AtomicLong sent) {
        try {
            StreamSenderMessage message = producer.openStreamSender(address).beginMessage();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (OutputStream body = message.body(new OutputStreamOptions().bodyLength(size))) {
                byte[] chunk = new byte[CHUNK];
                for (int offset = 0, index = 0; offset < size; offset += CHUNK, index++) {
                    int n = Math.min(CHUNK, size - offset);
                    sha.update(content(chunk, index), 0, n);
                    body.write(chunk, 0, n);
                    sent.addAndGet(n);
                }
            }
            return new Produced(message, sha.digest());
        } catch (Exception e) {
            throw new IllegalStateException("producing failed after " + sent.get() + " bytes: " + e, e);
        }
    }

    private static byte[] consume(StreamReceiver receiver, AtomicLong received) {
        try {
            StreamDelivery delivery = receiver.receive(60, TimeUnit.SECONDS);
            if (delivery == null) {
                throw new IllegalStateException("no delivery within 60 s");
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            try (InputStream body = delivery.message().body()) {
                int n;
                while ((n = body.read(buffer)) != -1) {
                    sha.update(buffer, 0, n);
                    received.addAndGet(n);
                }
            }
            delivery.accept();
            return sha.digest();
        } catch (Exception e) {
            throw new IllegalStateException("consuming failed after " + received.get() + " bytes: " + e, e);
        }
    }

    /**
     * Chunk {@code index} of the body: one random block stamped with its index, so a lost, repeated
     * or reordered chunk changes the digest, without generating 200 MB of random numbers.
     */
    private static byte[] content(byte[] chunk, int index) {
        if (index == 0) {
            new Random(20240601).nextBytes(chunk);
        }
        ByteBuffer.wrap(chunk).putInt(0, index);
        return chunk;
    }

    /** The longest time the received count stood still between the first byte and the last. */
    private static final class StallWatch implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stall-watch");
            t.setDaemon(true);
            return t;
        });
        private final AtomicLong received;
        private final long size;
        private long lastValue = -1;
        private long lastChange = System.nanoTime();
        private volatile long longest;

        StallWatch(AtomicLong received, long size) {
            this.received = received;
            this.size = size;
            timer.scheduleAtFixedRate(this::check, 100, 100, TimeUnit.MILLISECONDS);
        }

        private void check() {
            long now = System.nanoTime();
            long value = received.get();
            if (value != lastValue) {
                lastValue = value;
                lastChange = now;
            } else if (value > 0 && value < size) {
                longest = Math.max(longest, now - lastChange);
            }
        }

        double longestSeconds() {
            return longest / 1e9;
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }
}
