package io.camelvan.camel;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.qpid.protonj2.client.Message;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps between a Camel message and an AMQP message: headers to and from application-properties (through a
 * {@link HeaderFilterStrategy}), AMQP properties to and from {@code CamelVan*} headers, and the body.
 */
public final class MessageMapper {

    private static final Logger LOG = LoggerFactory.getLogger(MessageMapper.class);

    private final HeaderFilterStrategy filter;

    public MessageMapper(HeaderFilterStrategy filter) {
        this.filter = filter;
    }

    /** The AMQP message for an exchange's message; {@code messageId} is used when the exchange names none. */
    public Message<Object> toAmqp(Exchange exchange, String endpointUri, String messageId) throws Exception {
        org.apache.camel.Message in = exchange.getMessage();
        Message<Object> message = create(AmqpBodies.toAmqp(exchange, endpointUri));
        message.messageId(in.getHeader(VanConstants.MESSAGE_ID, messageId, String.class));
        String correlationId = in.getHeader(VanConstants.CORRELATION_ID, String.class);
        if (correlationId != null) {
            message.correlationId(correlationId);
        }
        String subject = in.getHeader(VanConstants.SUBJECT, String.class);
        if (subject != null) {
            message.subject(subject);
        }
        String contentType = in.getHeader(VanConstants.CONTENT_TYPE, in.getHeader(Exchange.CONTENT_TYPE, String.class),
            String.class);
        if (contentType != null) {
            message.contentType(contentType);
        }
        Long ttl = in.getHeader(VanConstants.TTL, Long.class);
        if (ttl != null && ttl > 0) {
            message.timeToLive(ttl);
        }
        Integer priority = in.getHeader(VanConstants.PRIORITY, Integer.class);
        if (priority != null) {
            message.priority((byte) Math.max(0, Math.min(9, priority)));
        }
        copyHeaders(exchange, message);
        return message;
    }

    /**
     * A message with the body: bytes as a data section (AMQP binary; what qpid-jms makes a BytesMessage of), anything
     * else as an amqp-value. {@code Message.create(Object)} would put bytes in an amqp-value too, where protonj2
     * encodes them as an array of single bytes, one by one.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Message<Object> create(Object body) {
        return body instanceof byte[] bytes ? (Message) Message.create(bytes) : Message.create(body);
    }

    /** Copies headers that pass the filter and that AMQP can carry into application-properties. */
    public void copyHeaders(Exchange exchange, Message<?> message) throws ClientException {
        for (Map.Entry<String, Object> h : exchange.getMessage().getHeaders().entrySet()) {
            if (h.getKey().startsWith("CamelVan") || filter.applyFilterToCamelHeaders(h.getKey(), h.getValue(), exchange)) {
                continue;
            }
            if (AmqpTypes.isSimple(h.getValue())) {
                message.property(h.getKey(), h.getValue());
            } else {
                LOG.debug("header {} not sent: a {} is not an AMQP application-property type", h.getKey(),
                    h.getValue().getClass().getName());
            }
        }
    }

    /** Fills a Camel message (of {@code exchange}) from a received AMQP message. */
    public void fromAmqp(Message<?> message, org.apache.camel.Message in, Exchange exchange) throws ClientException {
        in.setBody(message.body());
        copyProperties(message, in, exchange);
        setIfPresent(in, VanConstants.MESSAGE_ID, message.messageId());
        setIfPresent(in, VanConstants.CORRELATION_ID, message.correlationId());
        setIfPresent(in, VanConstants.SUBJECT, message.subject());
        setIfPresent(in, VanConstants.CONTENT_TYPE, message.contentType());
        setIfPresent(in, VanConstants.TO, message.to());
        setIfPresent(in, VanConstants.REPLY_TO, message.replyTo());
        if (message.timeToLive() > 0) {
            in.setHeader(VanConstants.TTL, message.timeToLive());
        }
        in.setHeader(VanConstants.PRIORITY, (int) message.priority());
        in.setHeader(VanConstants.DELIVERY_COUNT, message.deliveryCount());
    }

    /** Copies application-properties that pass the filter into headers. */
    public void copyProperties(Message<?> message, org.apache.camel.Message in, Exchange exchange) throws ClientException {
        message.forEachProperty((name, value) -> {
            if (!filter.applyFilterToExternalHeaders(name, value, exchange)) {
                in.setHeader(name, value);
            }
        });
    }

    private static void setIfPresent(org.apache.camel.Message in, String header, Object value) {
        if (value != null) {
            in.setHeader(header, value.toString());
        }
    }
}
