package io.camelvan.camel.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.camelvan.camel.FlowServedBy;
import io.camelvan.camel.VanConstants;
import io.camelvan.camel.VanEndpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.apache.qpid.protonj2.client.StreamDelivery;
import org.apache.qpid.protonj2.client.StreamReceiver;
import org.apache.qpid.protonj2.client.StreamReceiverMessage;
import org.apache.qpid.protonj2.client.StreamReceiverOptions;
import org.apache.qpid.protonj2.client.StreamSender;
import org.apache.qpid.protonj2.client.StreamSenderMessage;
import org.apache.qpid.protonj2.client.StreamSenderOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code from("van:tcp:KEY")}: the server side of TCP flows routed to KEY, as a tcpConnector would serve them. Each
 * of {@code concurrentConsumers} threads serves one flow at a time on a streaming receiver of its own that takes
 * credit for one flow only when idle, so the network balances flows over idle servers. The reply begins at once
 * (the flow is set up), each frame of the request is an exchange, and with {@code sync=true} each result is written
 * back framed. The reply completes when the client ends its side; the request is then accepted.
 */
public final class TcpConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConsumer.class);
    private static final long POLL_MILLIS = 200;

    private final VanEndpoint endpoint;
    private final FrameCodec codec;
    private AtomicReferenceArray<StreamReceiver> receivers;
    private ExecutorService threads;
    private volatile boolean serving;

    public TcpConsumer(VanEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.codec = FrameCodec.of(endpoint.getCodec(), endpoint.getMaxFrameLength());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        serving = true;
        int n = endpoint.getConcurrentConsumers();
        receivers = new AtomicReferenceArray<>(n);
        threads = endpoint.getCamelContext().getExecutorServiceManager()
            .newFixedThreadPool(this, "VanTcpConsumer[" + endpoint.address().key() + "]", n);
        for (int i = 0; i < n; i++) {
            int slot = i;
            threads.execute(() -> serve(slot));
        }
    }

    private StreamReceiver openReceiver(int slot) throws ClientException {
        StreamReceiver receiver = endpoint.routerConnection().connection().openStreamReceiver(
            endpoint.address().key(), new StreamReceiverOptions().creditWindow(0).autoAccept(false));
        receivers.set(slot, receiver);
        return receiver;
    }

    private void serve(int slot) {
        StreamReceiver receiver = null;
        boolean credited = false;
        while (serving) {
            try {
                if (receiver == null) {
                    receiver = openReceiver(slot);
                    credited = false;
                }
                if (!credited) {
                    receiver.addCredit(1);
                    credited = true;
                }
                StreamDelivery flow = receiver.receive(POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (flow != null) {
                    credited = false;
                    if (!serveFlow(flow)) {
                        // a flow left midway cannot be settled; detaching the link ends it at the router
                        receiver.close();
                        receiver = null;
                    }
                }
            } catch (ClientException e) {
                if (serving) {
                    LOG.debug("receiving flows for {}: {} (the connection is being recovered)", endpoint.address().key(),
                        e.getMessage());
                    credited = false;
                    pause();
                }
            }
        }
    }

    /** Serves one flow; true when it ended normally and was accepted, false when it was left midway. */
    private boolean serveFlow(StreamDelivery flow) throws ClientException {
        StreamReceiverMessage request = flow.message();
        String flowId = String.valueOf(request.messageId());
        String replyTo = request.replyTo();
        if (replyTo == null) {
            LOG.warn("A TCP flow for {} has no reply-to; it is dropped", endpoint.address().key());
            return false;
        }
        StreamSender replySender = endpoint.routerConnection().connection().openStreamSender(replyTo,
            new StreamSenderOptions().sendTimeout(endpoint.getRequestTimeout()));
        StreamSenderMessage reply = replySender.beginMessage();
        try {
            reply.correlationId(flowId).subject(TcpWire.SUBJECT);
            FlowServedBy.mark(reply, endpoint.routerConnection(), getRouteId());
            OutputStream out = reply.body();
            // the reply's first transfer tells the client side that the flow is set up
            out.flush();
            InputStream in = request.body();
            Object frame;
            while ((frame = codec.read(in)) != null) {
                if (!process(flowId, frame, out)) {
                    reply.abort();
                    return false;
                }
            }
            out.close();
            flow.accept();
            return true;
        } catch (IOException e) {
            // the client's side was aborted (connection reset), or the stop closed the link, or a write failed
            LOG.debug("TCP flow {} for {} ended abnormally: {}", flowId, endpoint.address().key(), e.getMessage());
            if (!reply.aborted() && !reply.completed()) {
                reply.abort();
            }
            return flow.completed() && settle(flow);
        } finally {
            replySender.close();
        }
    }

    private static boolean settle(StreamDelivery flow) throws ClientException {
        if (!flow.settled()) {
            flow.accept();
        }
        return true;
    }

    /** One frame as one exchange; false when it failed (the flow is then reset). */
    private boolean process(String flowId, Object frame, OutputStream out) throws IOException {
        Exchange exchange = createExchange(false);
        try {
            exchange.setPattern(endpoint.isSync() ? ExchangePattern.InOut : ExchangePattern.InOnly);
            exchange.getMessage().setBody(frame);
            exchange.getMessage().setHeader(VanConstants.FLOW_ID, flowId);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Failed to process a frame of TCP flow " + flowId
                    + " from " + endpoint.getEndpointUri() + " (the flow is reset)", exchange, exchange.getException());
                return false;
            }
            Object result = exchange.getMessage().getBody();
            if (endpoint.isSync() && result != null) {
                Object body = exchange.getContext().getTypeConverter().tryConvertTo(codec.bodyType(), exchange, result);
                if (body == null) {
                    getExceptionHandler().handleException(new IOException("cannot write a " + result.getClass().getName()
                        + " on a " + endpoint.getCodec() + " flow: no type converter to " + codec.bodyType().getName()));
                    return false;
                }
                codec.write(out, body);
                out.flush();
            }
            return true;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected void doStop() throws Exception {
        serving = false;
        // closing the links ends the flows: a thread blocked reading one wakes up, finishes its exchange and exits
        for (int i = 0; receivers != null && i < receivers.length(); i++) {
            StreamReceiver r = receivers.getAndSet(i, null);
            if (r != null) {
                r.close();
            }
        }
        if (threads != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(threads);
            threads = null;
        }
        super.doStop();
    }
}
