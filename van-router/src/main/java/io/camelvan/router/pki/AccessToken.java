package io.camelvan.router.pki;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The token of {@code token issue} / {@code token redeem}: it lets the holder ask the issuing site
 * for link credentials once (or a few times) before it expires.
 *
 * <p>It carries where to redeem it ({@code url}), a random one-time {@code code}, the issuing
 * site's CA certificate (so the redeemer can verify the site it contacts; never a private key),
 * the expiry, the issuing site's name, and a signature over all of these made with the issuing
 * CA's private key. {@link #read(Path)} verifies the signature against the CA in the token, so
 * an altered file is refused before any network call; the issuing site checks it against its own
 * CA with {@link #verifyIssuedBy(X509Certificate)}.
 *
 * <p>The code is a secret: {@link #toString()} leaves it out, and token files are owner-only.
 *
 * @param site             the issuing site
 * @param url              where the issuing site redeems tokens, e.g. {@code https://west.example.com:55671/grant}
 * @param code             the one-time secret: 32 URL-safe base64 characters
 * @param caCertificatePem the issuing site's CA certificate, PEM
 * @param expires          when the token stops being redeemable
 * @param signature        base64 signature over the other fields by the issuing CA
 */
public record AccessToken(String site, String url, String code, String caCertificatePem, Instant expires, String signature) {

    static final String KIND = "access-token";
    private static final String SIGNED_CONTEXT = "camel-van access-token v1";

    public AccessToken {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(caCertificatePem, "caCertificatePem");
        Objects.requireNonNull(expires, "expires");
        Objects.requireNonNull(signature, "signature");
    }

    /** A token signed by {@code ca}, carrying every CA the site trusts (both during a rotation). */
    static AccessToken sign(CertificateAuthority ca, String url, String code, Instant expires) {
        String caPem = Pem.encode(ca.trusted());
        byte[] payload = signedBytes(ca.siteName(), url, code, caPem, expires);
        try {
            PrivateKey key = ca.privateKey();
            Signature signer = Signature.getInstance(Certificates.signatureAlgorithm(key));
            signer.initSign(key);
            signer.update(payload);
            return new AccessToken(ca.siteName(), url, code, caPem, expires, Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new PkiException("cannot sign the access token: " + e, e);
        }
    }

    /**
     * Reads a token file and verifies its signature against the CA certificate it carries.
     *
     * @throws PkiException when the file is missing, malformed, not a token, or was altered
     */
    public static AccessToken read(Path file) {
        String what = "token file";
        TokenFile content = YamlFiles.read(file, TokenFile.class, what, KIND);
        Instant expires;
        try {
            expires = Instant.parse(YamlFiles.require(content.expires(), "expires", file, what));
        } catch (DateTimeParseException e) {
            throw new PkiException(what + " " + file + ": 'expires' is not a time: " + content.expires(), e);
        }
        AccessToken token = new AccessToken(
                YamlFiles.require(content.site(), "site", file, what),
                YamlFiles.require(content.url(), "url", file, what),
                YamlFiles.require(content.code(), "code", file, what),
                YamlFiles.require(content.ca(), "ca", file, what),
                expires,
                YamlFiles.require(content.signature(), "signature", file, what));
        X509Certificate ca = Pem.parseCertificates(token.caCertificatePem(), what + " " + file + ", key 'ca'").get(0);
        if (!token.isSignedBy(ca)) {
            throw new PkiException(what + " " + file + " was altered: its signature does not match its content"
                    + " (ask site " + token.site() + " for a new token)");
        }
        return token;
    }

    /** Writes the token file, readable by its owner only since it holds the secret code. */
    public void write(Path file) {
        YamlFiles.write(file, new TokenFile(KIND, site, url, code, expires.toString(), caCertificatePem, signature),
                "Camel VAN access token of site " + site + ": redeem it with `van-router token redeem FILE`"
                        + " before " + expires + ".\nIt grants a link to site " + site
                        + ": keep it secret and delete it once redeemed.", true);
    }

    /** The CA certificate of the issuing site, which signed the token. */
    public X509Certificate caCertificate() {
        return caCertificates().get(0);
    }

    /**
     * The CA certificates of the issuing site: the one that signed the token, then the previous one
     * while a rotation is under way there. What the redeemer trusts when it contacts {@link #url()}.
     */
    public List<X509Certificate> caCertificates() {
        return Pem.parseCertificates(caCertificatePem, "access token of site " + site);
    }

    /**
     * Checks, on the issuing site, that the token was signed by this site's CA and carries it.
     *
     * @throws PkiException naming why the token is not one of ours
     */
    public void verifyIssuedBy(X509Certificate ourCa) {
        if (!caCertificate().equals(ourCa)) {
            throw new PkiException("the access token was not issued by this site (it carries CA "
                    + Certificates.describe(caCertificate()) + ", ours is " + Certificates.describe(ourCa) + ")");
        }
        if (!isSignedBy(ourCa)) {
            throw new PkiException("the access token was altered: its signature does not match its content");
        }
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expires);
    }

    /** Refuses an expired token, locally, before the issuing site is contacted. */
    public void requireNotExpired(Instant now) {
        if (isExpired(now)) {
            throw new PkiException("the access token of site " + site + " expired at " + expires + "; ask for a new one");
        }
    }

    /** The grant this token redeems, as {@link GrantStore} names it: derived from the code, not secret. */
    public String grantId() {
        return grantIdOf(code);
    }

    /** The host of {@link #url()}. */
    public String host() {
        return uri().getHost();
    }

    /** The port of {@link #url()}. */
    public int port() {
        return uri().getPort();
    }

    @Override
    public String toString() {
        return "AccessToken[site=" + site + ", url=" + url + ", grant=" + grantId() + ", expires=" + expires + "]";
    }

    static String grantIdOf(String code) {
        return HexFormat.of().formatHex(sha256(code)).substring(0, 16);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
        }
    }

    private URI uri() {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new PkiException("the access token's url " + url + " lacks a host or port");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new PkiException("the access token's url is malformed: " + url, e);
        }
    }

    private boolean isSignedBy(X509Certificate ca) {
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        // the decoder ignores some bits of a final base64 group: only the canonical text counts as intact
        if (!Base64.getEncoder().encodeToString(signatureBytes).equals(signature)) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(Certificates.signatureAlgorithm(ca.getPublicKey()));
            verifier.initVerify(ca.getPublicKey());
            verifier.update(signedBytes(site, url, code, caCertificatePem, expires));
            return verifier.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Each field length-prefixed, so no two different tokens sign the same bytes. */
    private static byte[] signedBytes(String site, String url, String code, String caPem, Instant expires) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            for (String field : new String[] {SIGNED_CONTEXT, site, url, code, caPem, expires.toString()}) {
                byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                out.writeInt(utf8.length);
                out.write(utf8);
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    /** The token as written to its file. */
    @JsonPropertyOrder({"kind", "site", "url", "code", "expires", "ca", "signature"})
    record TokenFile(String kind, String site, String url, String code, String expires, String ca, String signature) {
    }
}
