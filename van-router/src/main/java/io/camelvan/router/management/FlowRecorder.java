package io.camelvan.router.management;

/**
 * Where the TCP and HTTP adaptors report their flows: the flow records and the per routing key and
 * per site-pair flow metrics come from these two calls. The listener side (the router where the
 * client came in) calls them; the connector side does not, so each flow is counted once in the
 * network. Both are cheap and thread-safe, and may be called from any event loop.
 */
public interface FlowRecorder {

    /**
     * A flow began at a listener of this router: a TCP connection was accepted, or an HTTP request
     * was read. It counts as active until its {@link #record}.
     */
    void started(FlowRecord.Protocol protocol, String routingKey);

    /**
     * A flow is over (or never reached a server): its record is kept and counted. Every
     * {@link #started} flow must end with exactly one record, with the same protocol and routing key.
     */
    void record(FlowRecord record);
}
