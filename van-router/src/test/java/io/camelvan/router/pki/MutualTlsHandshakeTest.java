package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.net.ssl.SSLSession;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;

/** Real mutual-TLS handshakes over loopback, with the contexts and checks the router uses. */
class MutualTlsHandshakeTest {

    private static final CertificateAuthority WEST = CertificateAuthority.create("west", Duration.ofDays(3650));
    private static final CertificateAuthority EAST = CertificateAuthority.create("east", Duration.ofDays(3650));
    private static final IssuedCertificate WEST_ROUTER = WEST.issueServer("west-1", List.of("127.0.0.1", "localhost"), Duration.ofDays(30));
    private static final IssuedCertificate EAST_LINK = WEST.issueClient("east", Duration.ofDays(30));

    private static EventLoopGroup group;

    @TempDir
    Path dir;

    private final List<Channel> channels = new ArrayList<>();
    private final BlockingQueue<CompletableFuture<X509Certificate>> serverHandshakes = new LinkedBlockingQueue<>();
    private final AtomicBoolean peerCheck = new AtomicBoolean(true);

    @BeforeAll
    static void startEventLoop() {
        group = new NioEventLoopGroup(1);
    }

    @AfterAll
    static void stopEventLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeChannels() {
        channels.forEach(channel -> channel.close().syncUninterruptibly());
    }

    @Test
    void linkWithACertificateOfTheSiteCaIsAccepted() throws Exception {
        int port = startRouter(RevocationList.inMemory());

        Connection link = connect(port, clientContext(EAST_LINK));

        assertThat(serverHandshake().get(10, TimeUnit.SECONDS)).as("the peer identity seen by the server")
                .extracting(Certificates::commonName).isEqualTo("east");
        assertThat(link.replied()).isTrue();
        SSLSession session = link.session();
        assertThat(session.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(TlsContexts.peerCertificate(session)).contains(WEST_ROUTER.cert());
    }

    @Test
    void linkWithoutCertificateIsRefused() throws Exception {
        int port = startRouter(RevocationList.inMemory());

        Connection link = connect(port, TlsContexts.client(null, null, trustWest()));

        assertThat(refusalSeenByServer()).contains("Empty client certificate chain");
        assertThat(link.replied()).isFalse();
    }

    @Test
    void linkWithACertificateOfAnotherCaIsRefused() throws Exception {
        int port = startRouter(RevocationList.inMemory());
        IssuedCertificate foreign = EAST.issueClient("mallory", Duration.ofDays(30));

        Connection link = connect(port, clientContext(foreign));

        assertThat(refusalSeenByServer()).contains("peer certificate CN=mallory (serial " + hex(foreign)
                + ") is not signed by a trusted CA (issuer: CN=east CA; trusted: CN=west CA)");
        assertThat(link.replied()).isFalse();
    }

    @Test
    void linkWithAnExpiredCertificateIsRefused() throws Exception {
        int port = startRouter(RevocationList.inMemory());
        Instant lastMonth = Instant.now().minus(Duration.ofDays(30));
        IssuedCertificate expired = WEST.withClock(Clock.fixed(lastMonth, ZoneOffset.UTC)).issueClient("east", Duration.ofDays(1));

        Connection link = connect(port, clientContext(expired));

        assertThat(refusalSeenByServer()).contains("peer certificate CN=east (serial " + hex(expired)
                + ") expired on " + lastMonth.plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        assertThat(link.replied()).isFalse();
    }

    @Test
    void linkWithACertificateRevokedByTheCliIsRefused() throws Exception {
        Path revoked = dir.resolve("revoked.txt");
        int port = startRouter(RevocationList.load(revoked));
        RevocationList.load(revoked).revoke(EAST_LINK.serial(), "east decommissioned"); // the CLI, while the router runs

        Connection link = connect(port, clientContext(EAST_LINK));

        assertThat(refusalSeenByServer()).contains("peer certificate CN=east (serial " + hex(EAST_LINK) + ") is revoked");
        assertThat(link.replied()).isFalse();
    }

    @Test
    void revokedPeerCannotComeBackByResumingItsSession() throws Exception {
        Path revoked = dir.resolve("revoked.txt");
        int port = startRouter(RevocationList.load(revoked));
        SslContext east = clientContext(EAST_LINK); // one context keeps the session (ticket) of the first connection
        assertThat(connect(port, east).replied()).isTrue();
        serverHandshake().get(10, TimeUnit.SECONDS);
        RevocationList.load(revoked).revoke(EAST_LINK.serial(), "east decommissioned");

        peerCheck.set(false);
        Connection resumed = connect(port, east);
        assertThat(serverHandshake().get(10, TimeUnit.SECONDS))
                .as("a resumed session skips the trust manager; this is why PeerCheckHandler exists").isNotNull();
        assertThat(resumed.replied()).isTrue();

        peerCheck.set(true);
        Connection refused = connect(port, east);
        assertThat(refusalSeenByServer()).contains("peer certificate CN=east (serial " + hex(EAST_LINK) + ") is revoked");
        assertThat(refused.replied()).isFalse();
    }

    @Test
    void routerOfAnotherCaIsRefusedByTheLinkingSide() throws Exception {
        int port = startRouter(RevocationList.inMemory());
        IssuedCertificate eastLinkToEast = EAST.issueClient("east", Duration.ofDays(30));
        SslContext trustsEastOnly = TlsContexts.client(eastLinkToEast.key(), List.of(eastLinkToEast.cert()),
                new PeerTrustManager(List.of(EAST.certificate()), RevocationList.inMemory()).toFactory());

        Connection link = connect(port, trustsEastOnly);

        assertThat(link.handshakeFailure()).contains("peer certificate CN=west-1 (serial " + hex(WEST_ROUTER)
                + ") is not signed by a trusted CA (issuer: CN=west CA; trusted: CN=east CA)");
    }

    @Test
    void tls12IsLimitedToForwardSecretAeadSuites() throws Exception {
        int port = startRouter(RevocationList.inMemory());
        SslContext tls12 = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .keyManager(EAST_LINK.key(), EAST_LINK.cert()).trustManager(trustWest()).build();
        SslContext cbcOnly = SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols("TLSv1.2")
                .ciphers(List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"))
                .keyManager(EAST_LINK.key(), EAST_LINK.cert()).trustManager(trustWest()).build();

        Connection good = connect(port, tls12);
        assertThat(good.replied()).isTrue();
        assertThat(good.session().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        serverHandshake().get(10, TimeUnit.SECONDS);

        connect(port, cbcOnly);
        assertThat(refusalSeenByServer()).contains("no cipher suites in common");
    }

    /** A router listening on loopback with the site certificate, requiring client certificates. */
    private int startRouter(RevocationList revocations) throws InterruptedException {
        TlsCredentials profile = TlsCredentials.of(WEST_ROUTER, revocations);
        SslContext context = profile.serverContext(true);
        Channel listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(context.newHandler(channel.alloc()));
                        if (peerCheck.get()) {
                            channel.pipeline().addLast(profile.newPeerCheck(true));
                        }
                        CompletableFuture<X509Certificate> outcome = new CompletableFuture<>();
                        serverHandshakes.add(outcome);
                        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                                if (event instanceof SslHandshakeCompletionEvent completion) {
                                    if (completion.isSuccess()) {
                                        X509Certificate peer = ctx.channel().attr(PeerCheckHandler.PEER_CERTIFICATE).get();
                                        outcome.complete(peer != null ? peer : TlsContexts.peerCertificate(
                                                ctx.pipeline().get(SslHandler.class).engine().getSession()).orElseThrow());
                                        ctx.writeAndFlush(Unpooled.copiedBuffer("welcome", StandardCharsets.US_ASCII));
                                    } else {
                                        outcome.completeExceptionally(completion.cause());
                                    }
                                }
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close(); // the handshake failure is recorded from its completion event
                            }
                        });
                    }
                }).bind("127.0.0.1", 0).sync().channel();
        channels.add(listener);
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    private Connection connect(int port, SslContext context) throws InterruptedException {
        CompletableFuture<Boolean> replied = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(context.newHandler(ch.alloc(), "127.0.0.1", port));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object message) {
                                ((ByteBuf) message).release();
                                replied.complete(true);
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                replied.complete(false);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                }).connect("127.0.0.1", port).sync().channel();
        channels.add(channel);
        return new Connection(channel, replied);
    }

    private CompletableFuture<X509Certificate> serverHandshake() throws InterruptedException {
        CompletableFuture<X509Certificate> handshake = serverHandshakes.poll(10, TimeUnit.SECONDS);
        assertThat(handshake).as("a connection reached the server").isNotNull();
        return handshake;
    }

    /** All messages of the cause chain of the server's failed handshake. */
    private String refusalSeenByServer() throws InterruptedException {
        CompletableFuture<X509Certificate> handshake = serverHandshake();
        try {
            handshake.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return messages(e.getCause());
        }
        throw new AssertionError("the server accepted the connection");
    }

    private static String messages(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t).append(" / ");
        }
        return text.toString();
    }

    private static SslContext clientContext(IssuedCertificate client) {
        return TlsContexts.client(client.key(), List.of(client.cert()), trustWest());
    }

    private static PeerTrustManagerFactory trustWest() {
        return new PeerTrustManagerFactory(new PeerTrustManager(List.of(WEST.certificate()), RevocationList.inMemory()));
    }

    private static String hex(IssuedCertificate issued) {
        return issued.serial().toString(16);
    }

    private record Connection(Channel channel, CompletableFuture<Boolean> reply) {

        /** Whether the server sent its welcome, i.e. accepted the peer; false once the connection closes without. */
        boolean replied() throws Exception {
            return reply.get(10, TimeUnit.SECONDS);
        }

        SSLSession session() {
            return channel.pipeline().get(SslHandler.class).engine().getSession();
        }

        String handshakeFailure() throws InterruptedException {
            var handshake = channel.pipeline().get(SslHandler.class).handshakeFuture();
            assertThat(handshake.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(handshake.isSuccess()).as("the client handshake failed").isFalse();
            return messages(handshake.cause());
        }
    }
}
