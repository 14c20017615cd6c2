package io.camelvan.router.net;

import java.util.HashMap;
import java.util.Map;

import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.config.TlsProfile;
import io.camelvan.router.core.RouterMetrics;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.PkiException;
import io.camelvan.router.pki.RevocationList;
import io.camelvan.router.pki.TlsCredentials;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;

/**
 * The TLS side of a site: its {@code tls:} profiles loaded once, checked against the site's
 * revocation list ({@code revoked.txt} beside the configuration), and installed on channels.
 */
public final class SiteTls {

    private final SiteConfig config;
    private final RevocationList revocations;
    private final Map<String, TlsCredentials> loaded = new HashMap<>();
    private final Map<String, ClientTls> clients = new HashMap<>();

    public SiteTls(SiteConfig config) {
        this.config = config;
        this.revocations = RevocationList.load(config.resolve("revoked.txt"));
    }

    /** The site's revocation list, as every handshake checks it. */
    public RevocationList revocations() {
        return revocations;
    }

    /** How a listener's accepted channels get TLS, or null for plain TCP. */
    public ServerTls server(ListenerConfig listener) {
        if (listener.tls() == null) {
            return null;
        }
        TlsCredentials credentials = credentials(listener.tls());
        boolean mutual = listener.role() != ListenerRole.NORMAL || credentials.verifiesPeers();
        try {
            // Router ports ask for a certificate but let the handshake finish without one, so that a
            // site redeeming a token can reach the grant endpoint; AMQP still needs the certificate.
            boolean required = mutual && listener.role() == ListenerRole.NORMAL;
            return new ServerTls(credentials.serverContext(required), mutual ? credentials : null);
        } catch (PkiException e) {
            throw new ConfigException("listener '" + listener.name() + "': " + e.getMessage(), e);
        }
    }

    /** TLS for an outgoing link: our client certificate, the peer checked against the link's CA. */
    public synchronized ClientTls client(String profileName) {
        return clients.computeIfAbsent(profileName, name -> {
            TlsCredentials credentials = credentials(name);
            try {
                return new ClientTls(credentials.clientContext(), credentials);
            } catch (PkiException e) {
                throw new ConfigException("tls." + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** The loaded files of a named profile. */
    public synchronized TlsCredentials credentials(String profileName) {
        return loaded.computeIfAbsent(profileName, name -> {
            TlsProfile p = config.tls().get(name);
            try {
                return TlsCredentials.load(new PemFiles(config.resolve(p.cert()), config.resolve(p.key()),
                    p.ca() == null ? null : config.resolve(p.ca())), revocations);
            } catch (PkiException e) {
                throw new ConfigException("tls." + name + ": " + e.getMessage(), e);
            }
        });
    }

    /** TLS for a dialled channel: the handshake, then the same peer re-check as on accepted ones. */
    public static final class ClientTls {
        private final SslContext context;
        private final TlsCredentials credentials;

        ClientTls(SslContext context, TlsCredentials credentials) {
            this.context = context;
            this.credentials = credentials;
        }

        public void install(Channel channel, String host, int port) {
            channel.pipeline().addLast("tls", context.newHandler(channel.alloc(), host, port));
            channel.pipeline().addLast("peer-check", credentials.newPeerCheck(false));
            channel.pipeline().addLast("server-name", new ServerNameCheck(host));
        }

        /** Our own certificate's subject: the identity SASL EXTERNAL vouches for. */
        public java.security.Principal subject() {
            return credentials.certificate().getSubjectX500Principal();
        }
    }

    /** TLS for accepted channels: the handshake, then (for mutual TLS) the peer re-check that also covers resumed sessions. */
    public static final class ServerTls {
        private final SslContext context;
        private final TlsCredentials peerCheck;

        ServerTls(SslContext context, TlsCredentials peerCheck) {
            this.context = context;
            this.peerCheck = peerCheck;
        }

        public void install(Channel channel, RouterMetrics metrics) {
            channel.pipeline().addLast("tls-guard", new TlsRecordGuard(metrics));
            channel.pipeline().addLast("tls", context.newHandler(channel.alloc()));
            if (peerCheck != null) {
                channel.pipeline().addLast("peer-check", peerCheck.newPeerCheck(true));
            }
        }
    }
}
