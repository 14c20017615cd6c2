package io.camelvan.router.amqp;

import org.apache.qpid.protonj2.types.Symbol;
import org.apache.qpid.protonj2.types.transport.AmqpError;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.apache.qpid.protonj2.types.transport.LinkError;

/** The AMQP error conditions the router sends, each with a description a user can act on. */
public final class AmqpErrors {

    public static final Symbol ANONYMOUS_RELAY = Symbol.valueOf("ANONYMOUS-RELAY");

    private AmqpErrors() {
    }

    public static ErrorCondition notFound(String description) {
        return new ErrorCondition(AmqpError.NOT_FOUND, description);
    }

    public static ErrorCondition unauthorized(String description) {
        return new ErrorCondition(AmqpError.UNAUTHORIZED_ACCESS, description);
    }

    public static ErrorCondition invalidField(String description) {
        return new ErrorCondition(AmqpError.INVALID_FIELD, description);
    }

    public static ErrorCondition decodeError(String description) {
        return new ErrorCondition(AmqpError.DECODE_ERROR, description);
    }

    public static ErrorCondition messageSizeExceeded(String description) {
        return new ErrorCondition(LinkError.MESSAGE_SIZE_EXCEEDED, description);
    }

    public static ErrorCondition resourceLimitExceeded(String description) {
        return new ErrorCondition(AmqpError.RESOURCE_LIMIT_EXCEEDED, description);
    }
}
