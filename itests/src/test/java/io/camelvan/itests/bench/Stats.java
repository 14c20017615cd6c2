package io.camelvan.itests.bench;

import java.util.Arrays;

/** Small statistics helpers. */
public final class Stats {

    private Stats() {
    }

    /** The median of the values that are not NaN (failed runs); NaN when there are none. */
    public static double median(double[] values) {
        double[] ok = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (ok.length == 0) {
            return Double.NaN;
        }
        int mid = ok.length / 2;
        return ok.length % 2 == 1 ? ok[mid] : (ok[mid - 1] + ok[mid]) / 2;
    }
}
