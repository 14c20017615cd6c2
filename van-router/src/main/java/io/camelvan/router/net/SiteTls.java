package io.camelvan.router.net;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

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
        return new ServerTls(profile("listener '" + listener.name() + "'", listener.tls(), credentials -> {
            boolean mutual = listener.role() != ListenerRole.NORMAL || credentials.verifiesPeers();
            // Router ports ask for a certificate but let the handshake finish without one, so that a
            // site redeeming a token can reach the grant endpoint; AMQP still needs the certificate.
            boolean required = mutual && listener.role() == ListenerRole.NORMAL;
            return new Loaded(credentials.serverContext(required), mutual ? credentials : null);
        }));
    }

    /** TLS for an outgoing link: our client certificate, the peer checked against the link's CA. */
    public synchronized ClientTls client(String profileName) {
        return clients.computeIfAbsent(profileName, name -> new ClientTls(profile("tls." + name, name,
                credentials -> new Loaded(credentials.clientContext(), credentials))));
    }

    private ReloadingProfile<Loaded> profile(String user, String profileName, Function<TlsCredentials, Loaded> build) {
        TlsProfile p = config.tls().get(profileName);
        PemFiles files = new PemFiles(config.resolve(p.cert()), config.resolve(p.key()), p.ca() == null ? null : config.resolve(p.ca()));
        try {
            return new ReloadingProfile<>(profileName, files, revocations, build);
        } catch (PkiException e) {
            throw new ConfigException(user + ": " + e.getMessage(), e);
        }
    }

    /** A context made from a profile's files as loaded, and the credentials for the peer re-check (null: none). */
    private record Loaded(SslContext context, TlsCredentials credentials) {
    }

    /** TLS for a dialled channel: the handshake, then the same peer re-check as on accepted ones. */
    public static final class ClientTls {
        private final ReloadingProfile<Loaded> profile;

        private ClientTls(ReloadingProfile<Loaded> profile) {
            this.profile = profile;
        }

        /**
         * Puts the TLS handlers on a channel about to dial.
         *
         * @return the subject of the certificate it presents: the identity SASL EXTERNAL vouches for
         */
        public Principal install(Channel channel, String host, int port) {
            Loaded tls = profile.current();
            channel.pipeline().addLast("tls", tls.context().newHandler(channel.alloc(), host, port));
            channel.pipeline().addLast("peer-check", tls.credentials().newPeerCheck(false));
            channel.pipeline().addLast("server-name", new ServerNameCheck(host));
            return tls.credentials().certificate().getSubjectX500Principal();
        }
    }

    /** TLS for accepted channels: the handshake, then (for mutual TLS) the peer re-check that also covers resumed sessions. */
    public static final class ServerTls {
        private final ReloadingProfile<Loaded> profile;

        private ServerTls(ReloadingProfile<Loaded> profile) {
            this.profile = profile;
        }

        public void install(Channel channel, RouterMetrics metrics) {
            Loaded tls = profile.current();
            channel.pipeline().addLast("tls-guard", new TlsRecordGuard(metrics));
            channel.pipeline().addLast("tls", tls.context().newHandler(channel.alloc()));
            if (tls.credentials() != null) {
                channel.pipeline().addLast("peer-check", tls.credentials().newPeerCheck(true));
            }
        }
    }
}
