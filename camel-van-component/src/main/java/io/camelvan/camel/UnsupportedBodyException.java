package io.camelvan.camel;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/** A message body that AMQP cannot carry and that Camel's type converters cannot turn into bytes. */
public class UnsupportedBodyException extends CamelExchangeException {

    private static final long serialVersionUID = 1L;

    /** @param what the offending type (of the body, or of a value inside a map or list body) */
    public UnsupportedBodyException(String endpointUri, Class<?> what, Exchange exchange) {
        super("Cannot send a body of type " + what.getName() + " to " + endpointUri
            + ": an AMQP body is a String, byte[], Map, List or a simple value (number, boolean, char, UUID, Date),"
            + " and Camel has no type converter from it to byte[]; marshal it first (e.g. .marshal().json())",
            exchange);
    }
}
