package io.camelvan.router.pki;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import org.bouncycastle.util.IPAddress;

/**
 * Decides whether a TLS peer (router or linking site) is trusted: its certificate must be signed
 * by one of the trusted CA certificates, not revoked, valid now (as must be the CA), and meant
 * for its side of the connection (extended key usage).
 *
 * <p>Refusals are {@link CertificateException}s whose message names the peer and the reason, for
 * example {@code peer certificate CN=east-1 (serial 8f3a...) is revoked}; the TLS handshake fails
 * with that message. The same instance serves the client and the server side.
 *
 * <p>Host names are not checked: inter-router peers are identified by their certificate, not by
 * DNS. Callers that want it use {@link #matchesHost(X509Certificate, String)}.
 */
public final class PeerTrustManager extends X509ExtendedTrustManager {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    /** Leaf certificates whose signatures are remembered as checked (see {@link #signedBy}). */
    private static final int SIGNATURES_REMEMBERED = 1024;

    private final List<X509Certificate> trustedCas;
    private final RevocationList revocations;
    private final Clock clock;
    /**
     * Peer certificates already found signed by a trusted CA, with that CA. A peer's certificate is
     * checked in the handshake, again right after it ({@link PeerCheckHandler}) and at every
     * reconnection; its signature cannot change, and verifying it (ECDSA) is a good part of a
     * handshake's CPU. Revocation and validity are still checked every time.
     */
    private final Map<X509Certificate, X509Certificate> signedBy = Collections.synchronizedMap(
        new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<X509Certificate, X509Certificate> eldest) {
                return size() > SIGNATURES_REMEMBERED;
            }
        });

    /**
     * @param trustedCas  the CA certificates peers must be signed by (several during a CA rotation)
     * @param revocations the serials refused even though correctly signed; reread when its file changes
     * @param clock       the time certificates must be valid at
     */
    public PeerTrustManager(Collection<X509Certificate> trustedCas, RevocationList revocations, Clock clock) {
        if (trustedCas.isEmpty()) {
            throw new PkiException("at least one trusted CA certificate is needed");
        }
        for (X509Certificate ca : trustedCas) {
            if (!Certificates.isCa(ca)) {
                throw new PkiException(Certificates.describe(ca) + " is not a CA certificate and cannot be trusted as one");
            }
        }
        this.trustedCas = List.copyOf(trustedCas);
        this.revocations = Objects.requireNonNull(revocations, "revocations");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A trust manager with the system clock. */
    public PeerTrustManager(Collection<X509Certificate> trustedCas, RevocationList revocations) {
        this(trustedCas, revocations, Clock.systemUTC());
    }

    /** This trust manager as a factory Netty's {@code SslContextBuilder.trustManager(...)} accepts. */
    public TrustManagerFactory toFactory() {
        return new PeerTrustManagerFactory(this);
    }

    /**
     * Checks a peer chain as presented in a TLS handshake, leaf first.
     *
     * @param peerIsClient whether the peer is the TLS client (it needs clientAuth) or the server (serverAuth)
     */
    public void verify(X509Certificate[] chain, boolean peerIsClient) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("peer presented no certificate");
        }
        X509Certificate leaf = chain[0];
        String peer = "peer certificate " + Certificates.describe(leaf);
        X509Certificate ca = trustedIssuerOf(leaf, peer);
        try {
            revocations.reloadIfChanged();
        } catch (PkiException e) {
            // fail closed: a revocation that cannot be read must not let its certificate in
            throw new CertificateException(peer + " cannot be checked for revocation: " + e.getMessage(), e);
        }
        if (revocations.isRevoked(leaf.getSerialNumber())) {
            throw new CertificateException(peer + " is revoked");
        }
        Instant now = clock.instant();
        requireValidAt(leaf, now, peer);
        requireValidAt(ca, now, peer + ": its CA " + Certificates.describe(ca));
        requireUsableFor(leaf, peerIsClient, peer);
    }

    /**
     * Whether a certificate names a host in its subject alternative names: an IP address among its
     * IP entries, or a DNS name among its DNS entries (a leading {@code *.} matches one label).
     * The subject CN is not consulted, as for any modern TLS client.
     */
    public static boolean matchesHost(X509Certificate certificate, String host) {
        String name = host.trim();
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        boolean ip = IPAddress.isValidIPv4(name) || IPAddress.isValidIPv6(name);
        Collection<List<?>> altNames;
        try {
            altNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (altNames == null) {
            return false;
        }
        for (List<?> altName : altNames) {
            int type = (Integer) altName.get(0);
            String value = (String) altName.get(1);
            if (ip && type == SAN_IP && sameAddress(name, value)) {
                return true;
            }
            if (!ip && type == SAN_DNS && dnsMatches(value, name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        verify(chain, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        verify(chain, false);
    }

    /**
     * None: the TLS server then asks for a client certificate without naming CAs, so a peer with a
     * certificate from a foreign CA still presents it and is refused with a precise reason instead
     * of silently sending none.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    /** The trusted CAs, e.g. to show which ones a peer was checked against. */
    public List<X509Certificate> trustedCas() {
        return trustedCas;
    }

    /**
     * The trusted CA that signed the peer's certificate. Site CAs sign router and link
     * certificates directly, so anything the peer sends after its own certificate is not needed.
     */
    private X509Certificate trustedIssuerOf(X509Certificate leaf, String peer) throws CertificateException {
        X509Certificate known = signedBy.get(leaf);
        if (known != null) {
            return known;
        }
        for (X509Certificate ca : trustedCas) {
            if (ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()) && Certificates.isSignedBy(leaf, ca.getPublicKey())) {
                signedBy.put(leaf, ca);
                return ca;
            }
        }
        String trusted = trustedCas.stream().map(ca -> ca.getSubjectX500Principal().getName()).collect(Collectors.joining(", "));
        boolean sameName = trustedCas.stream().anyMatch(ca -> ca.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()));
        throw new CertificateException(peer + " is not signed by a trusted CA (issuer: " + leaf.getIssuerX500Principal().getName()
                + (sameName ? ", named like a trusted CA but signed with another key" : "") + "; trusted: " + trusted + ")");
    }

    private static void requireValidAt(X509Certificate certificate, Instant now, String who) throws CertificateException {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isBefore(notBefore)) {
            throw new CertificateException(who + " is not yet valid until " + notBefore + " (now " + now + ")");
        }
        if (now.isAfter(notAfter)) {
            throw new CertificateException(who + " expired on " + notAfter);
        }
    }

    private static void requireUsableFor(X509Certificate leaf, boolean peerIsClient, String peer) throws CertificateException {
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException(peer + " is a CA certificate, not a router or link certificate");
        }
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new CertificateException(peer + " has an unreadable extended key usage: " + e.getMessage(), e);
        }
        String needed = peerIsClient ? CLIENT_AUTH : SERVER_AUTH;
        if (purposes != null && !purposes.contains(needed)) {
            throw new CertificateException(peer + " is not meant for a TLS " + (peerIsClient ? "client" : "server")
                    + " (extended key usage lacks " + (peerIsClient ? "clientAuth" : "serverAuth") + ")");
        }
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are literals: getByName parses them without a DNS lookup
            return Arrays.equals(InetAddress.getByName(a).getAddress(), InetAddress.getByName(b).getAddress());
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static boolean dnsMatches(String pattern, String host) {
        String p = stripDot(pattern.toLowerCase(Locale.ROOT));
        String h = stripDot(host.toLowerCase(Locale.ROOT));
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot + 1).equals(p.substring(2));
        }
        return p.equals(h);
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
