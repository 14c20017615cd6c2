package io.camelvan.itests.faults.abuse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.Pem;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

/**
 * A site's CA and router certificate written where a site file's {@code tls: site} profile finds
 * them ({@code certs/site.crt}, {@code certs/site.key}, {@code certs/ca.crt}), and JDK TLS
 * contexts for test peers that present certificates of any CA and trust any server: the tests
 * are about what the router refuses.
 */
final class SiteCerts {

    static final String SITE_PROFILE = "  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n";

    final CertificateAuthority ca;

    private SiteCerts(CertificateAuthority ca) {
        this.ca = ca;
    }

    /** A new CA for {@code site} and a server certificate of router {@code routerId} for 127.0.0.1 and localhost. */
    static SiteCerts write(Path siteDir, String site, String routerId) throws java.io.IOException {
        CertificateAuthority ca = CertificateAuthority.create(site, Duration.ofDays(365));
        Path certs = Files.createDirectories(siteDir.resolve("certs"));
        ca.issueServer(routerId, List.of("127.0.0.1", "localhost"), Duration.ofDays(30))
            .save(certs.resolve("site.crt"), certs.resolve("site.key"));
        Pem.writeCertificate(certs.resolve("ca.crt"), ca.certificate());
        return new SiteCerts(ca);
    }

    /** A client presenting {@code client}'s certificate. */
    static SSLContext clientContext(IssuedCertificate client) throws Exception {
        return jdkContext(SslContextBuilder.forClient().keyManager(client.key(), client.cert())
            .trustManager(InsecureTrustManagerFactory.INSTANCE));
    }

    /** A client presenting {@code client}'s certificate that trusts only servers of {@code trusted}. */
    static SSLContext clientContext(IssuedCertificate client, java.security.cert.X509Certificate trusted) throws Exception {
        return jdkContext(SslContextBuilder.forClient().keyManager(client.key(), client.cert()).trustManager(trusted));
    }

    /** A server presenting {@code server}'s certificate and taking any client certificate. */
    static SSLContext serverContext(IssuedCertificate server) throws Exception {
        return jdkContext(SslContextBuilder.forServer(server.key(), server.cert())
            .trustManager(InsecureTrustManagerFactory.INSTANCE));
    }

    private static SSLContext jdkContext(SslContextBuilder builder) throws Exception {
        return ((JdkSslContext) builder.sslProvider(SslProvider.JDK).build()).context();
    }
}
