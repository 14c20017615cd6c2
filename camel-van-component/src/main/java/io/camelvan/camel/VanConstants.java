package io.camelvan.camel;

import org.apache.camel.spi.Metadata;

/** Names of the Camel headers the {@code van:} component reads and writes. */
public final class VanConstants {

    @Metadata(description = "The AMQP message-id. Set by the producer when absent; a consumer gets the received one.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelVanMessageId";
    @Metadata(description = "The AMQP correlation-id.", javaType = "String")
    public static final String CORRELATION_ID = "CamelVanCorrelationId";
    @Metadata(description = "The AMQP subject.", javaType = "String")
    public static final String SUBJECT = "CamelVanSubject";
    @Metadata(description = "The AMQP content-type.", javaType = "String")
    public static final String CONTENT_TYPE = "CamelVanContentType";
    @Metadata(description = "The message's time to live in milliseconds (AMQP header ttl).", javaType = "Long")
    public static final String TTL = "CamelVanTtl";
    @Metadata(description = "The AMQP priority, 0 to 9 (4 when absent).", javaType = "Integer")
    public static final String PRIORITY = "CamelVanPriority";
    @Metadata(label = "consumer", description = "The address the message was sent to (AMQP to).", javaType = "String")
    public static final String TO = "CamelVanTo";
    @Metadata(label = "consumer", description = "The address replies go to (AMQP reply-to).", javaType = "String")
    public static final String REPLY_TO = "CamelVanReplyTo";
    @Metadata(label = "consumer", description = "How many times the message was delivered before (AMQP delivery-count).",
              javaType = "Long")
    public static final String DELIVERY_COUNT = "CamelVanDeliveryCount";
    @Metadata(label = "tcp", description = "The id of the TCP flow a frame belongs to.", javaType = "String")
    public static final String FLOW_ID = "CamelVanFlowId";

    private VanConstants() {
    }
}
