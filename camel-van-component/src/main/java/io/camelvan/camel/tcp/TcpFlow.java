package io.camelvan.camel.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.camelvan.camel.VanEndpoint;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.StreamDelivery;
import org.apache.qpid.protonj2.client.StreamReceiver;
import org.apache.qpid.protonj2.client.StreamReceiverOptions;
import org.apache.qpid.protonj2.client.StreamSender;
import org.apache.qpid.protonj2.client.StreamSenderMessage;
import org.apache.qpid.protonj2.client.StreamSenderOptions;
import org.apache.qpid.protonj2.client.exceptions.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of one TCP flow, as a tcpListener would open it: a streaming request delivery to the routing key
 * (our bytes) and a streaming reply delivery to our reply address (the server's bytes). A reader thread cuts the
 * reply into frames. The flow is set up once the reply has begun.
 *
 * <p>The reply address is one of our own ({@code van.tcp.reply.<uuid>}) rather than a dynamic one: protonj2-client
 * can open a streaming receiver only on a named address.
 */
final class TcpFlow implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TcpFlow.class);
    private static final Object END = new Object();
    private static final int QUEUED_FRAMES = 1024;

    private final String flowId;
    private final StreamReceiver replies;
    private final StreamSender sender;
    private final StreamSenderMessage request;
    private final OutputStream out;
    private final BlockingQueue<Object> frames = new ArrayBlockingQueue<>(QUEUED_FRAMES);
    private volatile StreamDelivery reply;
    private volatile boolean broken;

    private TcpFlow(String flowId, StreamReceiver replies, StreamSender sender, StreamSenderMessage request,
                    OutputStream out) {
        this.flowId = flowId;
        this.replies = replies;
        this.sender = sender;
        this.request = request;
        this.out = out;
    }

    /** Opens a flow to the endpoint's key and waits (at most {@code requestTimeout}) until its reply has begun. */
    static TcpFlow open(VanEndpoint endpoint, FrameCodec codec) throws Exception {
        Connection connection = endpoint.routerConnection().connection();
        String key = endpoint.address().key();
        long timeout = endpoint.getRequestTimeout();
        String flowId = UUID.randomUUID().toString();
        String replyAddress = "van.tcp.reply." + flowId;
        StreamReceiver replies = connection.openStreamReceiver(replyAddress,
            new StreamReceiverOptions().creditWindow(1).autoAccept(false));
        StreamSender sender = null;
        try {
            replies.openFuture().get(timeout, TimeUnit.MILLISECONDS);
            sender = connection.openStreamSender(key, new StreamSenderOptions().sendTimeout(timeout));
            StreamSenderMessage request = sender.beginMessage();
            request.messageId(flowId).to(key).replyTo(replyAddress).subject(TcpWire.SUBJECT);
            request.property(TcpWire.FLOW_SITE, endpoint.getCamelContext().getName());
            request.property(TcpWire.FLOW_LISTENER, endpoint.getEndpointBaseUri());
            OutputStream out = request.body();
            // the first transfer carries only the properties: the flow reaches a server before we write
            out.flush();
            TcpFlow flow = new TcpFlow(flowId, replies, sender, request, out);
            StreamDelivery reply = replies.receive(timeout, TimeUnit.MILLISECONDS);
            if (reply == null) {
                throw new TimeoutException("no van:tcp consumer or tcpConnector of '" + key
                    + "' took the flow within " + timeout + " ms");
            }
            flow.startReading(reply, codec);
            return flow;
        } catch (ExecutionException | TimeoutException | ClientException | IOException e) {
            if (sender != null) {
                sender.close();
            }
            replies.close();
            throw e;
        }
    }

    private void startReading(StreamDelivery reply, FrameCodec codec) {
        this.reply = reply;
        Thread reader = new Thread(() -> readFrames(codec), "van-tcp-flow-" + flowId);
        reader.setDaemon(true);
        reader.start();
    }

    private void readFrames(FrameCodec codec) {
        try {
            // blocks until the server's first bytes: the reply's first transfer may hold no body section yet
            InputStream in = reply.message().body();
            Object frame;
            while ((frame = codec.read(in)) != null) {
                if (!frames.offer(frame)) {
                    LOG.debug("flow {}: a reply frame nobody reads was dropped", flowId);
                }
            }
            reply.accept();
        } catch (IOException | ClientException e) {
            broken = true;
            LOG.debug("flow {}: the reply stream failed: {}", flowId, e.getMessage());
        } finally {
            frames.offer(END);
        }
    }

    /** Writes one frame and sends it at once. */
    void write(FrameCodec codec, Object body) throws IOException {
        codec.write(out, body);
        out.flush();
    }

    /**
     * The next reply frame, waiting at most {@code timeoutMillis}.
     *
     * @throws IOException when the server ended the flow or it broke
     * @throws TimeoutException when no frame came in time
     */
    Object read(long timeoutMillis) throws IOException, TimeoutException, InterruptedException {
        Object frame = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (frame == null) {
            throw new TimeoutException("no reply on TCP flow " + flowId + " within " + timeoutMillis + " ms");
        }
        if (frame == END) {
            broken = true;
            frames.offer(END);
            throw new IOException("the server ended TCP flow " + flowId);
        }
        return frame;
    }

    /** Drops reply frames that nobody asked for (the server answered an InOnly exchange). */
    void discardUnread() {
        Object f;
        while ((f = frames.peek()) != null && f != END) {
            frames.poll();
        }
    }

    String id() {
        return flowId;
    }

    boolean isBroken() {
        return broken;
    }

    /** Ends our side (a half-close: the server sees the end of the stream) and closes the links. */
    @Override
    public void close() {
        try {
            if (!request.completed() && !request.aborted()) {
                if (broken) {
                    request.abort();
                } else {
                    out.close();
                }
            }
        } catch (IOException | ClientException e) {
            LOG.debug("flow {}: closing: {}", flowId, e.getMessage());
        }
        sender.close();
        replies.close();
    }
}
