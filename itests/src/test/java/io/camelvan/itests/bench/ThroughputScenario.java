package io.camelvan.itests.bench;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.ReceiverOptions;
import org.apache.qpid.protonj2.client.Sender;
import org.apache.qpid.protonj2.client.Tracker;

/**
 * Small-message throughput, at least once and acknowledged end to end, with protonj2-client (for
 * comparison with {@link LeanThroughputScenario}, which has the target; see docs/benchmarks.md).
 *
 * <p>One producer and one consumer, each on its own connection. The producer sends unsettled
 * messages of {@code size} bytes (one Data section) for {@code seconds}, keeping at most
 * {@code window} sends in flight: before each send past the window it awaits the settlement of the
 * oldest in-flight tracker. A message counts only when its tracker is settled with Accepted. The
 * consumer auto-accepts ({@code creditWindow} credit). The run ends when every tracker is settled
 * and the consumer has received every message; the figure is accepted messages / elapsed time
 * from the first send to that end.
 */
public final class ThroughputScenario implements Scenario {

    private static final long SETTLE_TIMEOUT_S = 60;

    private final Client client;
    private final int size;
    private final int window;
    private final int creditWindow;
    private final double seconds;
    private final double warmUpSeconds;
    private int runNumber;

    public ThroughputScenario(Client client, int size, int window, int creditWindow, double seconds,
            double warmUpSeconds) {
        this.client = client;
        this.size = size;
        this.window = window;
        this.creditWindow = creditWindow;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
    }

    @Override
    public String id() {
        return "throughput-pj2c";
    }

    @Override
    public String title() {
        return "Throughput, " + Format.bytes(size) + " msgs, acked end to end (protonj2-client)";
    }

    @Override
    public String method() {
        return "protonj2-client 1.1.0; one producer connection and one consumer connection; " + size
            + "-byte binary body (Data section), unsettled sends (at least once); up to " + window
            + " sends in flight (sliding window: the oldest tracker is awaited before a send past the window);"
            + " a message counts when its Tracker is remotely settled Accepted; consumer credit window "
            + creditWindow + ", auto-accept; each run sends for " + seconds + " s (warm-up " + warmUpSeconds
            + " s), then waits for every settlement and for the consumer to have every message;"
            + " figure = accepted messages / (first send .. last settlement or receipt). A fresh address per run."
            + " Also: CPU time of the target's own threads over the run, per accepted message (informative).";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.rate("rate", "msgs/s", "msg/s", null),
            new Figure("cpu", "target CPU per msg", "us", false, null));
    }

    @Override
    public Measurement run(Target target, boolean warmUp) throws Exception {
        String address = "bench.throughput." + target.name() + "." + (++runNumber);
        long durationNanos = (long) ((warmUp ? warmUpSeconds : seconds) * 1e9);
        try (Connection consumerConnection = client.connect(target.host(), target.receivePort());
             Connection producerConnection = client.connect(target.host(), target.port())) {
            Receiver receiver = consumerConnection.openReceiver(address,
                new ReceiverOptions().creditWindow(creditWindow).autoAccept(true));
            receiver.openFuture().get(10, TimeUnit.SECONDS);
            Sender sender = producerConnection.openSender(address);
            sender.openFuture().get(10, TimeUnit.SECONDS);

            AtomicLong expected = new AtomicLong(Long.MAX_VALUE);
            AtomicLong receivedBytes = new AtomicLong();
            CompletableFuture<Long> consumed = CompletableFuture.supplyAsync(() -> consume(receiver, expected,
                receivedBytes), runnable -> {
                    Thread t = new Thread(runnable, "bench-consumer");
                    t.setDaemon(true);
                    t.start();
                });

            byte[] payload = new byte[size];
            ArrayDeque<Tracker> inFlight = new ArrayDeque<>(window + 1);
            long sent = 0;
            long accepted = 0;
            CpuMeter.Usage cpuBefore = CpuMeter.usage(target::ownsThread);
            CpuMeter.Usage clientBefore = CpuMeter.usage(CpuMeter::isClientThread);
            long start = System.nanoTime();
            long deadline = start + durationNanos;
            while (System.nanoTime() < deadline) {
                if (inFlight.size() >= window) {
                    accepted += settle(inFlight.poll());
                }
                inFlight.add(sender.send(Message.create(payload)));
                sent++;
            }
            while (!inFlight.isEmpty()) {
                accepted += settle(inFlight.poll());
            }
            long producerEnd = System.nanoTime();
            expected.set(sent);
            long consumerEnd = consumed.get(SETTLE_TIMEOUT_S, TimeUnit.SECONDS);
            CpuMeter.Usage cpu = CpuMeter.usage(target::ownsThread).minus(cpuBefore);
            CpuMeter.Usage clientCpu = CpuMeter.usage(CpuMeter::isClientThread).minus(clientBefore);
            double elapsed = (Math.max(producerEnd, consumerEnd) - start) / 1e9;
            if (accepted != sent) {
                throw new IllegalStateException(target.name() + ": only " + accepted + " of " + sent
                    + " messages were accepted");
            }
            if (receivedBytes.get() != sent * size) {
                throw new IllegalStateException(target.name() + ": the consumer got " + receivedBytes.get()
                    + " bytes, not " + sent * size);
            }
            double rate = accepted / elapsed;
            return new Measurement(Map.of("rate", rate, "cpu", cpu.totalNanos() / 1e3 / accepted, PACE, rate),
                String.format(java.util.Locale.ROOT,
                    "%d msgs in %.2f s, target CPU %.0f%% in kernel, client CPU per msg %.1f us", accepted,
                    elapsed, 100 * cpu.kernelShare(), clientCpu.totalNanos() / 1e3 / accepted));
        }
    }

    /** 1 when the tracker settles Accepted, else 0. */
    private static long settle(Tracker tracker) throws Exception {
        tracker.awaitSettlement(SETTLE_TIMEOUT_S, TimeUnit.SECONDS);
        return tracker.remoteState() != null && tracker.remoteState().isAccepted() ? 1 : 0;
    }

    /** Receives until {@code expected} messages have come; returns System.nanoTime() at the last one. */
    private static long consume(Receiver receiver, AtomicLong expected, AtomicLong receivedBytes) {
        long received = 0;
        long last = System.nanoTime();
        long idleSince = last;
        try {
            while (received < expected.get()) {
                Delivery delivery = receiver.receive(100, TimeUnit.MILLISECONDS);
                long now = System.nanoTime();
                if (delivery == null) {
                    if (now - idleSince > TimeUnit.SECONDS.toNanos(SETTLE_TIMEOUT_S)) {
                        throw new IllegalStateException("the consumer got nothing for " + SETTLE_TIMEOUT_S
                            + " s after " + received + " messages");
                    }
                    continue;
                }
                Object body = delivery.message().body();
                receivedBytes.addAndGet(((byte[]) body).length);
                received++;
                last = now;
                idleSince = now;
            }
            return last;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
