package io.camelvan.camel;

import org.apache.camel.Exchange;

/** Turns a Camel body into an AMQP body: kept as it is when AMQP has the type, else converted to bytes. */
public final class AmqpBodies {

    private AmqpBodies() {
    }

    /**
     * The body to send.
     *
     * @throws UnsupportedBodyException when neither AMQP nor a type converter can carry it
     */
    public static Object toAmqp(Exchange exchange, String endpointUri) throws UnsupportedBodyException {
        Object body = exchange.getMessage().getBody();
        if (AmqpTypes.isEncodable(body)) {
            return body;
        }
        // streams, stream caches, files, ByteBuffers, ...: Camel knows how to read them as bytes
        byte[] bytes = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, body);
        if (bytes == null) {
            throw new UnsupportedBodyException(endpointUri, body.getClass(), exchange);
        }
        return bytes;
    }

    /** The body as bytes, for HTTP and TCP, where the wire carries only bytes; empty for no body. */
    public static byte[] toBytes(Exchange exchange, String endpointUri) throws UnsupportedBodyException {
        Object body = exchange.getMessage().getBody();
        if (body == null) {
            return new byte[0];
        }
        byte[] bytes = exchange.getContext().getTypeConverter().tryConvertTo(byte[].class, exchange, body);
        if (bytes == null) {
            throw new UnsupportedBodyException(endpointUri, body.getClass(), exchange);
        }
        return bytes;
    }
}
