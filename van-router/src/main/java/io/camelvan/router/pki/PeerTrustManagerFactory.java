package io.camelvan.router.pki;

import java.security.KeyStore;
import java.util.Objects;

import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.TrustManager;

import io.netty.handler.ssl.util.SimpleTrustManagerFactory;

/**
 * Hands a {@link PeerTrustManager} to Netty, whose {@code SslContextBuilder} takes trust as a
 * {@link javax.net.ssl.TrustManagerFactory}. Its trust material is fixed at construction:
 * the {@code init} calls are ignored.
 */
public final class PeerTrustManagerFactory extends SimpleTrustManagerFactory {

    private final PeerTrustManager trustManager;

    public PeerTrustManagerFactory(PeerTrustManager trustManager) {
        this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
    }

    public PeerTrustManager trustManager() {
        return trustManager;
    }

    @Override
    protected void engineInit(KeyStore keyStore) {
        // trust comes from the PeerTrustManager, not from a key store
    }

    @Override
    protected void engineInit(ManagerFactoryParameters parameters) {
        // as above
    }

    @Override
    protected TrustManager[] engineGetTrustManagers() {
        return new TrustManager[] {trustManager};
    }
}
