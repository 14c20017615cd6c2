package io.camelvan.router.adaptor.tcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Rejected;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ActiveWork;
import io.camelvan.router.adaptor.FlowProperties;
import io.camelvan.router.adaptor.MessageHeads;
import io.camelvan.router.adaptor.ReadGate;
import io.camelvan.router.adaptor.ReplyRoute;
import io.camelvan.router.adaptor.ServiceConsumer;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.adaptor.StreamReceiver;
import io.camelvan.router.adaptor.StreamSender;
import io.camelvan.router.amqp.AmqpErrors;
import io.camelvan.router.core.RoutedDelivery;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * One flow a connector was given (a {@link TcpConnector}'s, or an HTTP connector's for an upgraded
 * connection): the request's head says where to send the reply; a
 * connection to the server is opened, the request's bytes are written to it as they arrive and the
 * server's bytes go back as the reply, which begins as soon as the connection is up. The request is
 * accepted when the flow ends normally, released when the server could not be reached (nothing was
 * sent anywhere, so the listener may send it again), and modified when the flow failed after that.
 * On one event loop, the server connection's.
 */
public final class TcpConnectorFlow extends ChannelInboundHandlerAdapter
        implements StreamReceiver.Sink, StreamSender.Events, ActiveWork {

    private static final Logger LOG = LoggerFactory.getLogger(TcpConnectorFlow.class);

    private final ServiceConsumer connector;
    private final RoutedDelivery delivery;
    private final EventLoop loop;
    /** Request bytes that arrived before the connection was up. */
    private final List<ByteBuf> early = new ArrayList<>();
    private StreamReceiver request;
    private Object flowId;
    private String replyTo;
    private Channel channel;
    private ReadGate gate;
    private StreamSender reply;
    private boolean connected;
    private boolean requestEnded;
    private boolean requestWritten;
    private boolean serverDone;
    private boolean ended;

    public TcpConnectorFlow(ServiceConsumer connector, RoutedDelivery delivery, EventLoop loop) {
        this.connector = connector;
        this.delivery = delivery;
        this.loop = loop;
    }

    public void start() {
        connector.started(this);
        loop.execute(() -> {
            request = new StreamReceiver(delivery, loop, this);
            request.pump();
        });
    }

    /**
     * Goes on with a flow whose head another reader has read: an HTTP connector's delivery that is
     * an upgraded connection. On {@code receiver}'s event loop, which must be this flow's.
     */
    public void takeOver(StreamReceiver receiver, Properties properties, Map<String, Object> applicationProperties) {
        connector.started(this);
        request = receiver;
        receiver.handOver(this);
        head(properties, applicationProperties);
    }

    // ----- the request, as it arrives

    @Override
    public void head(Properties properties, Map<String, Object> applicationProperties) {
        flowId = properties.getMessageId();
        replyTo = properties.getReplyTo();
        if (replyTo == null) {
            request.settle(new Rejected(AmqpErrors.invalidField("a TCP flow needs a reply-to address")));
            done();
            return;
        }
        String to = replyTo;
        ReplyRoute.await(connector.core(), to, loop, this::connect,
            () -> fail("the reply address " + to + " cannot be reached"));
    }

    /** Connects to the server once the reply can go back: the server's first bytes may come at once. */
    private void connect() {
        if (ended) {
            return;
        }
        ChannelFuture connecting = connector.bootstrap(loop, this)
            .connect(connector.config().host(), connector.config().port());
        channel = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                refused(f.cause());
            }
        });
    }

    @Override
    public void data(ByteBuf bytes) {
        if (ended) {
            bytes.release();
        } else if (connected) {
            channel.write(bytes, channel.voidPromise());
        } else {
            early.add(bytes);
        }
    }

    @Override
    public boolean writable() {
        // read as far as the head before the connection is up, then as fast as the server takes it
        return replyTo == null || (connected && channel.isWritable());
    }

    @Override
    public void flush() {
        if (connected) {
            channel.flush();
        }
    }

    @Override
    public void end() {
        requestEnded = true;
        if (connected) {
            shutdownServerOutput();
        }
    }

    @Override
    public void aborted(String why) {
        fail("the client side ended the flow: " + why);
    }

    private void shutdownServerOutput() {
        Sockets.shutdownOutputAfterWrites(channel, () -> {
            requestWritten = true;
            endWhenDone();
        });
    }

    // ----- the server connection

    private void refused(Throwable cause) {
        if (ended) {
            return;
        }
        LOG.debug("[{}] flow {}: {}:{} refused: {}", connector.core().routerId(), flowId,
            connector.config().host(), connector.config().port(), cause.toString());
        connector.serverRefused(cause);
        // nothing was sent to any server and no reply begun: the listener may send the flow elsewhere
        request.settle(Released.getInstance());
        done();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ended) {
            Sockets.reset(channel);
            return;
        }
        connected = true;
        connector.connected();
        gate = new ReadGate(channel);
        reply = new StreamSender(connector.core(), channel, gate, this);
        Properties properties = new Properties().setCorrelationId(flowId).setSubject(TcpListenerFlow.SUBJECT);
        if (!reply.start(replyTo, MessageHeads.encode(reply.allocator(), properties,
                FlowProperties.servedBy(connector.core(), connector.config().name(), new LinkedHashMap<>())), false)) {
            fail("the reply address " + replyTo + " cannot be reached");
            return;
        }
        early.forEach(bytes -> channel.write(bytes, channel.voidPromise()));
        early.clear();
        channel.flush();
        if (requestEnded) {
            shutdownServerOutput();
        }
        request.pump();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ended) {
            ((ByteBuf) msg).release();
        } else {
            reply.send((ByteBuf) msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && !ended) {
            serverDone = true;
            reply.complete();
            endWhenDone();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && request != null) {
            request.pump();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        serverLost("the server connection failed: " + cause.getMessage());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        serverLost("the server closed the connection");
    }

    /** The server connection is gone: a normal end once the server had finished its side, a failure before. */
    private void serverLost(String why) {
        if (ended) {
            return;
        }
        if (serverDone) {
            // the server closed first and then refused what the client still sent: the flow is over
            request.settle(Accepted.getInstance());
            channel.close();
            done();
        } else {
            fail(why);
        }
    }

    // ----- the reply's outcome

    @Override
    public void outcome(DeliveryState outcome) {
        if (!(outcome instanceof Accepted)) {
            fail("the listener side gave up the reply (" + outcome + ")");
        }
    }

    // ----- the end

    private void endWhenDone() {
        if (!ended && serverDone && requestWritten) {
            channel.close();
            request.settle(Accepted.getInstance());
            done();
        }
    }

    /** Ends the flow at once: the server gets a reset and the listener side an abort. */
    @Override
    public void abort() {
        loop.execute(() -> fail("the connector closed"));
    }

    private void fail(String why) {
        if (ended) {
            return;
        }
        LOG.debug("[{}] flow {} failed: {}", connector.core().routerId(), flowId, why);
        if (channel != null) {
            Sockets.reset(channel);
        }
        if (reply != null) {
            reply.abort();
        }
        if (request != null) {
            request.settle(TcpListenerFlow.FAILED);
        } else {
            delivery.stream().closeReader(); // closed before the flow began to be read
            delivery.finish(TcpListenerFlow.FAILED);
        }
        done();
    }

    private void done() {
        ended = true;
        early.forEach(ByteBuf::release);
        early.clear();
        connector.ended(this);
    }
}
