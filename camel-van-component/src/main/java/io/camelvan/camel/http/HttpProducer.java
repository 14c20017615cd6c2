package io.camelvan.camel.http;

import java.nio.charset.StandardCharsets;

import io.camelvan.camel.AmqpBodies;
import io.camelvan.camel.MessageTransport;
import io.camelvan.camel.SendingProducer;
import io.camelvan.camel.VanConstants;
import io.camelvan.camel.VanEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;
import org.apache.qpid.protonj2.client.Message;

/**
 * {@code to("van:http:KEY[/path]")}: the exchange becomes an HTTP request to whichever server of KEY the network
 * picks (an httpConnector or a {@code van:http} consumer on any site); the response becomes the message, its status
 * in {@code CamelHttpResponseCode}.
 */
public final class HttpProducer extends SendingProducer {

    public HttpProducer(VanEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    protected MessageTransport transport() {
        return getEndpoint().messageTransport();
    }

    @Override
    protected Message<?> request(Exchange exchange, String messageId) throws Exception {
        org.apache.camel.Message in = exchange.getMessage();
        byte[] body = AmqpBodies.toBytes(exchange, getEndpoint().getEndpointUri());
        String method = in.getHeader(Exchange.HTTP_METHOD, body.length > 0 ? "POST" : "GET", String.class);
        // one data section, empty for no body
        Message<byte[]> message = Message.create(body);
        message.messageId(messageId).to(getEndpoint().address().key()).subject(method.toUpperCase());
        String contentType = in.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            message.contentType(contentType);
        }
        message.property(HttpWire.PATH, path(in));
        message.property(HttpWire.VERSION, "1.1");
        message.property(HttpWire.AUTHORITY, in.getHeader("Host", getEndpoint().address().key(), String.class));
        HttpWire.copyHeaders(exchange, getEndpoint().getHeaderFilterStrategy(), message);
        return message;
    }

    /** The endpoint's path, then {@code CamelHttpPath} below it, then {@code ?CamelHttpQuery}. */
    private String path(org.apache.camel.Message in) {
        String path = getEndpoint().address().path();
        String extra = in.getHeader(Exchange.HTTP_PATH, String.class);
        if (extra != null && !extra.isEmpty()) {
            path = path.endsWith("/") || extra.startsWith("/") ? path + extra : path + "/" + extra;
        }
        if (path.isEmpty()) {
            path = "/";
        }
        String query = in.getHeader(Exchange.HTTP_QUERY, String.class);
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    @Override
    protected boolean expectsReply(Exchange exchange) {
        return true;
    }

    @Override
    protected void onReply(Exchange exchange, Message<?> reply) throws Exception {
        Object statusProperty = reply.property(HttpWire.STATUS);
        int status = statusProperty instanceof Number n ? n.intValue() : Integer.parseInt(reply.subject());
        Object reasonProperty = reply.property(HttpWire.REASON);
        String reason = reasonProperty != null ? reasonProperty.toString() : HttpWire.reason(status);
        byte[] body = HttpWire.body(reply);
        DefaultMessage answer = new DefaultMessage(exchange);
        HttpWire.copyProperties(reply, getEndpoint().getHeaderFilterStrategy(), answer, exchange);
        answer.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        answer.setHeader(Exchange.HTTP_RESPONSE_TEXT, reason);
        if (reply.contentType() != null) {
            answer.setHeader(Exchange.CONTENT_TYPE, reply.contentType());
        }
        answer.setHeader(VanConstants.CORRELATION_ID, String.valueOf(reply.correlationId()));
        answer.setBody(body);
        if (status >= 400 && getEndpoint().isThrowExceptionOnFailure()) {
            throw new VanHttpOperationFailedException(getEndpoint().getEndpointUri(), status, reason,
                answer.getHeaders(), new String(body, StandardCharsets.UTF_8));
        }
        exchange.setMessage(answer);
    }
}
