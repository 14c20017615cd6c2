package io.camelvan.camel;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.qpid.protonj2.client.Message;

/**
 * {@code to("van:ADDRESS")}: InOnly sends and waits for the outcome (at least once) unless {@code fireAndForget};
 * InOut is request-reply over the component's dynamic reply address.
 */
final class MessageProducer extends SendingProducer {

    private final MessageMapper mapper;

    MessageProducer(VanEndpoint endpoint) {
        super(endpoint);
        this.mapper = endpoint.messageMapper();
    }

    @Override
    protected MessageTransport transport() {
        return getEndpoint().messageTransport();
    }

    @Override
    protected Message<?> request(Exchange exchange, String messageId) throws Exception {
        return mapper.toAmqp(exchange, getEndpoint().getEndpointUri(), messageId);
    }

    @Override
    protected boolean expectsReply(Exchange exchange) {
        return exchange.getPattern().isOutCapable();
    }

    @Override
    protected void onReply(Exchange exchange, Message<?> reply) throws Exception {
        DefaultMessage answer = new DefaultMessage(exchange);
        mapper.fromAmqp(reply, answer, exchange);
        exchange.setMessage(answer);
    }
}
