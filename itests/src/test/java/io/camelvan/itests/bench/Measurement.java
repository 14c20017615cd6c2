package io.camelvan.itests.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one run of a scenario against one target measured: figure values by key, and a short note. */
public record Measurement(Map<String, Double> values, String note) {

    public Measurement {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double get(String key) {
        Double v = values.get(key);
        return v == null ? Double.NaN : v;
    }
}
