package io.camelvan.router.net;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLHandshakeException;

import io.camelvan.router.pki.Certificates;
import io.camelvan.router.pki.PeerCheckHandler;
import io.camelvan.router.pki.PeerTrustManager;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * On a link this router dials: the other router's certificate must name the host the link dials
 * (a certificate of the right site presented from the wrong address is refused). Sits after the
 * peer check, which has verified the certificate itself.
 */
final class ServerNameCheck extends ChannelInboundHandlerAdapter {

    private final String host;

    ServerNameCheck(String host) {
        this.host = host;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
            ctx.pipeline().remove(this);
            X509Certificate server = ctx.channel().attr(PeerCheckHandler.PEER_CERTIFICATE).get();
            if (server != null && !PeerTrustManager.matchesHost(server, host)) {
                ctx.fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException(
                    "the certificate of the router at " + host + ", " + Certificates.describe(server)
                        + ", is not made out for that host name")));
                ctx.close();
                return;
            }
        }
        super.userEventTriggered(ctx, event);
    }
}
