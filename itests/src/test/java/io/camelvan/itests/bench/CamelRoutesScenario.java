package io.camelvan.itests.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.management.OperatingSystemMXBean;
import org.apache.camel.ProducerTemplate;

/**
 * Route-to-route messages per second between two CamelContexts: over the VAN (two embedded routers linked over
 * mutual TLS, {@code van:} endpoints) for the router target, over camel-amqp through the embedded broker for the
 * broker target. {@code senders} threads each call A's route synchronously for {@code seconds}: InOnly (at least
 * once: a send returns once the message is accepted, end to end by B's route for the VAN, by the broker for
 * camel-amqp) or InOut (a send returns with B's reply). Each pair of CamelContexts is started on its first run
 * (the VAN's routers primed with one exchange, outside the timed part) and reused by the scenario's later runs, as
 * long as none fails: after a failed run the VAN pair is started afresh, so that one run's trouble in the mesh
 * cannot spill into the next.
 */
final class CamelRoutesScenario implements Scenario {

    private static final long DRAIN_TIMEOUT_S = 60;
    private static final OperatingSystemMXBean OS =
        (OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final boolean inOut;
    private final int size;
    private final int senders;
    private final int consumers;
    private final double seconds;
    private final double warmUpSeconds;
    private final Path workDir;
    private String vanDescription;
    private String amqpDescription;
    private RoutePair amqp;
    private RoutePair van;

    CamelRoutesScenario(boolean inOut, int size, int senders, int consumers, double seconds, double warmUpSeconds,
                        Path workDir) {
        this.inOut = inOut;
        this.size = size;
        this.senders = senders;
        this.consumers = consumers;
        this.seconds = seconds;
        this.warmUpSeconds = warmUpSeconds;
        this.workDir = workDir;
    }

    @Override
    public String id() {
        return inOut ? "camel-inout" : "camel-inonly";
    }

    @Override
    public String title() {
        return kind() + ", " + senders + " senders";
    }

    /** The title without the load: the same for every sender count. */
    String kind() {
        return "Camel route to route, " + (inOut ? "InOut" : "InOnly at least once") + ", " + Format.bytes(size);
    }

    int senders() {
        return senders;
    }

    @Override
    public String method() {
        return "two CamelContexts in this JVM. router: " + describe(vanDescription) + "; started on the first run"
            + " (primed with one exchange outside the timed part) and reused, afresh after a failed run. broker: "
            + describe(amqpDescription) + "; started on the first run and reused. "
            + senders + " threads call A's direct:" + (inOut ? "inout" : "inonly") + " route synchronously with a "
            + size + "-byte byte[] body for " + seconds + " s (warm-up " + warmUpSeconds + " s); "
            + (inOut ? "a call returns with B's reply (the body echoed)"
                : "a call returns once the message is accepted (VAN: by B's route, end to end; broker: by the broker),"
                    + " and the run also waits until B's route has every message")
            + "; figure = completed exchanges / elapsed time. Also: CPU time of the whole JVM per exchange"
            + " (Camel, clients and the router or broker together).";
    }

    private static String describe(String description) {
        return description == null ? "not run" : description;
    }

    /**
     * Informative at each load: the 2x target is on each path's peak over the loads run (see
     * {@link CamelPeaks}), since a path's messages per second is what it does once busy.
     */
    @Override
    public List<Figure> figures() {
        return List.of(
            Figure.rate("rate", "exchanges/s", "msg/s", null),
            new Figure("cpu", "JVM CPU per exchange", "us", false, null));
    }

    @Override
    public Measurement run(Target target, boolean warmUp) throws Exception {
        if (target instanceof ArtemisTarget) {
            if (amqp == null) {
                amqp = AmqpRoutePair.start(target, consumers, senders);
                amqpDescription = amqp.description();
            }
            return run(target, amqp, warmUp);
        }
        if (van == null) {
            van = VanRoutePair.start(workDir.resolve(id()), consumers);
            vanDescription = van.description();
            // the first exchange waits until the link is up and B's consumer known at A
            van.sender().createProducerTemplate().requestBody(inOut ? "direct:inout" : "direct:inonly", new byte[size]);
        }
        try {
            return run(target, van, warmUp);
        } catch (Exception e) {
            // the next run starts from fresh routers, so one run's trouble cannot spill into the next
            closeVan();
            throw e;
        }
    }

    private Measurement run(Target target, RoutePair pair, boolean warmUp) throws Exception {
        ProducerTemplate template = pair.sender().createProducerTemplate();
        byte[] body = new byte[size];
        String uri = inOut ? "direct:inout" : "direct:inonly";
        long consumedBefore = pair.consumed();
        AtomicLong completed = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long durationNanos = (long) ((warmUp ? warmUpSeconds : seconds) * 1e9);
        CountDownLatch done = new CountDownLatch(senders);
        long cpuBefore = OS.getProcessCpuTime();
        long start = System.nanoTime();
        long deadline = start + durationNanos;
        for (int t = 0; t < senders; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < deadline && failure.get() == null) {
                        if (inOut) {
                            byte[] reply = template.requestBody(uri, body, byte[].class);
                            if (reply == null || reply.length != size) {
                                throw new IllegalStateException("a reply of the wrong size");
                            }
                        } else {
                            template.sendBody(uri, body);
                        }
                        completed.incrementAndGet();
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
            }, "bench-camel-sender-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        if (!done.await((long) (warmUp ? warmUpSeconds : seconds) + DRAIN_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException(target.name() + ": senders still blocked " + DRAIN_TIMEOUT_S + " s after the end");
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        long end = System.nanoTime();
        if (!inOut) {
            long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_TIMEOUT_S);
            while (pair.consumed() - consumedBefore < completed.get()) {
                if (System.nanoTime() > drainDeadline) {
                    throw new IllegalStateException(target.name() + ": B's route got " + (pair.consumed() - consumedBefore)
                        + " of " + completed.get() + " messages");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            end = System.nanoTime();
        }
        double elapsed = (end - start) / 1e9;
        long cpu = OS.getProcessCpuTime() - cpuBefore;
        double rate = completed.get() / elapsed;
        return new Measurement(Map.of("rate", rate, "cpu", cpu / 1e3 / completed.get(), PACE, rate),
            String.format(java.util.Locale.ROOT, "%d exchanges in %.2f s", completed.get(), elapsed));
    }

    /** Stops both pairs: the camel-amqp consumers would otherwise take the next scenario's messages. */
    @Override
    public void close() {
        if (amqp != null) {
            amqp.close();
            amqp = null;
        }
        closeVan();
    }

    private void closeVan() {
        if (van != null) {
            van.close();
            van = null;
        }
    }
}
