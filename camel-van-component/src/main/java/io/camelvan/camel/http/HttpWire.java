package io.camelvan.camel.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.camelvan.camel.FlowServedBy;
import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.apache.qpid.protonj2.types.messaging.AmqpValue;
import org.apache.qpid.protonj2.types.messaging.Data;

/**
 * How an HTTP/1.1 request or response travels as one AMQP message (docs/wire-protocol.md, "HTTP/1.1 requests"):
 * method or status in {@code subject}, pseudo-headers {@code :path}, {@code :version}, {@code :authority},
 * {@code :status}, {@code :reason} and end-to-end headers (lower-case) in application-properties, the body in
 * {@code data} sections.
 */
final class HttpWire {

    static final String PATH = ":path";
    static final String VERSION = ":version";
    static final String AUTHORITY = ":authority";
    static final String STATUS = ":status";
    static final String REASON = ":reason";

    /** Hop-by-hop headers, never carried; and those carried elsewhere (content-type) or implied (content-length). */
    private static final Set<String> NOT_CARRIED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
        "trailer", "upgrade", "host", "content-type", "content-length");

    private static final Map<Integer, String> REASONS = Map.ofEntries(Map.entry(200, "OK"), Map.entry(201, "Created"),
        Map.entry(202, "Accepted"), Map.entry(204, "No Content"), Map.entry(301, "Moved Permanently"),
        Map.entry(302, "Found"), Map.entry(304, "Not Modified"), Map.entry(400, "Bad Request"),
        Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
        Map.entry(405, "Method Not Allowed"), Map.entry(409, "Conflict"), Map.entry(415, "Unsupported Media Type"),
        Map.entry(422, "Unprocessable Content"), Map.entry(429, "Too Many Requests"),
        Map.entry(500, "Internal Server Error"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
        Map.entry(504, "Gateway Timeout"));

    private HttpWire() {
    }

    static String reason(int status) {
        return REASONS.getOrDefault(status, "");
    }

    /** Copies the exchange's end-to-end headers that pass the filter into application-properties, lower-cased. */
    static void copyHeaders(Exchange exchange, HeaderFilterStrategy filter, Message<?> message) throws ClientException {
        for (Map.Entry<String, Object> h : exchange.getMessage().getHeaders().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (h.getValue() == null || NOT_CARRIED.contains(name) || name.startsWith("proxy-") || isFlowProperty(name)
                || filter.applyFilterToCamelHeaders(h.getKey(), h.getValue(), exchange)) {
                continue;
            }
            Object value = h.getValue() instanceof Iterable<?> values ? String.join(", ", strings(values))
                : h.getValue().toString();
            message.property(name, value);
        }
    }

    private static Iterable<String> strings(Iterable<?> values) {
        java.util.List<String> out = new java.util.ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    /** Where a flow came in or was served (for the routers' flow records): not an HTTP header. */
    private static boolean isFlowProperty(String name) {
        return name.startsWith(FlowServedBy.PREFIX);
    }

    /** Copies application-properties that are headers (not pseudo-headers) and pass the filter into the message. */
    static void copyProperties(Message<?> message, HeaderFilterStrategy filter, org.apache.camel.Message target,
                               Exchange exchange) throws ClientException {
        message.forEachProperty((name, value) -> {
            if (!name.startsWith(":") && !isFlowProperty(name) && !filter.applyFilterToExternalHeaders(name, value, exchange)) {
                target.setHeader(name, value);
            }
        });
    }

    /** The body bytes: all data sections, in order (an AMQP value is taken as text or bytes for other peers). */
    static byte[] body(Message<?> message) throws ClientException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.toAdvancedMessage().forEachBodySection(section -> {
            if (section instanceof Data data) {
                byte[] bytes = data.getValue();
                if (bytes != null) {
                    out.writeBytes(bytes);
                }
            } else if (section instanceof AmqpValue<?> value && value.getValue() instanceof byte[] bytes) {
                out.writeBytes(bytes);
            } else if (section instanceof AmqpValue<?> value && value.getValue() != null) {
                out.writeBytes(value.getValue().toString().getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
