package io.camelvan.itests;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Samples a router process's memory while a test runs: {@code van_jvm_heap_used_bytes} and
 * {@code van_direct_memory_used_bytes} from {@code /metrics}, and the resident set size from
 * {@code /proc}. Keeps the maximum of each. A sample that fails (the router died, say) is
 * counted and remembered, not thrown: the test asserts on {@link #failures()}.
 */
public final class MemorySampler implements AutoCloseable {

    private final RouterProcess router;
    private final ScheduledExecutorService timer;
    private final AtomicLong maxHeap = new AtomicLong();
    private final AtomicLong maxDirect = new AtomicLong(-1);
    private final AtomicLong maxRss = new AtomicLong();
    private final AtomicInteger samples = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Exception> lastFailure = new AtomicReference<>();

    public MemorySampler(RouterProcess router, Duration period) {
        this.router = router;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "memory-sampler-" + router.name());
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::sample, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes one sample now (also called by the timer). */
    public synchronized void sample() {
        try {
            String metrics = router.metrics();
            maxHeap.accumulateAndGet(value(metrics, "van_jvm_heap_used_bytes"), Math::max);
            maxDirect.accumulateAndGet(value(metrics, "van_direct_memory_used_bytes"), Math::max);
            maxRss.accumulateAndGet(router.rssBytes(), Math::max);
            samples.incrementAndGet();
        } catch (Exception e) {
            failures.incrementAndGet();
            lastFailure.set(e);
        }
    }

    private static long value(String metrics, String name) {
        return RouterProcess.parseMetric(metrics, name)
            .orElseThrow(() -> new IllegalStateException("no " + name + " in /metrics"));
    }

    public long maxHeapBytes() {
        return maxHeap.get();
    }

    /** The largest {@code van_direct_memory_used_bytes} seen; -1 when the router does not know (it reports -1). */
    public long maxDirectBytes() {
        return maxDirect.get();
    }

    public long maxRssBytes() {
        return maxRss.get();
    }

    public int samples() {
        return samples.get();
    }

    public int failures() {
        return failures.get();
    }

    public Exception lastFailure() {
        return lastFailure.get();
    }

    public String summary() {
        String direct = maxDirectBytes() < 0 ? "n/a (reported -1)" : String.format("%.1f MiB", mib(maxDirectBytes()));
        return String.format("%d samples: heap used max %.1f MiB, direct max %s, RSS max %.1f MiB",
            samples(), mib(maxHeapBytes()), direct, mib(maxRssBytes()));
    }

    public static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    /** Stops sampling (waits for a sample in progress). */
    @Override
    public void close() {
        timer.shutdown();   // no interrupt: a sample in progress completes
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
