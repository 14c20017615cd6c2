package io.camelvan.camel;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.qpid.protonj2.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("van:ADDRESS")}: each message is an exchange; accepted when the exchange completes, released on a
 * failure (rejected with {@code rejectOnError}). A message with a reply-to is request-reply: the exchange is InOut
 * and its resulting message goes back to the reply-to before the request is accepted.
 */
final class MessageConsumer extends ReceivingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageConsumer.class);

    private final MessageMapper mapper;

    MessageConsumer(VanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.mapper = endpoint.messageMapper();
    }

    @Override
    protected MessageTransport transport() {
        return getEndpoint().messageTransport();
    }

    @Override
    protected void onDelivery(ReceivedMessage delivery) throws Exception {
        Message<?> message = delivery.message();
        Exchange exchange = createExchange(false);
        try {
            mapper.fromAmqp(message, exchange.getMessage(), exchange);
            String replyTo = message.replyTo();
            if (replyTo != null) {
                exchange.setPattern(ExchangePattern.InOut);
            }
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                // the route's error handler has logged the failure already
                settleQuietly(delivery, getEndpoint().isRejectOnError());
                LOG.debug("a message from {} was {} after a failure", getEndpoint().getEndpointUri(),
                    getEndpoint().isRejectOnError() ? "rejected" : "released");
                return;
            }
            if (replyTo != null) {
                reply(exchange, message, replyTo);
            }
            delivery.accept();
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void reply(Exchange exchange, Message<?> request, String replyTo) throws Exception {
        // as JMS does: the request's correlation-id when it has one, else its message-id
        Object correlation = request.correlationId() != null ? request.correlationId() : request.messageId();
        Message<Object> reply = mapper.toAmqp(exchange, getEndpoint().getEndpointUri(), null);
        reply.messageId(null).to(replyTo).correlationId(correlation);
        // not waiting for the reply's outcome: if the requester went away the work is done all the same, so the
        // request is accepted either way, and the consumer thread moves on a round trip sooner
        transport().sendReply(reply);
    }
}
