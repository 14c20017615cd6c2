package io.camelvan.camel;

import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.exceptions.ClientException;

/**
 * How an endpoint's whole messages reach its router: over an AMQP connection ({@link RouterConnection}, any router)
 * or straight into the router embedded in the same CamelContext ({@link InProcessTransport}).
 */
public interface MessageTransport {

    /**
     * A sender to {@code address}.
     *
     * @param settled       pre-settled sends (at most once) rather than sends that wait for their outcome
     * @param timeoutMillis how long a send waits for a consumer of the address to become reachable
     */
    OutgoingLink openSender(String address, boolean settled, long timeoutMillis) throws Exception;

    /** The reply address of request-reply and its correlator, opened on first use. */
    ReplyCorrelator replies() throws Exception;

    /**
     * Sends a reply to its {@code to} address, unsettled, without waiting.
     *
     * @return the send, whose outcome a caller may await or ignore
     */
    OutgoingLink.Sent sendReply(Message<?> reply) throws Exception;

    /** The site of the router, as it announced itself, or null when it did not. */
    String routerSite() throws ClientException;

    /** The id of the router, as it announced itself, or null when it did not. */
    String routerId() throws ClientException;
}
