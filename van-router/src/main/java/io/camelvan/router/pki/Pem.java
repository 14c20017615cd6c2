package io.camelvan.router.pki;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes X.509 certificates and private keys as PEM.
 *
 * <p>Certificates are read one or many ({@code CERTIFICATE} blocks, other blocks are skipped) and
 * written as {@code CERTIFICATE} blocks. Private keys are written as unencrypted PKCS#8
 * ({@code PRIVATE KEY}) into files readable by their owner only; on read the traditional
 * OpenSSL {@code EC PRIVATE KEY} and {@code RSA PRIVATE KEY} forms are accepted as well.
 */
public final class Pem {

    private static final Map<ASN1ObjectIdentifier, String> KEY_ALGORITHMS = Map.of(
            X9ObjectIdentifiers.id_ecPublicKey, "EC",
            PKCSObjectIdentifiers.rsaEncryption, "RSA",
            EdECObjectIdentifiers.id_Ed25519, "Ed25519");

    private Pem() {
    }

    /** All certificates of a PEM file, in file order (a leaf followed by its chain, or several CAs). */
    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(readFile(file, "certificate file"), file.toString());
    }

    /** The first certificate of a PEM file. */
    public static X509Certificate readCertificate(Path file) {
        return readCertificates(file).get(0);
    }

    /** The private key of a PEM file (PKCS#8, or traditional EC / RSA). */
    public static PrivateKey readPrivateKey(Path file) {
        return parsePrivateKey(readFile(file, "private key file"), file.toString());
    }

    /**
     * The certificates of PEM text.
     *
     * @param source names the text in error messages (a file name, "link file x.yaml, key 'ca'")
     */
    public static List<X509Certificate> parseCertificates(String pem, String source) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    certificates.add(toCertificate(holder.getEncoded()));
                }
            }
        } catch (IOException | CertificateException e) {
            throw new PkiException(source + ": malformed PEM certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw new PkiException(source + ": not a PEM certificate (no -----BEGIN CERTIFICATE----- block)");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key of PEM text.
     *
     * @param source names the text in error messages
     */
    public static PrivateKey parsePrivateKey(String pem, String source) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            String found = null;
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof PrivateKeyInfo info) {
                    return toPrivateKey(info, source);
                } else if (object instanceof PEMKeyPair pair) {
                    return toPrivateKey(pair.getPrivateKeyInfo(), source);
                } else if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    throw new PkiException(source + ": the private key is encrypted; only unencrypted keys are supported"
                            + " (decrypt it with `openssl pkey -in KEY -out KEY.plain`)");
                } else if (object instanceof X509CertificateHolder) {
                    found = "a certificate";
                }
            }
            throw new PkiException(source + ": not a PEM private key (no -----BEGIN PRIVATE KEY----- block"
                    + (found == null ? ")" : "; found " + found + ")"));
        } catch (IOException e) {
            throw new PkiException(source + ": malformed PEM private key: " + e.getMessage(), e);
        }
    }

    /** PEM text of certificates, in the given order. */
    public static String encode(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate certificate : certificates) {
            try {
                pem.append(block("CERTIFICATE", certificate.getEncoded()));
            } catch (CertificateException e) {
                throw new PkiException("cannot encode certificate " + certificate.getSubjectX500Principal() + ": " + e, e);
            }
        }
        return pem.toString();
    }

    /** PEM text of one certificate. */
    public static String encode(X509Certificate certificate) {
        return encode(List.of(certificate));
    }

    /** PEM text of a private key as unencrypted PKCS#8. */
    public static String encode(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat())) {
            throw new PkiException("cannot encode a " + key.getAlgorithm() + " private key in format " + key.getFormat()
                    + " (PKCS#8 needed)");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Writes certificates to a PEM file (replacing it atomically). */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) {
        AtomicFiles.write(file, encode(certificates).getBytes(StandardCharsets.US_ASCII), false);
    }

    /** Writes one certificate to a PEM file (replacing it atomically). */
    public static void writeCertificate(Path file, X509Certificate certificate) {
        writeCertificates(file, List.of(certificate));
    }

    /** Writes a private key to a PEM file readable by its owner only (replacing it atomically). */
    public static void writePrivateKey(Path file, PrivateKey key) {
        AtomicFiles.write(file, encode(key).getBytes(StandardCharsets.US_ASCII), true);
    }

    static X509Certificate toCertificate(byte[] der) throws CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** The content of a file, with a clear message when it is missing or unreadable; {@code what} names it: "certificate file". */
    static String readFile(Path file, String what) {
        if (Files.isDirectory(file)) {
            throw new PkiException(what + " " + file + " is a directory");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new PkiException(what + " " + file + ": file not found", e);
        } catch (AccessDeniedException e) {
            throw new PkiException(what + " " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new PkiException(what + " " + file + ": cannot read: " + e, e);
        }
    }

    private static PrivateKey toPrivateKey(PrivateKeyInfo info, String source) throws IOException {
        ASN1ObjectIdentifier oid = info.getPrivateKeyAlgorithm().getAlgorithm();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new PkiException(source + ": unsupported private key algorithm " + oid + " (EC, RSA or Ed25519 expected)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new PkiException(source + ": invalid " + algorithm + " private key: " + e.getMessage(), e);
        }
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
