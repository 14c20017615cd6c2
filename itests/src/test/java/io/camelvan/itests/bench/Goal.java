package io.camelvan.itests.bench;

/**
 * A target the router must meet for one figure, stated on the ratio router / baseline
 * (e.g. throughput ratio at least 2.0, p99 latency ratio at most 0.5).
 */
public record Goal(boolean atLeast, double ratio) {

    public static Goal atLeast(double ratio) {
        return new Goal(true, ratio);
    }

    public static Goal atMost(double ratio) {
        return new Goal(false, ratio);
    }

    public boolean isMetBy(double actualRatio) {
        if (Double.isNaN(actualRatio)) {
            return false;
        }
        return atLeast ? actualRatio >= ratio : actualRatio <= ratio;
    }

    @Override
    public String toString() {
        return (atLeast ? ">= " : "<= ") + Format.ratio(ratio);
    }
}
