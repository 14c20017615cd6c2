package io.camelvan.camel;

import org.apache.qpid.protonj2.client.Message;

/**
 * How an endpoint's whole messages reach its router: over an AMQP connection ({@link RouterConnection}, any router)
 * or straight into the router embedded in the same CamelContext ({@link InProcessTransport}).
 */
interface MessageTransport {

    /**
     * A sender to {@code address}.
     *
     * @param settled       pre-settled sends (at most once) rather than sends that wait for their outcome
     * @param timeoutMillis how long a send waits for a consumer of the address to become reachable
     */
    OutgoingLink openSender(String address, boolean settled, long timeoutMillis) throws Exception;

    /** The reply address of request-reply and its correlator, opened on first use. */
    ReplyCorrelator replies() throws Exception;

    /** Sends a reply to its {@code to} address, without waiting for its outcome. */
    void sendReply(Message<?> reply) throws Exception;
}
