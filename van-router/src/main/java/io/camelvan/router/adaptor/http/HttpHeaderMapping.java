package io.camelvan.router.adaptor.http;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.camelvan.router.adaptor.FlowProperties;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * How HTTP headers travel as application properties (docs/wire-protocol.md): end-to-end headers
 * by their lower-case names, the values of a repeated header joined with {@code ", "}; hop-by-hop
 * headers, and those a {@code Connection} header names, stay on their own hop. Entries whose name
 * begins with {@code :} are the message's own ({@code :path}, {@code :status}, ...), not headers, and
 * so are the {@code van.flow.*} ones, which say where a flow came from and was served ({@link FlowProperties}).
 */
final class HttpHeaderMapping {

    static final String PATH = ":path";
    static final String VERSION = ":version";
    static final String AUTHORITY = ":authority";
    static final String STATUS = ":status";
    static final String REASON = ":reason";

    /** Hop-by-hop headers (RFC 9110 7.6.1), plus those the adaptors answer or set themselves. */
    private static final Set<String> NOT_CARRIED = Set.of("connection", "keep-alive", "transfer-encoding", "te",
        "trailer", "upgrade", "http2-settings", "host", "content-type", "expect", "proxy-connection");

    private HttpHeaderMapping() {
    }

    /** The end-to-end headers of a message, added to {@code properties}. */
    static void carry(HttpHeaders headers, Map<String, Object> properties) {
        Set<String> named = connectionOptions(headers);
        for (Map.Entry<String, String> header : headers) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (isNotHeader(name) || named.contains(name)) {
                continue;
            }
            properties.merge(name, header.getValue(), (a, b) -> a + ", " + b);
        }
    }

    /** The headers carried in {@code properties}, set on {@code headers}. */
    static void restore(Map<String, Object> properties, HttpHeaders headers) {
        for (Map.Entry<String, Object> entry : properties.entrySet()) {
            String name = entry.getKey();
            if (name.startsWith(":") || entry.getValue() == null || isNotHeader(name)) {
                continue;
            }
            headers.set(name, entry.getValue().toString());
        }
    }

    private static boolean isNotHeader(String name) {
        return NOT_CARRIED.contains(name) || name.startsWith("proxy-") || name.startsWith(FlowProperties.PREFIX);
    }

    /** The header names listed by {@code Connection}: hop-by-hop for this connection only. */
    private static Set<String> connectionOptions(HttpHeaders headers) {
        List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                names.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** A new map for the application properties of one message, in a stable order. */
    static Map<String, Object> properties() {
        return new LinkedHashMap<>();
    }
}
