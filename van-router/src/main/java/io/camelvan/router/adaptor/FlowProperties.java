package io.camelvan.router.adaptor;

import java.util.LinkedHashMap;
import java.util.Map;

import io.camelvan.router.core.RouterCore;

/**
 * The {@code van.flow.*} application-properties (docs/wire-protocol.md, "Where a flow was served"):
 * the listener side says where a flow came in, the connector side says on its reply where it was
 * served, so that the listener's flow record names both ends.
 */
public final class FlowProperties {

    /** The prefix of every flow property; HTTP headers of that name are not carried. */
    public static final String PREFIX = "van.flow.";
    public static final String SITE = PREFIX + "site";
    public static final String ROUTER = PREFIX + "router";
    public static final String LISTENER = PREFIX + "listener";
    public static final String CONNECTOR = PREFIX + "connector";

    /** Where a flow was served, as its reply said; every field null when it did not say. */
    public record ServedBy(String site, String router, String connector) {

        public static final ServedBy UNKNOWN = new ServedBy(null, null, null);

        /** What a reply's application properties say. */
        public static ServedBy of(Map<String, Object> applicationProperties) {
            return new ServedBy(string(applicationProperties.get(SITE)), string(applicationProperties.get(ROUTER)),
                string(applicationProperties.get(CONNECTOR)));
        }

        private static String string(Object value) {
            return value == null ? null : value.toString();
        }
    }

    private FlowProperties() {
    }

    /** What the listener side puts on a flow's request: its site and listener. */
    public static Map<String, Object> cameFrom(RouterCore core, String listener) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(SITE, core.site());
        p.put(LISTENER, listener);
        return p;
    }

    /** Adds what the connector side puts on its reply: its site, router and connector. */
    public static Map<String, Object> servedBy(RouterCore core, String connector, Map<String, Object> applicationProperties) {
        applicationProperties.put(SITE, core.site());
        applicationProperties.put(ROUTER, core.routerId());
        applicationProperties.put(CONNECTOR, connector);
        return applicationProperties;
    }
}
