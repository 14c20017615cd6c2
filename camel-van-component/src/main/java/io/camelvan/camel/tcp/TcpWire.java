package io.camelvan.camel.tcp;

/** Names from docs/wire-protocol.md, "TCP flows". */
final class TcpWire {

    /** The subject of both deliveries of a flow. */
    static final String SUBJECT = "tcp";
    /** Application-property: the site where the flow came in. */
    static final String FLOW_SITE = "van.flow.site";
    /** Application-property: the listener (here: the Camel endpoint) where the flow came in. */
    static final String FLOW_LISTENER = "van.flow.listener";

    private TcpWire() {
    }
}
