package io.camelvan.router.management;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the Prometheus text format (version 0.0.4): each metric family's HELP and TYPE lines
 * once, then its samples, every sample with the labels common to the router first.
 */
final class PrometheusText {

    private final StringBuilder out = new StringBuilder(8192);
    private final String common;

    /** @param commonLabels labels every sample carries (the router and its site) */
    PrometheusText(Map<String, String> commonLabels) {
        this.common = render(commonLabels);
    }

    /** Starts a metric family. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, Map<String, String> labels, long value) {
        line(name, labels).append(value).append('\n');
        return this;
    }

    PrometheusText sample(String name, Map<String, String> labels, double value) {
        line(name, labels).append(format(value)).append('\n');
        return this;
    }

    /** A family with one sample that has only the common labels. */
    PrometheusText single(String name, String type, String help, long value) {
        return family(name, type, help).sample(name, Map.of(), value);
    }

    private StringBuilder line(String name, Map<String, String> labels) {
        out.append(name).append('{').append(common);
        String extra = render(labels);
        if (!extra.isEmpty()) {
            out.append(',').append(extra);
        }
        return out.append("} ");
    }

    /** Labels in the order given. */
    static Map<String, String> labels(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1] == null ? "" : pairs[i + 1]);
        }
        return m;
    }

    /** The same labels and one more. */
    static Map<String, String> with(Map<String, String> labels, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(labels);
        m.put(name, value);
        return m;
    }

    private static String render(Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        labels.forEach((k, v) -> {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(k).append("=\"").append(escape(v)).append('"');
        });
        return b.toString();
    }

    private static String format(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
