package io.camelvan.router.pki;

import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Objects;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;

/**
 * Checks the peer again when a TLS handshake completes, and records who the peer is.
 *
 * <p>The check is needed because a resumed TLS session (a session ticket or a cached session
 * id) skips the trust manager: without it, a peer revoked or expired after its first
 * connection could keep reconnecting. Place it right after the {@link SslHandler}. On success
 * the peer's certificate is stored in the {@link #PEER_CERTIFICATE} channel attribute (the
 * identity for SASL EXTERNAL), the completion event is passed on and the handler removes
 * itself. On refusal the event is replaced by a failed {@link SslHandshakeCompletionEvent}
 * whose cause names the reason, and the channel is closed. Note that
 * {@link SslHandler#handshakeFuture()} has already succeeded by then: decide on the event.
 */
public final class PeerCheckHandler extends ChannelInboundHandlerAdapter {

    /** The verified certificate of the peer, set when the handshake is complete and the peer presented one. */
    public static final AttributeKey<X509Certificate> PEER_CERTIFICATE = AttributeKey.valueOf("camelvan.peerCertificate");

    private final PeerTrustManager trust;
    private final boolean peerIsClient;

    /**
     * @param peerIsClient true on the accepting (server) side, whose peer is a TLS client
     */
    public PeerCheckHandler(PeerTrustManager trust, boolean peerIsClient) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.peerIsClient = peerIsClient;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof SslHandshakeCompletionEvent completion) || !completion.isSuccess()) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession session = ssl.engine().getSession();
        X509Certificate[] chain;
        try {
            Certificate[] presented = session.getPeerCertificates();
            chain = Arrays.copyOf(presented, presented.length, X509Certificate[].class);
        } catch (SSLPeerUnverifiedException e) {
            // no certificate: only possible where the context made it optional, which the SslContext decided
            ctx.pipeline().remove(this);
            ctx.fireUserEventTriggered(event);
            return;
        }
        try {
            trust.verify(chain, peerIsClient);
        } catch (CertificateException e) {
            session.invalidate(); // not to be offered for resumption again
            SSLHandshakeException refusal = new SSLHandshakeException(e.getMessage());
            refusal.initCause(e);
            ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(refusal));
            ctx.close();
            return;
        }
        ctx.channel().attr(PEER_CERTIFICATE).set(chain[0]);
        ctx.pipeline().remove(this);
        ctx.fireUserEventTriggered(event);
    }
}
