package io.camelvan.examples.hybridorders;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One reading of a router's {@code /metrics} (Prometheus text) on its admin port. */
final class RouterMetrics {

    /** One sample: metric name, labels, value. */
    record Sample(String metric, Map<String, String> labels, double value) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;

    private RouterMetrics(List<Sample> samples) {
        this.samples = samples;
    }

    /** Reads the metrics of the router whose admin port is {@code adminPort} on loopback. */
    static RouterMetrics read(int adminPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new DemoFailure("GET /metrics on port " + adminPort + " answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (IOException e) {
            throw new DemoFailure("GET /metrics on port " + adminPort + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted");
        }
    }

    static RouterMetrics parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher sample = SAMPLE.matcher(line.trim());
            if (line.startsWith("#") || !sample.matches()) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (sample.group(2) != null) {
                Matcher label = LABEL.matcher(sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
        }
        return new RouterMetrics(samples);
    }

    /** The samples of {@code metric} whose labels include the given name, value pairs. */
    List<Sample> samples(String metric, String... labelPairs) {
        return samples.stream()
            .filter(s -> s.metric().equals(metric))
            .filter(s -> {
                for (int i = 0; i < labelPairs.length; i += 2) {
                    if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                        return false;
                    }
                }
                return true;
            })
            .toList();
    }

    /** The value of the first such sample, or 0 when there is none (a counter not counted yet). */
    long value(String metric, String... labelPairs) {
        List<Sample> found = samples(metric, labelPairs);
        return found.isEmpty() ? 0 : (long) found.get(0).value();
    }
}
