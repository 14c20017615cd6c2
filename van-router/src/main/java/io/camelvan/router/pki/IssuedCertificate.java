package io.camelvan.router.pki;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A certificate issued by a site CA, with its private key and the CA certificate that signed it.
 *
 * @param cert the issued (leaf) certificate
 * @param key  its private key
 * @param ca   the certificate of the CA that signed it: the trust anchor peers verify it against
 */
public record IssuedCertificate(X509Certificate cert, PrivateKey key, X509Certificate ca) {

    public IssuedCertificate {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ca, "ca");
    }

    public BigInteger serial() {
        return cert.getSerialNumber();
    }

    public String commonName() {
        return Certificates.commonName(cert);
    }

    /**
     * Writes the certificate alone (not followed by the CA: the CA is a trust anchor, kept in a file
     * of its own) and the key (owner-only).
     */
    public void save(Path certFile, Path keyFile) {
        Pem.writeCertificate(certFile, cert);
        Pem.writePrivateKey(keyFile, key);
    }

    /** Writes the certificate, the key and the CA certificate to the files of a TLS profile. */
    public void save(PemFiles files) {
        save(files.cert(), files.key());
        Pem.writeCertificate(files.ca(), ca);
    }
}
