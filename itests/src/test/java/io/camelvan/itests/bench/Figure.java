package io.camelvan.itests.bench;

/**
 * One number a scenario reports per run, e.g. {@code msgs/s} or {@code p99}. The table shows the
 * median over the measured runs for each target, and the ratio router / baseline.
 *
 * @param key the key in a run's {@link Measurement}
 * @param label what the table calls it
 * @param unit its unit, e.g. {@code msg/s} or {@code us}
 * @param higherIsBetter true for rates, false for latencies
 * @param goal the target on the ratio router / baseline, or null when the figure is informative
 */
public record Figure(String key, String label, String unit, boolean higherIsBetter, Goal goal) {

    public static Figure rate(String key, String label, String unit, Goal goal) {
        return new Figure(key, label, unit, true, goal);
    }

    public static Figure latency(String key, String label, Goal goal) {
        return new Figure(key, label, "us", false, goal);
    }
}
