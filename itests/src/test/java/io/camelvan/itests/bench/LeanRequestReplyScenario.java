package io.camelvan.itests.bench;

import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.engine.IncomingDelivery;
import org.apache.qpid.protonj2.engine.OutgoingDelivery;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Properties;

/**
 * Request-reply latency with the {@link LeanClient}, one request at a time: the same measurement as
 * {@link RequestReplyScenario}, without protonj2-client's cost per message.
 *
 * <p>A responder connection receives on {@code requests} and answers each request with a message
 * of the same body through an anonymous sender to the request's {@code reply-to}, correlation-id =
 * the request's message-id. A requester connection owns a dynamic receiver for replies and a sender
 * to {@code requests}. A round trip runs from just before the request is encoded to the reply
 * decoded and its correlation-id checked. Every message is sent unsettled and accepted by its
 * receiver; nobody waits for a settlement on the timed path.
 */
public final class LeanRequestReplyScenario implements Scenario {

    private static final String REQUESTS = "requests";
    /** Receivers' credit, as protonj2-client's default credit window. */
    private static final int CREDIT = 10;

    private final LeanClient client;
    private final int size;
    private final int roundTrips;
    private final int warmUpRoundTrips;
    private final double warmUpSeconds;

    LeanRequestReplyScenario(LeanClient client, int size, int roundTrips, int warmUpRoundTrips, double warmUpSeconds) {
        this.client = client;
        this.size = size;
        this.roundTrips = roundTrips;
        this.warmUpRoundTrips = warmUpRoundTrips;
        this.warmUpSeconds = warmUpSeconds;
    }

    @Override
    public String id() {
        return "request-reply";
    }

    @Override
    public String title() {
        return "Request-reply, " + Format.bytes(size) + ", 1 in flight";
    }

    @Override
    public String method() {
        return "lean client (protonj2 engine on one Netty event loop, see LeanClient); requester connection"
            + " (dynamic receiver for replies + sender to '" + REQUESTS + "') and responder connection (receiver"
            + " on '" + REQUESTS + "' + anonymous sender replying to reply-to, correlation-id = message-id); "
            + size + "-byte bodies both ways, unsettled (at least once), every message accepted, credit "
            + CREDIT + "; one request outstanding at a time; " + roundTrips + " timed round trips per run after "
            + warmUpRoundTrips + " untimed ones on the same connections (a warm-up run does untimed ones for "
            + warmUpSeconds + " s); round trip = request encoded and sent .. reply received and decoded, recorded in an"
            + " HdrHistogram (ns, 3 significant digits); figures in microseconds. Also: CPU time of the"
            + " target's own threads per timed round trip (informative).";
    }

    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.latency("p50", "p50", null),
            Figure.latency("p99", "p99", Goal.atMost(0.5)),
            Figure.latency("p999", "p99.9", null),
            new Figure("cpu", "target CPU per round trip", "us", false, null));
    }

    @Override
    public Measurement run(Target target, boolean warmUp) throws Exception {
        try (LeanConnection responderConnection = client.connect(target.host(), target.receivePort());
             LeanConnection requesterConnection = client.connect(target.host(), target.port())) {
            Responder responder = new Responder();
            Receiver requests = responderConnection.openReceiver(REQUESTS,
                r -> r.deliveryReadHandler(responder::request));
            responder.replies = responderConnection.openSender(null, s -> {
                s.deliveryStateUpdatedHandler(LeanRequestReplyScenario::settleWhenDone);
                s.creditStateUpdateHandler(l -> responder.drain());
            });
            responderConnection.call(() -> requests.addCredit(CREDIT)).get(10, TimeUnit.SECONDS);

            Requester requester = new Requester();
            Receiver replies = requesterConnection.openReceiver(null, r -> r.deliveryReadHandler(requester::reply));
            requester.sender = requesterConnection.openSender(REQUESTS, s -> {
                s.deliveryStateUpdatedHandler(LeanRequestReplyScenario::settleWhenDone);
                s.creditStateUpdateHandler(l -> requester.sendWhenWaiting());
            });
            requester.replyTo = requesterConnection.call(() -> {
                replies.addCredit(CREDIT);
                return replies.getRemoteSource().getAddress();
            }).get(10, TimeUnit.SECONDS);

            if (warmUp) {
                long begin = System.nanoTime();
                long end = begin + (long) (warmUpSeconds * 1e9);
                int done = 0;
                for (; System.nanoTime() < end; done += 1000) {
                    requester.phase(requesterConnection, 1000, null);
                }
                return new Measurement(Map.of(PACE, done / ((System.nanoTime() - begin) / 1e9)),
                    done + " untimed round trips");
            }
            requester.phase(requesterConnection, warmUpRoundTrips, null);
            Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            CpuMeter.Usage cpuBefore = CpuMeter.usage(target::ownsThread);
            CpuMeter.Usage clientBefore = CpuMeter.usage(CpuMeter::isClientThread);
            long start = System.nanoTime();
            requester.phase(requesterConnection, roundTrips, histogram);
            double seconds = (System.nanoTime() - start) / 1e9;
            CpuMeter.Usage cpu = CpuMeter.usage(target::ownsThread).minus(cpuBefore);
            CpuMeter.Usage clientCpu = CpuMeter.usage(CpuMeter::isClientThread).minus(clientBefore);
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("p50", histogram.getValueAtPercentile(50.0) / 1e3);
            values.put("p99", histogram.getValueAtPercentile(99.0) / 1e3);
            values.put("p999", histogram.getValueAtPercentile(99.9) / 1e3);
            values.put("cpu", cpu.totalNanos() / 1e3 / roundTrips);
            return new Measurement(values, String.format(java.util.Locale.ROOT,
                "%d round trips in %.2f s, mean %.1f us, max %.1f us, target CPU %.0f%% in kernel,"
                    + " client CPU per round trip %.1f us", roundTrips, seconds, histogram.getMean() / 1e3,
                histogram.getMaxValue() / 1e3, 100 * cpu.kernelShare(), clientCpu.totalNanos() / 1e3 / roundTrips));
        }
    }

    private static void settleWhenDone(OutgoingDelivery delivery) {
        if (delivery.isRemotelySettled()) {
            delivery.settle();
        }
    }

    /** Accepts a complete message and keeps the receiver's credit topped up. */
    private static void accept(IncomingDelivery delivery) {
        delivery.disposition(Accepted.getInstance(), true);
        Receiver receiver = delivery.getLink();
        if (receiver.getCredit() <= CREDIT / 2) {
            receiver.addCredit(CREDIT - receiver.getCredit());
        }
    }

    /** Answers requests; on the lean client's event loop. */
    private static final class Responder {
        final LeanMessages messages = new LeanMessages();
        final ArrayDeque<ProtonBuffer> waiting = new ArrayDeque<>();
        Sender replies;

        void request(IncomingDelivery delivery) {
            if (delivery.isPartial()) {
                return;
            }
            LeanMessages.Decoded request = messages.decode(delivery.readAll());
            accept(delivery);
            Properties reply = new Properties();
            reply.setTo(request.properties().getReplyTo());
            reply.setCorrelationId(request.properties().getMessageId());
            waiting.add(messages.encode(reply, request.body()));
            drain();
        }

        void drain() {
            while (!waiting.isEmpty() && replies.isSendable()) {
                replies.next().writeBytes(waiting.poll());
            }
        }
    }

    /** Sends requests one at a time and times them; on the lean client's event loop but for {@link #phase}. */
    private final class Requester {
        final LeanMessages messages = new LeanMessages();
        final byte[] payload = new byte[size];
        Sender sender;
        String replyTo;
        long id;
        String expected;
        long sentAt;
        boolean waitingForCredit;
        int remaining;
        Histogram histogram;
        CompletableFuture<Void> phaseDone;

        /** Runs {@code count} round trips, recording them in {@code histogram} when not null; waits for the last. */
        void phase(LeanConnection connection, int count, Histogram histogram) throws Exception {
            CompletableFuture<Void> done = new CompletableFuture<>();
            connection.call(() -> {
                this.remaining = count;
                this.histogram = histogram;
                this.phaseDone = done;
                sendNext();
                return null;
            });
            done.get(60 + count / 100, TimeUnit.SECONDS);
        }

        void sendNext() {
            if (!sender.isSendable()) {
                waitingForCredit = true;
                return;
            }
            waitingForCredit = false;
            expected = "r" + (++id);
            sentAt = System.nanoTime();
            Properties request = new Properties();
            request.setMessageId(expected);
            request.setReplyTo(replyTo);
            sender.next().writeBytes(messages.encode(request, payload));
        }

        void sendWhenWaiting() {
            if (waitingForCredit) {
                sendNext();
            }
        }

        void reply(IncomingDelivery delivery) {
            if (delivery.isPartial()) {
                return;
            }
            LeanMessages.Decoded reply = messages.decode(delivery.readAll());
            long took = System.nanoTime() - sentAt;
            accept(delivery);
            Object correlation = reply.properties() == null ? null : reply.properties().getCorrelationId();
            if (!expected.equals(correlation)) {
                phaseDone.completeExceptionally(new IllegalStateException("reply to " + correlation
                    + " while waiting for " + expected));
                return;
            }
            if (histogram != null) {
                histogram.recordValue(took);
            }
            if (--remaining == 0) {
                phaseDone.complete(null);
            } else {
                sendNext();
            }
        }
    }
}
