package io.camelvan.router.amqp;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.netty.Netty4ProtonBufferAllocator;
import org.apache.qpid.protonj2.buffer.netty.Netty4ToProtonBufferAdapter;
import org.apache.qpid.protonj2.codec.DecodeException;
import org.apache.qpid.protonj2.engine.Connection;
import org.apache.qpid.protonj2.engine.Engine;
import org.apache.qpid.protonj2.engine.EngineFactory;
import org.apache.qpid.protonj2.engine.EngineHandler;
import org.apache.qpid.protonj2.engine.EngineHandlerContext;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.exceptions.EngineFailedException;
import org.apache.qpid.protonj2.engine.exceptions.EngineStateException;
import org.apache.qpid.protonj2.engine.exceptions.FrameDecodingException;
import org.apache.qpid.protonj2.types.transport.AmqpError;
import org.apache.qpid.protonj2.types.transport.ConnectionError;
import org.apache.qpid.protonj2.types.transport.ErrorCondition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.core.Consumer;
import io.camelvan.router.core.PeerTraffic;
import io.camelvan.router.core.RouterCore;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * One AMQP connection of the router, accepted or dialled: a Netty handler that owns a protonj2
 * {@link Engine}. The engine, its sessions and links are touched only on this channel's event
 * loop; other loops reach them through {@link #execute} and {@link #later}. Connections to other
 * routers hand their links to the mesh ({@link PeerConnector}) once both sides have said who they are.
 */
public final class AmqpConnection extends ChannelInboundHandlerAdapter {

    private volatile long lastReadMillis = System.currentTimeMillis();
    private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);
    /** AMQP's smallest max-frame-size (MIN-MAX-FRAME-SIZE, 2.7.1): a peer may not ask for smaller frames. */
    static final long MIN_MAX_FRAME_SIZE = 512;
    /** Room an attach takes in a frame besides its name and addresses (handle, role, modes, terminus fields). */
    private static final int ATTACH_OVERHEAD = 256;

    /**
     * Bytes each session may hold unread: the session window. It bounds what a paused stream can
     * pile up per session, and is large enough that small messages rarely wait for a window update.
     */
    static final int SESSION_CAPACITY = 4 << 20;

    /** How SASL is done on a connection: answered as a server, or offered as a client. */
    @FunctionalInterface
    public interface SaslSetup {
        void install(Engine engine, AmqpConnection connection);
    }

    private final RouterCore core;
    private final ConnectionSettings settings;
    private final SaslSetup sasl;
    private final PeerConnector peers;
    private final Set<OutboundLink> outboundLinks = new LinkedHashSet<>();
    /** True while {@link #resumeHeldUp} has protonj2 call the links back. */
    private boolean resuming;
    private final Set<InboundLink> inboundLinks = new LinkedHashSet<>();
    private final Runnable flushTask = this::flushNow;
    private final TaskInbox inbox = new TaskInbox(this::eventLoop, this::flushNow);
    private final DispositionRanges dispositionRanges = new DispositionRanges();

    private Channel channel;
    private EventLoop loop;
    private Engine engine;
    private Connection connection;
    private Netty4ProtonBufferAllocator allocator;
    private PeerConnector.PeerSession peerSession;
    private volatile PeerInfo peerInfo;
    /** The counters of the router at the other end; null on client connections. */
    private volatile PeerTraffic peerTraffic;
    /** Dropped because the peer's frames are too small for what we would answer: nothing more is answered. */
    private boolean dropped;
    private boolean flushScheduled;
    private boolean closed;
    private String peer;
    private String identity = "anonymous";

    /**
     * @param sasl how SASL is done, or null when the client chose to skip it
     * @param peers the mesh, for inter-router and edge connections
     */
    public AmqpConnection(RouterCore core, ConnectionSettings settings, SaslSetup sasl, PeerConnector peers) {
        this.core = core;
        this.settings = settings;
        this.sasl = sasl;
        this.peers = peers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // a dialled connection: the engine starts once the socket is connected
        if (engine == null) {
            start(ctx);
        }
        ctx.fireChannelActive();
    }

    private void start(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        loop = channel.eventLoop();
        peer = String.valueOf(channel.remoteAddress());
        allocator = new Netty4ProtonBufferAllocator(channel.alloc());
        engine = sasl != null ? EngineFactory.PROTON.createEngine() : EngineFactory.PROTON.createNonSaslEngine();
        engine.configuration().setBufferAllocator(allocator);
        engine.configuration().setTraceFrames(LOG.isTraceEnabled());
        engine.outputHandler(this::write);
        engine.errorHandler(failed -> onEngineFailed(failed.failureCause()));
        engine.pipeline().addFirst("van-framing-errors", new FramingErrorReporter());
        engine.pipeline().addFirst("van-disposition-ranges", dispositionRanges);
        if (sasl != null) {
            sasl.install(engine, this);
        }
        connection = engine.start();
        connection.setContainerId(core.routerId())
            .setMaxFrameSize(settings.maxFrameSize())
            .setChannelMax(settings.maxSessions() - 1)
            .setIdleTimeout(settings.idleTimeout().toMillis())
            .setOfferedCapabilities(AmqpErrors.ANONYMOUS_RELAY);
        connection.setProperties(settings.isPeer() ? PeerInfo.ownProperties(core, settings.cost()) : PeerInfo.identity(core));
        connection.openHandler(this::onRemoteOpen)
            .closeHandler(c -> onRemoteClose())
            .sessionOpenHandler(this::onSessionOpen)
            .senderOpenHandler(this::onSenderOpen)
            .receiverOpenHandler(this::onReceiverOpen);
        core.metrics().connectionsOpened.increment();
        core.metrics().connectionsActive.increment();
        if (settings.outgoing()) {
            connection.open();
            flushNow();
        }
        LOG.debug("[{}] connection {} {} ({})", core.routerId(), settings.outgoing() ? "to" : "from", peer, settings.name());
    }

    /** When bytes last came in (wall clock ms): a peer whose hellos queue behind bulk data is still alive. */
    public long lastReadMillis() {
        return lastReadMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadMillis = System.currentTimeMillis();
        // read-only input lets protonj2 keep retained slices of it as payload instead of copying
        try (ProtonBuffer input = allocator.wrap((ByteBuf) msg).convertToReadOnly()) {
            PeerTraffic traffic = peerTraffic;
            if (traffic != null) {
                traffic.bytesIn(input.getReadableBytes());
            }
            while (input.isReadable() && engine.isWritable()) {
                engine.ingest(input);
            }
        } catch (EngineStateException e) {
            // the engine has already failed and told the peer why (onEngineFailed)
            LOG.debug("[{}] input from {} after failure: {}", core.routerId(), peer, e.getMessage());
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushNow();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable()) {
            for (OutboundLink link : new ArrayList<>(outboundLinks)) {
                link.pump();
            }
            // not inside a read: nothing else will flush what the links just wrote
            scheduleFlush();
        }
    }

    /**
     * Wakes the links of {@code session} (but {@code except}) that found its window shut. protonj2
     * 1.1.0 re-evaluates a sender only when a flow names that very link or names no link, and a
     * sender that once saw the window shut stays unsendable until then; a peer reopens its window
     * with a flow naming whichever link it last read from, so the session's other senders would
     * wait for good. Setting the session's outgoing capacity to zero and back makes protonj2
     * re-evaluate every sender of the session and tell those that can send again.
     */
    void resumeHeldUp(Session session, OutboundLink except) {
        if (resuming) {
            return; // already waking them all: the link calling back is one of them
        }
        for (OutboundLink link : outboundLinks) {
            if (link != except && link.session() == session && link.isHeldUpByWindow()) {
                resuming = true;
                try {
                    int capacity = session.getOutgoingCapacity();
                    session.setOutgoingCapacity(0);
                    session.setOutgoingCapacity(capacity);
                } finally {
                    resuming = false;
                }
                return;
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (engine != null) {
            if (!engine.isShutdown()) {
                engine.shutdown();
            }
            releaseEverything();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            Throwable root = handshake.cause();
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            core.metrics().tlsFailures.increment();
            LOG.warn("[{}] TLS with {} ({}) failed: {}", core.routerId(), peer, settings.name(), root.getMessage());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof io.netty.handler.codec.DecoderException d && d.getCause() instanceof javax.net.ssl.SSLException)) {
            LOG.info("[{}] connection {} {} failed: {}", core.routerId(), settings.outgoing() ? "to" : "from", peer,
                cause.getMessage());
        }
        LOG.debug("failure detail", cause);
        ctx.close();
    }

    /**
     * Whether a performative of {@code needed} bytes fits the peer's frames; if not, the socket is
     * dropped at once (no close frame: it would not fit either). protonj2 1.1.0 allocates a pooled
     * buffer for each performative and loses it when the encoding outgrows the peer's
     * max-frame-size, so a peer announcing tiny frames, or attaching with names and addresses
     * longer than its own frames, would otherwise leak router memory with every attempt (found by
     * the AMQP fuzzer of the abuse suite).
     */
    private boolean fitsPeerFrames(long needed, String what) {
        long max = connection.getRemoteMaxFrameSize();
        if (max >= needed && !dropped) {
            return true;
        }
        if (!dropped) {
            dropped = true;
            core.metrics().connectionsRefused.increment();
            LOG.info("[{}] dropped connection from {} on '{}': {} does not fit its max-frame-size of {} bytes",
                core.routerId(), peer, settings.name(), what, max);
            channel.close();
        }
        return false;
    }

    private static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    /** The bytes our answer to an attach needs besides its fixed fields: the name and both addresses echoed. */
    private static long attachSize(org.apache.qpid.protonj2.engine.Link<?> link) {
        org.apache.qpid.protonj2.types.messaging.Source source = link.getRemoteSource();
        Object target = link.getRemoteTarget();
        String targetAddress = target instanceof org.apache.qpid.protonj2.types.messaging.Target t ? t.getAddress() : null;
        return ATTACH_OVERHEAD + utf8Length(link.getName()) + utf8Length(source == null ? null : source.getAddress())
            + utf8Length(targetAddress);
    }

    private void onRemoteOpen(Connection c) {
        if (!fitsPeerFrames(MIN_MAX_FRAME_SIZE, "AMQP's smallest frame (" + MIN_MAX_FRAME_SIZE + " bytes)")) {
            return;
        }
        if (settings.isPeer()) {
            try {
                peerInfo = PeerInfo.from(c.getRemoteProperties(), settings.cost());
                if (!settings.outgoing()) {
                    c.setProperties(PeerInfo.ownProperties(core, peerInfo.cost()));
                    c.open();
                }
                // counted from before the mesh sees the connection, so its first deliveries are counted too
                PeerTraffic traffic = core.peerTraffic(peerInfo.routerId());
                peerTraffic = traffic;
                peerSession = peers.opened(this, peerInfo);
                traffic.connected(peerInfo.site(), peerInfo.cost());
            } catch (IllegalArgumentException | IllegalStateException e) {
                PeerTraffic refused = peerTraffic;
                if (refused != null && refused.connectionsUp() == 0) {
                    core.peerTraffic().remove(peerInfo.routerId(), refused); // never a peer: no counters for it
                }
                peerTraffic = null;
                LOG.warn("[{}] refused router connection from {} on '{}': {}", core.routerId(), peer, settings.name(),
                    e.getMessage());
                core.metrics().connectionsRefused.increment();
                c.setCondition(new ErrorCondition(AmqpError.UNAUTHORIZED_ACCESS, e.getMessage()));
                if (!c.isLocallyOpen()) {
                    c.open();
                }
                close();
                return;
            }
        } else {
            c.open();
        }
        c.tickAuto(loop);
        LOG.info("[{}] AMQP connection {} {} ({} '{}', {}) on '{}'", core.routerId(),
            settings.outgoing() ? "to" : "from", peer, peerInfo != null ? "router" : "container",
            peerInfo != null ? peerInfo.routerId() : c.getRemoteContainerId(), "identity " + identity, settings.name());
    }

    private void onRemoteClose() {
        ErrorCondition error = connection.getRemoteCondition();
        if (error != null) {
            LOG.info("[{}] {} closed the connection: {} {}", core.routerId(), peer, error.getCondition(),
                error.getDescription());
        }
        close();
    }

    private void onSessionOpen(Session session) {
        if (dropped) {
            return;
        }
        UnsettledOncePerDelivery.install(session);
        session.setIncomingCapacity(SESSION_CAPACITY);
        session.closeHandler(this::onRemoteSessionEnd);
        session.open();
    }

    /** The peer ended a session: its links go as if detached, and the end is answered. */
    private void onRemoteSessionEnd(Session session) {
        for (OutboundLink link : new ArrayList<>(outboundLinks)) {
            if (link.session() == session) {
                link.connectionLost();
            }
        }
        for (InboundLink link : new ArrayList<>(inboundLinks)) {
            if (link.session() == session) {
                link.connectionLost();
            }
        }
        if (session.isLocallyOpen()) {
            session.close();
        }
    }

    /** The peer attaches a link to receive from us. */
    private void onSenderOpen(Sender sender) {
        if (!fitsPeerFrames(attachSize(sender), "the answer to attach '" + abbreviated(sender.getName()) + "'")) {
            return;
        }
        if (peerSession != null) {
            peerSession.senderOpened(sender);
        } else {
            OutboundLink.attach(this, sender);
        }
    }

    /** The peer attaches a link to send to us. */
    private void onReceiverOpen(Receiver receiver) {
        if (!fitsPeerFrames(attachSize(receiver), "the answer to attach '" + abbreviated(receiver.getName()) + "'")) {
            return;
        }
        if (peerSession != null) {
            peerSession.receiverOpened(receiver);
        } else {
            InboundLink.attach(this, receiver);
        }
    }

    /**
     * Names the AMQP error a peer gets for bytes the engine could not decode: protonj2 would
     * otherwise close with a generic internal-error. Ahead of protonj2's handlers, it also ends
     * the engine-state-changed event: no protonj2 handler uses it, and in protonj2 1.1.0 it would
     * otherwise reach the pipeline's tail, whose next context is itself, and recurse until a
     * StackOverflowError, once per connection closed (tens of milliseconds of an event loop each:
     * 10,000 clients leaving at once held the router for minutes).
     */
    private final class FramingErrorReporter implements EngineHandler {
        @Override
        public void handleEngineStateChanged(EngineHandlerContext context) {
            // ends here, see above
        }

        @Override
        public void engineFailed(EngineHandlerContext context, EngineFailedException failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (connection.getCondition() == null && (cause instanceof FrameDecodingException
                        || cause instanceof DecodeException || cause instanceof ClassCastException)) {
                    connection.setCondition(new ErrorCondition(ConnectionError.FRAMING_ERROR,
                        "malformed frame: " + cause.getMessage()));
                }
            }
            context.fireFailed(failure);
        }
    }

    private void onEngineFailed(Throwable cause) {
        LOG.info("[{}] closing connection {} {}: {}", core.routerId(), settings.outgoing() ? "to" : "from", peer,
            cause.getMessage());
        // protonj2 has written a Close carrying the error; let it reach the peer before the socket goes
        flushNow();
        channel.close();
    }

    /** Closes the socket once what has been written (a SASL outcome, say) has gone out. */
    void closeAfterFlush() {
        execute(() -> channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> channel.close()));
    }

    /** Closes the AMQP connection from our side, then the socket. Call on the event loop. */
    public void close() {
        if (connection.isLocallyOpen()) {
            connection.close();
        }
        flushNow();
        channel.close();
    }

    /** Closes the connection with an error the peer is told, from any thread. */
    public void close(ErrorCondition error) {
        execute(() -> {
            if (connection.isLocallyOpen() && connection.getCondition() == null) {
                connection.setCondition(error);
            }
            close();
        });
    }

    // ----- link registry, for writability and teardown

    void registered(OutboundLink link) {
        outboundLinks.add(link);
    }

    void unregistered(OutboundLink link) {
        outboundLinks.remove(link);
    }

    void registered(InboundLink link) {
        inboundLinks.add(link);
    }

    void unregistered(InboundLink link) {
        inboundLinks.remove(link);
    }

    private void releaseEverything() {
        if (closed) {
            return;
        }
        closed = true;
        core.metrics().connectionsActive.decrement();
        List<OutboundLink> outs = new ArrayList<>(outboundLinks);
        List<InboundLink> ins = new ArrayList<>(inboundLinks);
        outs.forEach(OutboundLink::connectionLost);
        ins.forEach(InboundLink::connectionLost);
        if (peerSession != null) {
            peerSession.closed();
        }
        if (peerTraffic != null) {
            peerTraffic.disconnected();
        }
        LOG.debug("[{}] connection {} {} closed", core.routerId(), settings.outgoing() ? "to" : "from", peer);
    }

    // ----- for the mesh: sessions and links this router opens itself

    /** A new session of ours, with the usual window. Call on the event loop. */
    public Session openSession() {
        Session session = connection.session();
        UnsettledOncePerDelivery.install(session);
        session.setIncomingCapacity(SESSION_CAPACITY);
        session.closeHandler(this::onRemoteSessionEnd);
        return session.open();
    }

    // ----- threading and output

    /** Runs a task on this connection's event loop (at once when already there), then flushes what it wrote. */
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            scheduleFlush();
        } else {
            later(task);
        }
    }

    /**
     * Queues a task on this connection's event loop even when already on it. Used for wakeups and
     * outcomes, which would otherwise re-enter the code that triggered them half-way through.
     * Tasks run in order, a burst of them in one loop task followed by one flush.
     */
    public void later(Runnable task) {
        inbox.add(task);
    }

    public EventLoop eventLoop() {
        return loop;
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public boolean isClosed() {
        return closed;
    }

    /** One flush after a burst of tasks, not one per delivery. */
    void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        dispositionRanges.flush();
        channel.flush();
    }

    private void write(ProtonBuffer output, Runnable written) {
        PeerTraffic traffic = peerTraffic;
        if (traffic != null) {
            traffic.bytesOut(output.getReadableBytes());
        }
        ByteBuf buf;
        if (output instanceof Netty4ToProtonBufferAdapter netty) {
            buf = netty.unwrapAndRelease();
        } else {
            try (output) {
                byte[] bytes = new byte[output.getReadableBytes()];
                output.readBytes(bytes, 0, bytes.length);
                buf = Unpooled.wrappedBuffer(bytes);
            }
        }
        channel.write(buf, channel.voidPromise());
        // Sessions keep protonj2's default unlimited outgoing capacity, so the completion only keeps
        // its counters straight; socket back-pressure is applied through channel writability instead.
        if (written != null) {
            written.run();
        }
    }

    /** At most 60 characters of a name a peer chose, for a log line. */
    private static String abbreviated(String text) {
        return text == null || text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    // ----- accessors

    public RouterCore core() {
        return core;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /** The remote address, for logs. */
    public String peer() {
        return peer;
    }

    /** This connection as a next hop, on a connection to another router; null on client connections. */
    public Consumer peerHop() {
        return peerSession == null ? null : peerSession.asHop();
    }

    /** The router at the other end, once the connection is open; null on client connections. */
    public PeerInfo peerInfo() {
        return peerInfo;
    }

    /** The counters of the router at the other end, once the connection is open; null on client connections. */
    public PeerTraffic peerTraffic() {
        return peerTraffic;
    }

    public Channel channel() {
        return channel;
    }

    /** The SASL identity: a user name, a certificate subject, or "anonymous". */
    public String identity() {
        return identity;
    }

    void authenticated(String who) {
        identity = who;
    }

    Netty4ProtonBufferAllocator allocator() {
        return allocator;
    }

}
