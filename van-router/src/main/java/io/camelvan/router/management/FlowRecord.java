package io.camelvan.router.management;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one TCP flow or one HTTP request left behind: where it came in, where it was served, when,
 * for how long, how many bytes went each way and how it ended. Written by the adaptor of the
 * router where the client came in (the listener side), once, when the flow is over.
 *
 * @param id the flow id (the request's {@code message-id})
 * @param sourceSite the site of the listener the client came in by
 * @param sourceRouter the router of that listener
 * @param listener the listener's name
 * @param destinationSite the site of the connector (or {@code van:} consumer) that served it; null when none did
 * @param destinationRouter the router of that connector; null when none served it
 * @param connector the connector's name; null when none served it or it was not a connector
 * @param start when the client connected (TCP) or the request began (HTTP)
 * @param duration until the flow closed (TCP) or the response was complete (HTTP)
 * @param bytesFromClient bytes the client sent (TCP payload; HTTP request body)
 * @param bytesFromServer bytes the server sent back (TCP payload; HTTP response body)
 * @param httpMethod the request method for HTTP; null for TCP
 * @param httpStatus the response status for HTTP (0 when there was no response); 0 for TCP
 * @throws NullPointerException when the id, protocol, routing key, source site, start, duration or outcome is missing
 */
public record FlowRecord(String id, Protocol protocol, String routingKey, String sourceSite, String sourceRouter,
        String listener, String destinationSite, String destinationRouter, String connector, Instant start,
        Duration duration, long bytesFromClient, long bytesFromServer, Outcome outcome, String httpMethod, int httpStatus) {

    public FlowRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(sourceSite, "sourceSite");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** What the flow carried. */
    public enum Protocol {
        TCP, HTTP;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** How the flow ended. */
    public enum Outcome {
        /** ended normally: both sides closed (TCP), or a response was delivered whatever its status (HTTP) */
        COMPLETED,
        /** no connector could take it: none reachable, or none could connect to its server */
        NO_SERVER,
        /** broke part-way: a reset, an aborted stream, a lost router */
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True unless it ended {@link Outcome#COMPLETED}. */
    public boolean failed() {
        return outcome != Outcome.COMPLETED;
    }

    /** The record as management replies and the admin API show it (times in ISO-8601 and milliseconds). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("protocol", protocol.label());
        m.put("routingKey", routingKey);
        m.put("sourceSite", sourceSite);
        m.put("sourceRouter", sourceRouter);
        m.put("listener", listener);
        m.put("destinationSite", destinationSite);
        m.put("destinationRouter", destinationRouter);
        m.put("connector", connector);
        m.put("start", start.toString());
        m.put("startMs", start.toEpochMilli());
        m.put("durationMs", duration.toMillis());
        m.put("bytesFromClient", bytesFromClient);
        m.put("bytesFromServer", bytesFromServer);
        m.put("outcome", outcome.label());
        if (protocol == Protocol.HTTP) {
            m.put("httpMethod", httpMethod);
            m.put("httpStatus", httpStatus);
        }
        return m;
    }
}
