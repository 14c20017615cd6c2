package io.camelvan.camel.tcp;

import java.io.IOException;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeoutException;

import io.camelvan.camel.UnsupportedBodyException;
import io.camelvan.camel.VanConstants;
import io.camelvan.camel.VanEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to("van:tcp:KEY")}: writes the body as one frame on a TCP flow to KEY and, for InOut, reads one reply
 * frame. Flows are kept open and reused, one exchange at a time each; a flow that failed is closed.
 */
public final class TcpProducer extends DefaultProducer {

    private final VanEndpoint endpoint;
    private final FrameCodec codec;
    private final BlockingDeque<TcpFlow> idle = new LinkedBlockingDeque<>();

    public TcpProducer(VanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.codec = FrameCodec.of(endpoint.getCodec(), endpoint.getMaxFrameLength());
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = exchange.getMessage().getBody();
        Object frame = body == null ? null
            : exchange.getContext().getTypeConverter().tryConvertTo(codec.bodyType(), exchange, body);
        if (frame == null) {
            throw new UnsupportedBodyException(endpoint.getEndpointUri(), body == null ? Void.class : body.getClass(),
                exchange);
        }
        TcpFlow flow = idle.pollFirst();
        if (flow == null) {
            flow = TcpFlow.open(endpoint, codec);
        }
        boolean reusable = false;
        try {
            flow.discardUnread();
            flow.write(codec, frame);
            if (exchange.getPattern().isOutCapable()) {
                Object reply = flow.read(endpoint.getRequestTimeout());
                exchange.getMessage().setBody(reply);
            }
            exchange.getMessage().setHeader(VanConstants.FLOW_ID, flow.id());
            reusable = !flow.isBroken();
        } catch (TimeoutException e) {
            throw new ExchangeTimedOutException(exchange, endpoint.getRequestTimeout(), e.getMessage());
        } catch (IOException e) {
            throw new IOException("TCP flow to '" + endpoint.address().key() + "' failed: " + e.getMessage(), e);
        } finally {
            if (reusable && isRunAllowed()) {
                idle.offerFirst(flow);
            } else {
                flow.close();
            }
        }
    }

    @Override
    protected void doStop() throws Exception {
        TcpFlow flow;
        while ((flow = idle.pollFirst()) != null) {
            flow.close();
        }
        super.doStop();
    }
}
