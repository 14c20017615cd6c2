package io.camelvan.router.management;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/** Durations counted into fixed buckets, as a Prometheus histogram (cumulative at render time). */
final class LatencyHistogram {

    /** Upper bounds in seconds: 5 ms to 10 s, the range a request across sites falls in. */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    LatencyHistogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(Duration d) {
        double seconds = d.toNanos() / 1e9;
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(d.toNanos());
    }

    /** Observations at or below each bound, then the total count (the {@code +Inf} bucket). */
    long[] cumulative() {
        long[] out = new long[buckets.length];
        long running = 0;
        for (int i = 0; i < buckets.length; i++) {
            running += buckets[i].sum();
            out[i] = running;
        }
        return out;
    }

    double sumSeconds() {
        return sumNanos.sum() / 1e9;
    }
}
