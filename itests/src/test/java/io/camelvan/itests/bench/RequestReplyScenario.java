package io.camelvan.itests.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.client.Sender;

/**
 * Request-reply latency, one request at a time, with protonj2-client (for comparison with
 * {@link LeanRequestReplyScenario}, which has the target; see docs/benchmarks.md).
 *
 * <p>A responder (its own connection) consumes {@code requests} and answers each request with a
 * message of the same size sent through an anonymous sender to the request's {@code reply-to},
 * correlation-id = the request's message-id. The requester (another connection) owns a dynamic
 * receiver for replies and a sender to {@code requests}; it sends a request, waits for its reply,
 * and records the round trip (send call to reply decoded) in an HdrHistogram. Both senders are
 * at least once (unsettled); nobody waits for settlements on the timed path.
 */
public final class RequestReplyScenario implements Scenario {

    private static final String REQUESTS = "requests";

    private final Client client;
    private final int size;
    private final int roundTrips;
    private final int warmUpRoundTrips;
    private final double warmUpSeconds;

    public RequestReplyScenario(Client client, int size, int roundTrips, int warmUpRoundTrips, double warmUpSeconds) {
        this.client = client;
        this.size = size;
        this.roundTrips = roundTrips;
        this.warmUpRoundTrips = warmUpRoundTrips;
        this.warmUpSeconds = warmUpSeconds;
    }

    @Override
    public String id() {
        return "request-reply-pj2c";
    }

    @Override
    public String title() {
        return "Request-reply, " + Format.bytes(size) + ", 1 in flight (protonj2-client)";
    }

    @Override
    public String method() {
        return "protonj2-client 1.1.0; requester connection (dynamic receiver for replies + sender to '"
            + REQUESTS + "') and responder connection (receiver on '" + REQUESTS
            + "' + anonymous sender replying to reply-to); " + size + "-byte bodies both ways, unsettled"
            + " (at least once), auto-accept, default credit; one request outstanding at a time; " + roundTrips
            + " timed round trips per run after " + warmUpRoundTrips
            + " untimed ones on the same connections (a warm-up run does untimed ones for " + warmUpSeconds + " s);"
            + " round trip = send() call to reply received and decoded, recorded in an HdrHistogram (ns,"
            + " 3 significant digits); figures in microseconds. Also: CPU time of the target's own threads"
            + " per timed round trip (informative).";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.latency("p50", "p50", null),
            Figure.latency("p99", "p99", null),
            Figure.latency("p999", "p99.9", null),
            new Figure("cpu", "target CPU per round trip", "us", false, null));
    }

    @Override
    public Measurement run(Target target, boolean warmUp) throws Exception {
        try (Connection responderConnection = client.connect(target.host(), target.receivePort());
             Connection requesterConnection = client.connect(target.host(), target.port())) {
            Receiver requests = responderConnection.openReceiver(REQUESTS);
            requests.openFuture().get(10, TimeUnit.SECONDS);
            Sender replies = responderConnection.openAnonymousSender();
            replies.openFuture().get(10, TimeUnit.SECONDS);

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicReference<Throwable> responderError = new AtomicReference<>();
            Thread responder = new Thread(() -> respond(requests, replies, running, responderError),
                "bench-responder");
            responder.setDaemon(true);
            responder.start();

            try {
                Receiver replyReceiver = requesterConnection.openDynamicReceiver();
                replyReceiver.openFuture().get(10, TimeUnit.SECONDS);
                String replyTo = replyReceiver.address();
                Sender sender = requesterConnection.openSender(REQUESTS);
                sender.openFuture().get(10, TimeUnit.SECONDS);

                byte[] payload = new byte[size];
                Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
                long id = 0;
                if (warmUp) {
                    long begin = System.nanoTime();
                    long end = begin + (long) (warmUpSeconds * 1e9);
                    while (System.nanoTime() < end) {
                        roundTrip(sender, replyReceiver, replyTo, payload, "r" + (id++), responderError);
                    }
                    return new Measurement(Map.of(PACE, id / ((System.nanoTime() - begin) / 1e9)),
                        id + " untimed round trips");
                }
                for (int i = 0; i < warmUpRoundTrips; i++) {
                    roundTrip(sender, replyReceiver, replyTo, payload, "r" + (id++), responderError);
                }
                int timed = roundTrips;
                CpuMeter.Usage cpuBefore = CpuMeter.usage(target::ownsThread);
                CpuMeter.Usage clientBefore = CpuMeter.usage(CpuMeter::isClientThread);
                long start = System.nanoTime();
                for (int i = 0; i < timed; i++) {
                    histogram.recordValue(roundTrip(sender, replyReceiver, replyTo, payload, "r" + (id++),
                        responderError));
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                CpuMeter.Usage cpu = CpuMeter.usage(target::ownsThread).minus(cpuBefore);
                CpuMeter.Usage clientCpu = CpuMeter.usage(CpuMeter::isClientThread).minus(clientBefore);
                Map<String, Double> values = new LinkedHashMap<>();
                values.put("p50", histogram.getValueAtPercentile(50.0) / 1e3);
                values.put("p99", histogram.getValueAtPercentile(99.0) / 1e3);
                values.put("p999", histogram.getValueAtPercentile(99.9) / 1e3);
                values.put("cpu", cpu.totalNanos() / 1e3 / timed);
                return new Measurement(values, String.format(java.util.Locale.ROOT,
                    "%d round trips in %.2f s, mean %.1f us, max %.1f us, target CPU %.0f%% in kernel,"
                        + " client CPU per round trip %.1f us", timed, seconds, histogram.getMean() / 1e3,
                    histogram.getMaxValue() / 1e3, 100 * cpu.kernelShare(),
                    clientCpu.totalNanos() / 1e3 / timed));
            } finally {
                running.set(false);
                responder.join(5_000);
            }
        }
    }

    /** One request and its reply; returns the round trip in nanoseconds. */
    private static long roundTrip(Sender sender, Receiver replyReceiver, String replyTo, byte[] payload,
                                  String messageId, AtomicReference<Throwable> responderError) throws Exception {
        long t0 = System.nanoTime();
        sender.send(Message.create(payload).messageId(messageId).replyTo(replyTo));
        Delivery reply = replyReceiver.receive(10, TimeUnit.SECONDS);
        if (reply == null) {
            Throwable e = responderError.get();
            throw new IllegalStateException("no reply to " + messageId + " within 10 s", e);
        }
        Message<Object> message = reply.message();
        long t1 = System.nanoTime();
        if (!messageId.equals(message.correlationId())) {
            throw new IllegalStateException("reply to " + message.correlationId() + " while waiting for " + messageId);
        }
        return t1 - t0;
    }

    private static void respond(Receiver requests, Sender replies, AtomicBoolean running,
                                AtomicReference<Throwable> error) {
        try {
            while (running.get()) {
                Delivery delivery = requests.receive(100, TimeUnit.MILLISECONDS);
                if (delivery == null) {
                    continue;
                }
                Message<Object> request = delivery.message();
                replies.send(Message.create((byte[]) request.body())
                    .to(request.replyTo())
                    .correlationId(request.messageId()));
            }
        } catch (Throwable e) {
            if (running.get()) {
                error.set(e);
            }
        }
    }
}
