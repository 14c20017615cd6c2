package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {

    private static final CertificateAuthority CA = CertificateAuthority.create("west", Duration.ofDays(1));

    @TempDir
    Path dir;

    @Test
    void certificateChainRoundTrips() {
        IssuedCertificate leaf = CA.issueClient("east", Duration.ofHours(1));
        Path file = dir.resolve("chain.crt");

        Pem.writeCertificates(file, List.of(leaf.cert(), CA.certificate()));

        assertThat(Pem.readCertificates(file)).containsExactly(leaf.cert(), CA.certificate());
        assertThat(Pem.readCertificate(file)).isEqualTo(leaf.cert());
    }

    @Test
    void privateKeyIsWrittenAsPkcs8ReadableByOwnerOnly() throws Exception {
        PrivateKey key = CA.issueClient("east", Duration.ofHours(1)).key();
        Path file = dir.resolve("east.key");

        Pem.writePrivateKey(file, key);

        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(Pem.readPrivateKey(file)).isEqualTo(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void traditionalEcKeyIsAccepted() throws Exception {
        IssuedCertificate east = CA.issueClient("east", Duration.ofHours(1));
        PrivateKey key = east.key();
        // OpenSSL's "EC PRIVATE KEY" is the SEC1 structure with the curve inside (what `openssl ecparam -genkey` writes)
        PrivateKeyInfo pkcs8 = PrivateKeyInfo.getInstance(key.getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(pkcs8.parsePrivateKey());
        ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), inner.getPublicKey(), pkcs8.getPrivateKeyAlgorithm().getParameters());
        String pem = traditionalPem("EC PRIVATE KEY", sec1.getEncoded());

        PrivateKey read = Pem.parsePrivateKey(pem, "east.key");

        assertThat(read.getAlgorithm()).isEqualTo("EC");
        Certificates.requireKeyMatches(east.cert(), read, "east.key");
    }

    @Test
    void traditionalRsaKeyIsAccepted() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        PrivateKey key = generator.generateKeyPair().getPrivate();
        byte[] pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();

        PrivateKey read = Pem.parsePrivateKey(traditionalPem("RSA PRIVATE KEY", pkcs1), "rsa.key");

        assertThat(read).isEqualTo(key);
    }

    private static String traditionalPem(String type, byte[] der) throws Exception {
        StringWriter pem = new StringWriter();
        try (PemWriter writer = new PemWriter(pem)) {
            writer.writeObject(new PemObject(type, der));
        }
        return pem.toString();
    }

    @Test
    void missingFileIsNamed() {
        Path missing = dir.resolve("nope.crt");

        assertThatThrownBy(() -> Pem.readCertificates(missing))
                .isInstanceOf(PkiException.class)
                .hasMessage("certificate file " + missing + ": file not found");
    }

    @Test
    void fileWithoutCertificateIsRefused() throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "hello\n");

        assertThatThrownBy(() -> Pem.readCertificates(file))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- block)");
    }

    @Test
    void certificateGivenAsKeyIsRefused() {
        Path file = dir.resolve("site.crt");
        Pem.writeCertificate(file, CA.certificate());

        assertThatThrownBy(() -> Pem.readPrivateKey(file))
                .isInstanceOf(PkiException.class)
                .hasMessage(file + ": not a PEM private key (no -----BEGIN PRIVATE KEY----- block; found a certificate)");
    }

    @Test
    void corruptCertificateIsRefused() {
        String pem = Pem.encode(CA.certificate()).replace("\n-----END", "AAAA\n-----END");

        assertThatThrownBy(() -> Pem.parseCertificates(pem, "ca.crt"))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("ca.crt: malformed PEM certificate");
    }

    @Test
    void otherBlocksBesideCertificatesAreSkipped() {
        X509Certificate certificate = CA.certificate();
        String pem = Pem.encode(CA.privateKey()) + Pem.encode(certificate);

        assertThat(Pem.parseCertificates(pem, "bundle.pem")).containsExactly(certificate);
        assertThat(Pem.parsePrivateKey(pem, "bundle.pem")).isEqualTo(CA.privateKey());
    }
}
