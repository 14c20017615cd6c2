package io.camelvan.router.net;

import javax.net.ssl.SSLException;

import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.config.TlsProfile;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/** Netty TLS contexts from the {@code tls:} profiles of a site: TLS 1.3 and 1.2 only. */
public final class TlsContextFactory {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SiteConfig config;

    public TlsContextFactory(SiteConfig config) {
        this.config = config;
    }

    /** The server context of a listener, or null when it has no TLS profile. A profile with 'ca' requires client certificates. */
    public SslContext server(ListenerConfig listener) {
        if (listener.tls() == null) {
            return null;
        }
        TlsProfile profile = config.tls().get(listener.tls());
        try {
            SslContextBuilder builder = SslContextBuilder
                .forServer(config.resolve(profile.cert()).toFile(), config.resolve(profile.key()).toFile())
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS);
            if (profile.ca() != null) {
                builder.trustManager(config.resolve(profile.ca()).toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return builder.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("tls." + listener.tls() + ": cannot use its certificate or key: " + e.getMessage(), e);
        }
    }
}
