package io.camelvan.router.adaptor.tcp;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.protonj2.types.messaging.Accepted;
import org.apache.qpid.protonj2.types.messaging.Modified;
import org.apache.qpid.protonj2.types.messaging.Properties;
import org.apache.qpid.protonj2.types.messaging.Released;
import org.apache.qpid.protonj2.types.transport.DeliveryState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.adaptor.ActiveWork;
import io.camelvan.router.adaptor.FlowMeter;
import io.camelvan.router.adaptor.FlowProperties;
import io.camelvan.router.adaptor.MessageHeads;
import io.camelvan.router.adaptor.ReadGate;
import io.camelvan.router.adaptor.ReplyAddress;
import io.camelvan.router.adaptor.RetryBuffer;
import io.camelvan.router.adaptor.ServiceListener;
import io.camelvan.router.adaptor.Sockets;
import io.camelvan.router.adaptor.StreamReceiver;
import io.camelvan.router.adaptor.StreamSender;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.RoutedDelivery;
import io.camelvan.router.management.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * One client connection carried as a TCP flow: a {@link TcpListener}'s, or an HTTP connection
 * upgraded to another protocol. The client's bytes go to the routing key as one
 * streaming delivery (the request), the server's come back as another on a reply address of this
 * router (the reply). Half-closes cross in both directions; a failure on either side resets the
 * other. Until the reply begins, the first bytes are kept so that a flow its connector could not
 * take (released: its server refused) is sent again, to another connector. On the socket's event loop.
 */
public final class TcpListenerFlow extends ChannelInboundHandlerAdapter implements StreamReceiver.Sink, ActiveWork {

    private static final Logger LOG = LoggerFactory.getLogger(TcpListenerFlow.class);
    /** The subject of a TCP flow's messages. */
    public static final String SUBJECT = "tcp";
    /** Sends of one flow at most: each goes to another connector, since one whose server refuses withdraws for a while. */
    private static final int MAX_ATTEMPTS = 5;
    private static final long RETRY_DELAY_MS = 50;
    static final DeliveryState FAILED = new Modified(true, false);

    private final ServiceListener listener;
    private final RouterCore core;
    private final RetryBuffer held = new RetryBuffer();
    private Channel channel;
    private ReadGate gate;
    private ReplyAddress replyAddress;
    private FlowMeter meter;
    private StreamSender request;
    private int attempts;
    private StreamReceiver reply;
    private boolean clientDone;
    private boolean requestSettled;
    private boolean replyWritten;
    private boolean closed;

    /** A flow for a connection: it begins once the connection is active, or when {@link #upgrade} says. */
    public TcpListenerFlow(ServiceListener listener) {
        this.listener = listener;
        this.core = listener.core();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        begin(ctx.channel(), List.of());
        ctx.fireChannelActive();
    }

    /**
     * Begins the flow on a connection that spoke another protocol until now (an HTTP upgrade):
     * {@code first} are the bytes the flow begins with (ownership passes here).
     */
    public void upgrade(Channel upgraded, List<ByteBuf> first) {
        begin(upgraded, first);
    }

    private void begin(Channel active, List<ByteBuf> first) {
        channel = active;
        gate = new ReadGate(channel);
        listener.started(this);
        meter = new FlowMeter(listener, FlowRecord.Protocol.TCP, listener.nextId());
        replyAddress = new ReplyAddress(core, delivery -> channel.eventLoop().execute(() -> replyArrived(delivery)));
        first.forEach(bytes -> meter.fromClient(bytes.readableBytes()));
        first.forEach(held::add);
        first.forEach(ByteBuf::release);
        if (!send()) {
            reset("no consumer of '" + listener.config().routingKey() + "' is reachable", FlowRecord.Outcome.NO_SERVER);
        }
    }

    /** One attempt: the request from its start, with what the client has sent so far. */
    private boolean send() {
        int attempt = ++attempts;
        gate.release(ReadGate.Reason.STREAM);
        request = new StreamSender(core, channel, gate, outcome -> requestOutcome(attempt, outcome));
        Properties properties = new Properties().setMessageId(meter.id()).setTo(listener.config().routingKey())
            .setReplyTo(replyAddress.name()).setSubject(SUBJECT);
        Map<String, Object> applicationProperties = FlowProperties.cameFrom(core, listener.config().name());
        if (!request.start(listener.config().routingKey(),
                MessageHeads.encode(request.allocator(), properties, applicationProperties), false)) {
            return false;
        }
        held.replay().forEach(request::send);
        if (clientDone) {
            request.complete();
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        if (closed || requestSettled || request.isEnded()) {
            bytes.release();
            return;
        }
        meter.fromClient(bytes.readableBytes());
        if (reply == null && !held.add(bytes)) {
            gate.hold(ReadGate.Reason.HELD);
        }
        request.send(bytes);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof ChannelInputShutdownEvent && !closed) {
            clientDone = true;
            request.complete();
            closeWhenDone();
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (reply != null && channel.isWritable()) {
            reply.pump();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] flow {}: client connection failed: {}", core.routerId(), meter.id(), cause.toString());
        reset("the client connection failed", FlowRecord.Outcome.FAILED);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closed) {
            reset("the client went away", FlowRecord.Outcome.FAILED);
        }
    }

    // ----- the request

    private void requestOutcome(int attempt, DeliveryState outcome) {
        if (attempt != attempts || closed) {
            return;
        }
        if (outcome instanceof Released && reply == null) {
            if (attempts < MAX_ATTEMPTS) {
                channel.eventLoop().schedule(this::retry, RETRY_DELAY_MS * attempts, TimeUnit.MILLISECONDS);
            } else {
                reset("no connector of '" + listener.config().routingKey() + "' could reach its server",
                    FlowRecord.Outcome.NO_SERVER);
            }
            return;
        }
        // the other side settled the request: the flow's client-to-server direction is over
        requestSettled = true;
        gate.hold(ReadGate.Reason.DONE);
        if (!(outcome instanceof Accepted) && reply == null) {
            reset("the flow failed before the server answered (" + outcome + ")", FlowRecord.Outcome.FAILED);
        } else {
            closeWhenDone();
        }
    }

    private void retry() {
        if (!closed && !send()) {
            reset("no connector of '" + listener.config().routingKey() + "' could reach its server",
                FlowRecord.Outcome.NO_SERVER);
        }
    }

    // ----- the reply

    private void replyArrived(RoutedDelivery delivery) {
        if (closed || reply != null) {
            delivery.stream().closeReader();
            delivery.finish(Released.getInstance());
            return;
        }
        reply = new StreamReceiver(delivery, channel.eventLoop(), this);
        held.release();
        gate.release(ReadGate.Reason.HELD);
        reply.pump();
    }

    @Override
    public void head(Properties properties, Map<String, Object> applicationProperties) {
        // the flow id is in the correlation-id; the reply address is this flow's alone
        meter.servedBy(FlowProperties.ServedBy.of(applicationProperties));
    }

    @Override
    public void data(ByteBuf bytes) {
        meter.fromServer(bytes.readableBytes());
        channel.write(bytes, channel.voidPromise());
    }

    @Override
    public boolean writable() {
        return channel.isWritable();
    }

    @Override
    public void flush() {
        channel.flush();
    }

    @Override
    public void end() {
        Sockets.shutdownOutputAfterWrites(channel, () -> {
            replyWritten = true;
            reply.settle(Accepted.getInstance());
            closeWhenDone();
        });
    }

    @Override
    public void aborted(String why) {
        reset("the server side ended the flow: " + why, FlowRecord.Outcome.FAILED);
    }

    // ----- the end

    private void closeWhenDone() {
        if (!closed && replyWritten && (clientDone || requestSettled)) {
            closed = true;
            channel.close();
            meter.end(FlowRecord.Outcome.COMPLETED);
            release(Accepted.getInstance());
        }
    }

    /** Ends the flow at once: the client gets a reset and the other side an abort. Also when the listener closes. */
    @Override
    public void abort() {
        channel.eventLoop().execute(() -> reset("the listener closed", FlowRecord.Outcome.FAILED));
    }

    private void reset(String why, FlowRecord.Outcome outcome) {
        if (closed) {
            return;
        }
        LOG.debug("[{}] flow {} reset: {}", core.routerId(), meter.id(), why);
        closed = true;
        Sockets.reset(channel);
        meter.end(outcome);
        release(FAILED);
    }

    private void release(DeliveryState replyOutcome) {
        listener.ended(this);
        if (replyAddress != null) {
            replyAddress.close();
        }
        held.release();
        if (request != null) {
            request.abort();
        }
        if (reply != null) {
            reply.settle(replyOutcome);
        }
    }
}
