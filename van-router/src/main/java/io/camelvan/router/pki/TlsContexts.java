package io.camelvan.router.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;

/**
 * Netty TLS contexts for router connections: TLS 1.3 and 1.2 only, TLS 1.2 restricted to
 * forward-secret AEAD suites (ECDHE with AES-GCM or ChaCha20-Poly1305), the JDK provider.
 *
 * <p>A context alone does not protect against resumed sessions, which skip the trust manager:
 * put a {@link PeerCheckHandler} after its {@code SslHandler} ({@link TlsCredentials} makes both).
 */
public final class TlsContexts {

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** The cipher suites offered: the TLS 1.3 suites, then ECDHE AEAD suites for TLS 1.2 (ECDSA keys first). */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * The throwaway key store a context's key manager is built from: as PKCS12 (Netty's choice, and
     * its server contexts ignore {@code SslContextBuilder.keyStoreType}) storing and reading the key
     * back costs two PBKDF2 derivations, 40-80 ms per context on a busy machine, which adds up when
     * one JVM starts many routers; JKS costs ~1 ms. It lives only in memory, to feed the key manager.
     */
    private static final String IN_MEMORY_KEY_STORE = "JKS";
    private static final char[] IN_MEMORY_PASSWORD = "in-memory".toCharArray();

    private TlsContexts() {
    }

    /**
     * A server context.
     *
     * @param certChain         this server's certificate, optionally followed by intermediates
     * @param trust             how client certificates are verified; {@code null} to not ask for one
     * @param requireClientAuth refuse clients without a certificate (inter-router and edge listeners);
     *                          otherwise a certificate is asked for but optional, when {@code trust} is given
     */
    public static SslContext server(PrivateKey key, List<X509Certificate> certChain, TrustManagerFactory trust,
                                    boolean requireClientAuth) {
        if (requireClientAuth && trust == null) {
            throw new PkiException("a TLS server requiring client certificates needs the CA to verify them against");
        }
        SslContextBuilder builder = SslContextBuilder.forServer(keyManager(key, certChain))
                .clientAuth(trust == null ? ClientAuth.NONE : requireClientAuth ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        if (trust != null) {
            builder.trustManager(trust);
        }
        return build(builder, "server");
    }

    /**
     * A client context. Host names are not verified: peers are identified by their certificate,
     * checked by {@code trust} (see {@link PeerTrustManager#matchesHost} for callers that want to).
     *
     * @param key       the client key, or {@code null} to present no certificate
     * @param certChain the client certificate and optional intermediates, or {@code null} with {@code key}
     * @param trust     how the server certificate is verified
     */
    public static SslContext client(PrivateKey key, List<X509Certificate> certChain, TrustManagerFactory trust) {
        Objects.requireNonNull(trust, "trust");
        if ((key == null) != (certChain == null)) {
            throw new PkiException("a TLS client needs both a key and a certificate, or neither");
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .trustManager(trust)
                .endpointIdentificationAlgorithm(null);
        if (key != null) {
            builder.keyManager(keyManager(key, certChain));
        }
        return build(builder, "client");
    }

    /** The verified certificate of the peer of an established TLS session, if it presented one. */
    public static Optional<X509Certificate> peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? Optional.of(x509) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    private static KeyManagerFactory keyManager(PrivateKey key, List<X509Certificate> certChain) {
        try {
            KeyStore store = KeyStore.getInstance(IN_MEMORY_KEY_STORE);
            store.load(null, null);
            store.setKeyEntry("key", key, IN_MEMORY_PASSWORD, certChain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, IN_MEMORY_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new PkiException("cannot use the TLS key: " + e.getMessage(), e);
        }
    }

    private static SslContext build(SslContextBuilder builder, String side) {
        try {
            return builder.sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (SSLException e) {
            throw new PkiException("cannot set up the TLS " + side + ": " + e.getMessage(), e);
        }
    }
}
