package io.camelvan.camel.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.camelvan.camel.AmqpBodies;
import io.camelvan.camel.FlowServedBy;
import io.camelvan.camel.MessageTransport;
import io.camelvan.camel.OutgoingLink;
import io.camelvan.camel.ReceivedMessage;
import io.camelvan.camel.ReceivingConsumer;
import io.camelvan.camel.VanConstants;
import io.camelvan.camel.VanEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.qpid.protonj2.client.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("van:http:KEY[/path]")}: serves the HTTP requests routed to KEY from anywhere in the network. Each
 * request is an InOut exchange with Camel's HTTP headers; its resulting message is the response (status from
 * {@code CamelHttpResponseCode}, default 200; 500 when the exchange fails). Requests outside {@code /path} get 404.
 * The request message is accepted once the response is sent.
 */
public final class HttpConsumer extends ReceivingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(HttpConsumer.class);

    public HttpConsumer(VanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected MessageTransport transport() {
        return getEndpoint().messageTransport();
    }

    @Override
    protected void onDelivery(ReceivedMessage delivery) throws Exception {
        Message<?> request = delivery.message();
        String replyTo = request.replyTo();
        if (replyTo == null) {
            delivery.reject("amqp:invalid-field", "an HTTP request message needs a reply-to");
            return;
        }
        String target = String.valueOf(request.property(HttpWire.PATH));
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String base = getEndpoint().address().path();
        if (!base.isEmpty() && !(path.equals(base) || path.startsWith(base.endsWith("/") ? base : base + "/"))) {
            respond(request, replyTo, 404, "text/plain", ("no route for " + path).getBytes(StandardCharsets.UTF_8), null);
            delivery.accept();
            return;
        }
        Exchange exchange = createExchange(false);
        try {
            exchange.setPattern(ExchangePattern.InOut);
            org.apache.camel.Message in = exchange.getMessage();
            HttpWire.copyProperties(request, getEndpoint().getHeaderFilterStrategy(), in, exchange);
            in.setHeader(Exchange.HTTP_METHOD, request.subject());
            in.setHeader(Exchange.HTTP_URI, target);
            in.setHeader(Exchange.HTTP_PATH, path.substring(base.length()));
            in.setHeader(Exchange.HTTP_QUERY, q < 0 ? null : target.substring(q + 1));
            in.setHeader(Exchange.HTTP_RAW_QUERY, q < 0 ? null : target.substring(q + 1));
            Object authority = request.property(HttpWire.AUTHORITY);
            if (authority != null) {
                in.setHeader("Host", authority);
            }
            if (request.contentType() != null) {
                in.setHeader(Exchange.CONTENT_TYPE, request.contentType());
            }
            in.setHeader(VanConstants.MESSAGE_ID, String.valueOf(request.messageId()));
            byte[] body = HttpWire.body(request);
            in.setBody(body.length == 0 ? null : body);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                Exception e = exchange.getException();
                getExceptionHandler().handleException("Failed to serve an HTTP request from "
                    + getEndpoint().getEndpointUri() + " (answered 500)", exchange, e);
                respond(request, replyTo, 500, "text/plain",
                    String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8), null);
            } else {
                org.apache.camel.Message out = exchange.getMessage();
                int status = out.getHeader(Exchange.HTTP_RESPONSE_CODE, 200, Integer.class);
                respond(request, replyTo, status, out.getHeader(Exchange.CONTENT_TYPE, String.class),
                    AmqpBodies.toBytes(exchange, getEndpoint().getEndpointUri()), exchange);
            }
            delivery.accept();
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private void respond(Message<?> request, String replyTo, int status, String contentType, byte[] body,
                         Exchange exchange) throws Exception {
        Message<byte[]> response = Message.create(body);
        response.to(replyTo).correlationId(request.messageId()).subject(Integer.toString(status));
        if (contentType != null) {
            response.contentType(contentType);
        }
        response.property(HttpWire.STATUS, status);
        String reason = exchange == null ? null : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_TEXT, String.class);
        response.property(HttpWire.REASON, reason != null ? reason : HttpWire.reason(status));
        if (exchange != null) {
            HttpWire.copyHeaders(exchange, getEndpoint().getHeaderFilterStrategy(), response);
        }
        FlowServedBy.mark(response, transport(), getRouteId());
        OutgoingLink.Settlement settled = transport().sendReply(response)
            .await(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(getEndpoint().getRequestTimeout()));
        if (settled.outcome() != OutgoingLink.Outcome.ACCEPTED) {
            LOG.warn("The HTTP response to {} was not delivered ({}): the client went away", replyTo,
                settled.outcome().name().toLowerCase());
        }
    }
}
