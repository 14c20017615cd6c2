package io.camelvan.router.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import io.netty.handler.ssl.SslContext;

/**
 * A TLS profile of the site configuration, loaded: this side's key and certificate chain, and the
 * trust manager that checks peers against the profile's CA file and the site's revocation list.
 * It makes the Netty contexts for listeners and links that name the profile, and the
 * {@link PeerCheckHandler} to put after their {@code SslHandler}.
 */
public final class TlsCredentials {

    private final PrivateKey key;
    private final List<X509Certificate> certChain;
    private final PeerTrustManager trust;

    private TlsCredentials(PrivateKey key, List<X509Certificate> certChain, PeerTrustManager trust) {
        this.key = key;
        this.certChain = certChain;
        this.trust = trust;
    }

    /**
     * Reads the files of a profile, checking that the key belongs to the certificate so a mix-up is
     * reported now rather than as a failing handshake.
     *
     * @param revocations the site's revocation list (or {@link RevocationList#inMemory()} for none)
     */
    public static TlsCredentials load(PemFiles files, RevocationList revocations) {
        PrivateKey key = Pem.readPrivateKey(files.key());
        List<X509Certificate> chain = Pem.readCertificates(files.cert());
        Certificates.requireKeyMatches(chain.get(0), key, files.key().toString());
        PeerTrustManager trust = files.ca() == null ? null : new PeerTrustManager(Pem.readCertificates(files.ca()), revocations);
        return new TlsCredentials(key, chain, trust);
    }

    /** A profile from certificates in memory, e.g. just issued. */
    public static TlsCredentials of(IssuedCertificate issued, RevocationList revocations) {
        return new TlsCredentials(issued.key(), List.of(issued.cert()), new PeerTrustManager(List.of(issued.ca()), revocations));
    }

    /** A context for a listener; inter-router and edge listeners require a client certificate. */
    public SslContext serverContext(boolean requireClientAuth) {
        return TlsContexts.server(key, certChain, trust == null ? null : trust.toFactory(), requireClientAuth);
    }

    /** A context for dialling out (a link): presents this profile's certificate, checks the server's. */
    public SslContext clientContext() {
        return TlsContexts.client(key, certChain, requireTrust().toFactory());
    }

    /** The re-check to place after the {@code SslHandler}; {@code peerIsClient} is true on the accepting side. */
    public PeerCheckHandler newPeerCheck(boolean peerIsClient) {
        return new PeerCheckHandler(requireTrust(), peerIsClient);
    }

    /** Whether peers are verified (the profile names a CA). */
    public boolean verifiesPeers() {
        return trust != null;
    }

    private PeerTrustManager requireTrust() {
        if (trust == null) {
            throw new PkiException("this TLS profile has no 'ca' to verify peers with");
        }
        return trust;
    }

    public PeerTrustManager trustManager() {
        return trust;
    }

    /** This side's certificate. */
    public X509Certificate certificate() {
        return certChain.get(0);
    }
}
