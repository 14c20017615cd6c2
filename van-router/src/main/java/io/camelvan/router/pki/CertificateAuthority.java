package io.camelvan.router.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The certificate authority of a site: it signs the site's server certificate and the client
 * certificates handed to other sites by {@code token redeem} and {@code link generate}.
 *
 * <p>Keys are EC P-256, serial numbers random 128-bit, certificates begin one minute in the past
 * to tolerate clock skew between sites, and never outlive the CA.
 */
public final class CertificateAuthority {

    /** How far certificates are backdated so a peer whose clock is slightly behind accepts them. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CN_SUFFIX = " CA";
    // host names as they appear in SANs: letters, digits, hyphens (and underscores, seen in internal DNS); optional leading wildcard
    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\\.?");

    private final String siteName;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final Clock clock;
    private final List<X509Certificate> previous;

    private CertificateAuthority(String siteName, X509Certificate certificate, PrivateKey privateKey, Clock clock,
                                 List<X509Certificate> previous) {
        this.siteName = siteName;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.clock = clock;
        this.previous = List.copyOf(previous);
    }

    /** A new CA for a site: an EC P-256 key and a self-signed certificate with CN "{@code <site> CA}". */
    public static CertificateAuthority create(String siteName, Duration validity) {
        requireName(siteName, "site name");
        requirePositive(validity);
        Clock clock = Clock.systemUTC();
        KeyPair keys = newKeyPair();
        Instant now = clock.instant();
        X500Name subject = name(siteName + CN_SUFFIX);
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            SubjectKeyIdentifier keyId = utils.createSubjectKeyIdentifier(keys.getPublic());
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, newSerial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    // no path length limit: a rotation may cross-sign the next CA with this one
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, keyId)
                    .addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId.getKeyIdentifier()));
            return new CertificateAuthority(siteName, sign(builder, keys.getPrivate()), keys.getPrivate(), clock, List.of());
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot create the CA of site " + siteName + ": " + e, e);
        }
    }

    /**
     * A CA from its certificate and private key files, checking that they belong together. During a
     * rotation the certificate file also holds the previous CA certificate(s), still trusted: the CA
     * is the one the key belongs to.
     */
    public static CertificateAuthority load(Path certFile, Path keyFile) {
        List<X509Certificate> certificates = Pem.readCertificates(certFile);
        for (X509Certificate certificate : certificates) {
            if (!Certificates.isCa(certificate)) {
                throw new PkiException(certFile + ": " + Certificates.describe(certificate) + " is not a CA certificate");
            }
        }
        PrivateKey key = Pem.readPrivateKey(keyFile);
        X509Certificate certificate = certificates.stream().filter(c -> Certificates.keyMatches(c, key)).findFirst()
                .orElseThrow(() -> new PkiException(keyFile + ": the private key does not belong to "
                        + (certificates.size() == 1 ? "certificate " : "any of the certificates in " + certFile + ": ")
                        + certificates.stream().map(Certificates::describe).collect(Collectors.joining(", "))));
        List<X509Certificate> previous = certificates.stream().filter(c -> c != certificate).toList();
        String cn = Certificates.commonName(certificate);
        String site = cn.endsWith(CN_SUFFIX) ? cn.substring(0, cn.length() - CN_SUFFIX.length()) : cn;
        return new CertificateAuthority(site, certificate, key, Clock.systemUTC(), previous);
    }

    /** Writes the CA certificate, followed by the previous CAs still trusted, and its private key (owner-only). */
    public void save(Path certFile, Path keyFile) {
        Pem.writeCertificates(certFile, trusted());
        Pem.writePrivateKey(keyFile, privateKey);
    }

    /**
     * A new CA for the same site that still trusts this one: the first step of a rotation. It
     * signs from now on; certificates this one signed keep being accepted until {@link #withoutPrevious()}.
     */
    public CertificateAuthority successor(Duration validity) {
        CertificateAuthority next = create(siteName, validity);
        return new CertificateAuthority(siteName, next.certificate, next.privateKey, clock, List.of(certificate));
    }

    /** This CA no longer trusting the ones it succeeded: the last step of a rotation. */
    public CertificateAuthority withoutPrevious() {
        return new CertificateAuthority(siteName, certificate, privateKey, clock, List.of());
    }

    /** The previous CAs of the site still trusted (a rotation is under way), or none. */
    public List<X509Certificate> previous() {
        return previous;
    }

    /** The CA certificates peers of the site are checked against: this CA's, then the previous ones still trusted. */
    public List<X509Certificate> trusted() {
        List<X509Certificate> all = new ArrayList<>();
        all.add(certificate);
        all.addAll(previous);
        return List.copyOf(all);
    }

    /** The same CA issuing certificates as of another time; for tests and for reissuing with a fixed start. */
    public CertificateAuthority withClock(Clock clock) {
        return new CertificateAuthority(siteName, certificate, privateKey, Objects.requireNonNull(clock, "clock"), previous);
    }

    public String siteName() {
        return siteName;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA's private key: it also signs the site's access tokens. */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /**
     * A certificate for a router of this site: usable as TLS server and client, because an
     * inter-router connection may be dialled by either side.
     *
     * @param hostsOrIps the names peers dial, each a DNS name (wildcards allowed) or an IPv4/IPv6 address
     */
    public IssuedCertificate issueServer(String commonName, List<String> hostsOrIps, Duration validity) {
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostsOrIps) {
            names.add(subjectAltName(host));
        }
        return issue(commonName, names, validity, KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth);
    }

    /** A TLS client certificate: what another site presents when it links to this one. */
    public IssuedCertificate issueClient(String commonName, Duration validity) {
        return issue(commonName, List.of(), validity, KeyPurposeId.id_kp_clientAuth);
    }

    private IssuedCertificate issue(String commonName, List<GeneralName> altNames, Duration validity, KeyPurposeId... purposes) {
        requireName(commonName, "common name");
        requirePositive(validity);
        Instant now = clock.instant();
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (!now.isBefore(caNotAfter)) {
            throw new PkiException("the CA " + Certificates.describe(certificate) + " expired on " + caNotAfter
                    + "; rotate it with `van-router ca rotate`");
        }
        Instant notAfter = now.plus(validity).isAfter(caNotAfter) ? caNotAfter : now.plus(validity);
        KeyPair keys = newKeyPair();
        // the issuer name is copied as encoded in the CA certificate so that name chaining matches byte for byte
        X500Name issuer = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, newSerial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), name(commonName), keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, authorityKeyId(utils));
            if (!altNames.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(altNames.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate(), certificate);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new PkiException("cannot issue a certificate for " + commonName + ": " + e, e);
        }
    }

    /** Points at the CA key by the CA's own subject key identifier when it has one, so chains built by other tools match. */
    private AuthorityKeyIdentifier authorityKeyId(JcaX509ExtensionUtils utils) throws CertIOException {
        byte[] extension = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (extension == null) {
            return utils.createAuthorityKeyIdentifier(certificate.getPublicKey());
        }
        try {
            ASN1Encodable keyId = JcaX509ExtensionUtils.parseExtensionValue(extension);
            return new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(keyId).getKeyIdentifier());
        } catch (IOException e) {
            throw new CertIOException("unreadable subject key identifier in the CA certificate", e);
        }
    }

    private static GeneralName subjectAltName(String hostOrIp) {
        String host = hostOrIp == null ? "" : hostOrIp.trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (IPAddress.isValidIPv4(host) || IPAddress.isValidIPv6(host)) {
            return new GeneralName(GeneralName.iPAddress, host);
        }
        if (!DNS_NAME.matcher(host).matches()) {
            throw new PkiException("'" + hostOrIp + "' is neither a DNS name nor an IP address");
        }
        return new GeneralName(GeneralName.dNSName, host);
    }

    private static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws GeneralSecurityException {
        try {
            return Pem.toCertificate(builder.build(
                    new JcaContentSignerBuilder(Certificates.signatureAlgorithm(signer)).build(signer)).getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new CertificateException("cannot sign certificate: " + e.getMessage(), e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot generate an EC P-256 key pair: " + e, e);
        }
    }

    /** 128 random bits with the top bit set, so every serial prints as 32 hex digits. */
    private static BigInteger newSerial() {
        return new BigInteger(128, RANDOM).setBit(127);
    }

    private static void requireName(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new PkiException("the " + what + " must not be empty");
        }
    }

    private static void requirePositive(Duration validity) {
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new PkiException("the validity must be positive, not " + validity);
        }
    }
}
