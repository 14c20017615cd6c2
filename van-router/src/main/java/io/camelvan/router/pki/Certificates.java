package io.camelvan.router.pki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Small facts about certificates, phrased the way operators see them in messages and on the CLI. */
public final class Certificates {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private Certificates() {
    }

    /** The common name (CN) of the certificate's subject, or its whole subject when it has no CN. */
    public static String commonName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        return cns.length == 0 ? certificate.getSubjectX500Principal().getName()
                : IETFUtils.valueToString(cns[0].getFirst().getValue());
    }

    /** A serial number as lower-case hex, the form used in messages and in the revocation list. */
    public static String serialHex(BigInteger serial) {
        return serial.toString(16);
    }

    /**
     * A serial number from hex as operators type or copy it: upper or lower case, optionally with a
     * {@code 0x} prefix or colons between bytes ({@code 3F:A2:...}, as {@code openssl x509 -text} prints).
     */
    public static BigInteger parseSerial(String hex) {
        String digits = hex.trim().toLowerCase(Locale.ROOT).replace(":", "");
        if (digits.startsWith("0x")) {
            digits = digits.substring(2);
        }
        if (digits.isEmpty() || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new PkiException("not a hex serial number: '" + hex.trim() + "'");
        }
        return new BigInteger(digits, 16);
    }

    /** "CN=east-1 (serial 3fa2...)": how a certificate is named in refusals. */
    public static String describe(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName() + " (serial " + serialHex(certificate.getSerialNumber()) + ")";
    }

    /** The DNS names and IP addresses in a certificate's subject alternative names, as {@code issueServer} takes them. */
    public static List<String> hostNames(X509Certificate certificate) {
        Collection<List<?>> altNames;
        try {
            altNames = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            throw new PkiException(describe(certificate) + " has unreadable subject alternative names: " + e.getMessage(), e);
        }
        List<String> hosts = new ArrayList<>();
        if (altNames != null) {
            for (List<?> altName : altNames) {
                int type = (Integer) altName.get(0);
                if (type == SAN_DNS || type == SAN_IP) {
                    hosts.add((String) altName.get(1));
                }
            }
        }
        return hosts;
    }

    /** Whether the certificate is a CA certificate (basicConstraints CA and, if key usage is present, keyCertSign). */
    public static boolean isCa(X509Certificate certificate) {
        boolean[] keyUsage = certificate.getKeyUsage();
        return certificate.getBasicConstraints() >= 0 && (keyUsage == null || keyUsage[5]);
    }

    /** Whether {@code certificate} carries a valid signature made with {@code issuerKey}. */
    static boolean isSignedBy(X509Certificate certificate, PublicKey issuerKey) {
        try {
            certificate.verify(issuerKey);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Checks that a private key belongs to a certificate by signing and verifying a sample. */
    static void requireKeyMatches(X509Certificate certificate, PrivateKey key, String source) {
        if (!keyMatches(certificate, key)) {
            throw new PkiException(source + ": the private key does not belong to certificate " + describe(certificate));
        }
    }

    /** Whether a private key belongs to a certificate, by signing and verifying a sample. */
    static boolean keyMatches(X509Certificate certificate, PrivateKey key) {
        byte[] sample = "camel-van key check".getBytes(StandardCharsets.US_ASCII);
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(sample);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(sample);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            // a key of another algorithm than the certificate's lands here: it does not match either
            return false;
        }
    }

    /** The signature algorithm used with a (private or public) key: SHA-256 with ECDSA or RSA, or Ed25519. */
    static String signatureAlgorithm(Key key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new PkiException("unsupported key algorithm " + key.getAlgorithm() + " (EC, RSA or Ed25519 expected)");
        };
    }
}
