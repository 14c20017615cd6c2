package io.camelvan.itests.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.OutgoingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.types.messaging.Accepted;

/**
 * Small-message throughput with the {@link LeanClient}, at least once and acknowledged end to end:
 * the same measurement as {@link ThroughputScenario}, without protonj2-client's cost per message.
 *
 * <p>One producer and one consumer connection. The producer sends unsettled messages of
 * {@code size} bytes (one Data section) for {@code seconds}, keeping at most {@code window} of them
 * unsettled; a message counts when the peer settles it with Accepted. The consumer accepts every
 * message (settled) and keeps {@code creditWindow} credit, topped up when half is used. The run ends
 * when every send is settled and the consumer has every message, checked by size.
 */
public final class LeanThroughputScenario implements Scenario {

    private static final long SETTLE_TIMEOUT_S = 60;

    private final LeanClient client;
    private final int size;
    private final int window;
    private final int creditWindow;
    private final double seconds;
    private final double warmUpSeconds;
    private int runNumber;

    LeanThroughputScenario(LeanClient client, int size, int window, int creditWindow, double seconds,
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
        return "throughput";
    }

    @Override
    public String title() {
        return "Throughput, " + Format.bytes(size) + " msgs, acked end to end";
    }

    @Override
    public String method() {
        return "lean client (protonj2 engine on one Netty event loop, see LeanClient); one producer connection"
            + " and one consumer connection; " + size + "-byte binary body (Data section), unsettled sends (at"
            + " least once); up to " + window + " sends unsettled at a time; a message counts when the peer"
            + " settles it Accepted; consumer credit window " + creditWindow + ", topped up at half, each message"
            + " accepted and settled; each run sends for " + seconds + " s (warm-up " + warmUpSeconds + " s),"
            + " then waits for every settlement and for the consumer to have every message;"
            + " figure = accepted messages / (first send .. last settlement or receipt). A fresh address per run."
            + " Also: CPU time of the target's own threads over the run, per accepted message (informative).";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.rate("rate", "msgs/s", "msg/s", Goal.atLeast(2.0)),
            new Figure("cpu", "target CPU per msg", "us", false, null));
    }

    @Override
    public Measurement run(Target target, boolean warmUp) throws Exception {
        String address = "bench.lean-throughput." + target.name() + "." + (++runNumber);
        long durationNanos = (long) ((warmUp ? warmUpSeconds : seconds) * 1e9);
        Flow flow = new Flow(durationNanos);
        try (LeanConnection consumer = client.connect(target.host(), target.receivePort());
             LeanConnection producer = client.connect(target.host(), target.port())) {
            Receiver receiver = consumer.openReceiver(address, r -> r.deliveryReadHandler(flow::received));
            consumer.call(() -> receiver.addCredit(creditWindow)).get(10, TimeUnit.SECONDS);
            Sender sender = producer.openSender(address, s -> {
                s.deliveryStateUpdatedHandler(flow::settled);
                s.creditStateUpdateHandler(l -> flow.pump());
            });
            flow.sender = sender;

            CpuMeter.Usage cpuBefore = CpuMeter.usage(target::ownsThread);
            CpuMeter.Usage clientBefore = CpuMeter.usage(CpuMeter::isClientThread);
            producer.call(flow::start);
            long end = flow.done.get(SETTLE_TIMEOUT_S + (long) seconds, TimeUnit.SECONDS);
            CpuMeter.Usage cpu = CpuMeter.usage(target::ownsThread).minus(cpuBefore);
            CpuMeter.Usage clientCpu = CpuMeter.usage(CpuMeter::isClientThread).minus(clientBefore);
            double elapsed = (end - flow.start) / 1e9;
            if (flow.accepted != flow.sent) {
                throw new IllegalStateException(target.name() + ": only " + flow.accepted + " of " + flow.sent
                    + " messages were accepted");
            }
            if (flow.receivedBytes != flow.sent * size) {
                throw new IllegalStateException(target.name() + ": the consumer got " + flow.receivedBytes
                    + " bytes, not " + flow.sent * size);
            }
            return new Measurement(Map.of("rate", flow.accepted / elapsed, "cpu", cpu.totalNanos() / 1e3 / flow.accepted,
                    PACE, flow.accepted / elapsed),
                String.format(java.util.Locale.ROOT,
                    "%d msgs in %.2f s, target CPU %.0f%% in kernel, client CPU per msg %.1f us", flow.accepted,
                    elapsed, 100 * cpu.kernelShare(), clientCpu.totalNanos() / 1e3 / flow.accepted));
        }
    }

    /** One run's traffic. Every method runs on the lean client's event loop; the fields are read after {@link #done}. */
    private final class Flow {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        final LeanMessages messages = new LeanMessages();
        final ProtonBuffer encoded = messages.encode(null, new byte[size]);
        final long durationNanos;
        Sender sender;
        boolean sending;
        long start;
        long deadline;
        long sent;
        long settled;
        long accepted;
        long received;
        long receivedBytes;

        Flow(long durationNanos) {
            this.durationNanos = durationNanos;
        }

        Void start() {
            start = System.nanoTime();
            deadline = start + durationNanos;
            sending = true;
            // ends the run even if no settlement comes to call pump() after the deadline
            client.loop().schedule(this::pump, durationNanos, TimeUnit.NANOSECONDS);
            pump();
            return null;
        }

        void pump() {
            while (sending && sent - settled < window && sender.isSendable()) {
                if (System.nanoTime() >= deadline) {
                    sending = false;
                    break;
                }
                OutgoingDelivery delivery = sender.next();
                delivery.writeBytes(encoded.copy(encoded.getReadOffset(), encoded.getReadableBytes(), true));
                sent++;
            }
            if (sending && System.nanoTime() >= deadline) {
                sending = false;
            }
            checkDone();
        }

        void settled(OutgoingDelivery delivery) {
            if (!delivery.isRemotelySettled()) {
                return;
            }
            settled++;
            if (delivery.getRemoteState() instanceof Accepted) {
                accepted++;
            }
            delivery.settle();
            pump();
        }

        void received(IncomingDelivery delivery) {
            if (delivery.isPartial()) {
                return; // protonj2 keeps the bytes until the last frame
            }
            receivedBytes += messages.decode(delivery.readAll()).body().length;
            delivery.disposition(Accepted.getInstance(), true);
            received++;
            Receiver receiver = delivery.getLink();
            int credit = receiver.getCredit();
            if (credit <= creditWindow / 2) {
                receiver.addCredit(creditWindow - credit);
            }
            checkDone();
        }

        void checkDone() {
            if (!sending && start != 0 && settled == sent && received == sent) {
                done.complete(System.nanoTime());
            }
        }
    }
}
