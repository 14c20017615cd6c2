package io.camelvan.itests.bench;

import java.security.Principal;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.qpid.protonj2.buffer.ProtonBuffer;
import org.apache.qpid.protonj2.buffer.netty.Netty4ProtonBufferAllocator;
import org.apache.qpid.protonj2.buffer.netty.Netty4ToProtonBufferAdapter;
import org.apache.qpid.protonj2.engine.Connection;
import org.apache.qpid.protonj2.engine.Engine;
import org.apache.qpid.protonj2.engine.EngineFactory;
import org.apache.qpid.protonj2.engine.Link;
import org.apache.qpid.protonj2.engine.Receiver;
import org.apache.qpid.protonj2.engine.Sender;
import org.apache.qpid.protonj2.engine.Session;
import org.apache.qpid.protonj2.engine.impl.ProtonDeliveryTagGenerator;
import org.apache.qpid.protonj2.engine.sasl.client.SaslAuthenticator;
import org.apache.qpid.protonj2.engine.sasl.client.SaslCredentialsProvider;
import org.apache.qpid.protonj2.engine.sasl.client.SaslMechanismSelector;
import org.apache.qpid.protonj2.types.messaging.Source;
import org.apache.qpid.protonj2.types.messaging.Target;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * One connection of the {@link LeanClient}: a protonj2 engine with one session, fed by a Netty
 * channel. The engine and everything on it are used only on the channel's event loop: callers on
 * other threads go through {@link #call}. Frames written while handling a read go out in one flush
 * when the read is complete; frames written by a task, when the task ends.
 */
public final class LeanConnection extends ChannelInboundHandlerAdapter implements AutoCloseable {

    private static final long OPEN_TIMEOUT_S = 10;

    private static final SaslCredentialsProvider ANONYMOUS = new SaslCredentialsProvider() {
        @Override
        public String vhost() {
            return null;
        }

        @Override
        public String username() {
            return null;
        }

        @Override
        public String password() {
            return null;
        }

        @Override
        public Principal localPrincipal() {
            return null;
        }
    };

    private final String peer;
    private final CompletableFuture<LeanConnection> opened = new CompletableFuture<>();
    private Channel channel;
    private Netty4ProtonBufferAllocator allocator;
    private Engine engine;
    private Connection connection;
    private Session session;
    private int links;

    LeanConnection(String peer) {
        this.peer = peer;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        allocator = new Netty4ProtonBufferAllocator(channel.alloc());
        engine = EngineFactory.PROTON.createEngine();
        engine.configuration().setBufferAllocator(allocator);
        engine.outputHandler(this::write);
        engine.errorHandler(e -> failed(e.failureCause()));
        engine.saslDriver().client().setListener(
            new SaslAuthenticator(new SaslMechanismSelector(Set.of("ANONYMOUS")), ANONYMOUS));
        connection = engine.start();
        connection.setContainerId("bench-lean-" + peer)
            .openHandler(c -> {
                c.tickAuto(channel.eventLoop());
                opened.complete(this);
            })
            .closeHandler(c -> failed(new IllegalStateException(peer + " closed the connection: "
                + c.getRemoteCondition())));
        connection.open();
        session = connection.session().open();
        channel.flush();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try (ProtonBuffer input = allocator.wrap((ByteBuf) msg).convertToReadOnly()) {
            while (input.isReadable() && engine.isWritable()) {
                engine.ingest(input);
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        channel.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failed(new IllegalStateException("connection to " + peer + " lost"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed(cause);
        ctx.close();
    }

    private void failed(Throwable cause) {
        opened.completeExceptionally(cause);
    }

    private void write(ProtonBuffer output, Runnable written) {
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
        if (written != null) {
            written.run();
        }
    }

    LeanConnection awaitOpen() throws Exception {
        return opened.get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Runs {@code task} on the event loop, flushes what it wrote, and returns its result. */
    <T> CompletableFuture<T> call(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            } finally {
                channel.flush();
            }
        });
        return result;
    }

    /**
     * Attaches a sending link and waits for the peer's answer.
     *
     * @param address the target address, or null for an anonymous sender (routes on each message's {@code to})
     * @param setup installs handlers; runs on the event loop before the attach goes out
     */
    Sender openSender(String address, Consumer<Sender> setup) throws Exception {
        return awaitAttach(call(() -> {
            Sender sender = session.sender("bench-sender-" + (++links));
            sender.setDeliveryTagGenerator(ProtonDeliveryTagGenerator.BUILTIN.POOLED.createGenerator());
            sender.setSource(new Source());
            sender.setTarget(new Target().setAddress(address));
            setup.accept(sender);
            return attach(sender);
        }));
    }

    /**
     * Attaches a receiving link and waits for the peer's answer. It has no credit yet.
     *
     * @param address the source address, or null for a dynamic (server-named) one
     * @param setup installs handlers; runs on the event loop before the attach goes out
     */
    Receiver openReceiver(String address, Consumer<Receiver> setup) throws Exception {
        return awaitAttach(call(() -> {
            Receiver receiver = session.receiver("bench-receiver-" + (++links));
            receiver.setSource(address == null ? new Source().setDynamic(true) : new Source().setAddress(address));
            receiver.setTarget(new Target());
            setup.accept(receiver);
            return attach(receiver);
        }));
    }

    private static <L extends Link<L>> CompletableFuture<L> attach(L link) {
        CompletableFuture<L> answered = new CompletableFuture<>();
        link.openHandler(l -> {
            if (l.getRemoteSource() == null || l.getRemoteTarget() == null) {
                return; // refused: the detach that follows says why
            }
            answered.complete(l);
        });
        link.closeHandler(l -> answered.completeExceptionally(new IllegalStateException("link " + l.getName()
            + " refused: " + l.getRemoteCondition())));
        link.open();
        return answered;
    }

    private static <L> L awaitAttach(CompletableFuture<CompletableFuture<L>> attaching) throws Exception {
        return attaching.get(OPEN_TIMEOUT_S, TimeUnit.SECONDS).get(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        channel.eventLoop().execute(() -> {
            if (connection != null && connection.isLocallyOpen()) {
                connection.close();
            }
            channel.flush();
            channel.close();
        });
        channel.closeFuture().awaitUninterruptibly(OPEN_TIMEOUT_S, TimeUnit.SECONDS);
    }
}
