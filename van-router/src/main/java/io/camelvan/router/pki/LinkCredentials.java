package io.camelvan.router.pki;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a site needs to link to another one: where to connect, at which cost, a client
 * certificate and key issued by the other site's CA, and that CA's certificate to verify the
 * other site's server certificate. It is what a redeemed token yields, and the content of the
 * link file of {@code link generate FILE} / {@code link create FILE}.
 *
 * @param name        the link's name in the linking site's configuration; also names its PEM files
 * @param host        the host to connect to
 * @param port        the inter-router port there
 * @param cost        the link's routing cost (at least 1)
 * @param certificate the client certificate, issued by the first of {@code cas}
 * @param key         its private key
 * @param cas         the CA certificates of the site linked to, its server certificate is verified against: the
 *                    one that issued {@code certificate}, then, during a CA rotation there, the previous one
 */
public record LinkCredentials(String name, String host, int port, int cost, X509Certificate certificate, PrivateKey key,
                              List<X509Certificate> cas) {

    static final String KIND = "link";
    // the name becomes part of file names and of configuration keys
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public LinkCredentials {
        requireValidName(name);
        if (host == null || host.isBlank()) {
            throw new PkiException("a link needs a host to connect to");
        }
        if (port < 1 || port > 65535) {
            throw new PkiException("link " + name + ": port " + port + " is not between 1 and 65535");
        }
        if (cost < 1) {
            throw new PkiException("link " + name + ": cost " + cost + " must be at least 1");
        }
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
        cas = List.copyOf(cas);
        if (cas.isEmpty()) {
            throw new PkiException("link " + name + ": no CA certificate to verify the site linked to");
        }
    }

    /** The CA that issued the client certificate: the current CA of the site linked to. */
    public X509Certificate ca() {
        return cas.get(0);
    }

    /**
     * Issues a client certificate for a site that is to link to {@code ca}'s site. The link is
     * named after {@code ca}'s site, and verifies it against every CA the site trusts (both during a rotation).
     *
     * @param clientName the CN of the client certificate: the linking site's name, or a generated link name
     * @param host       the host of {@code ca}'s site to connect to
     * @param port       its inter-router port
     */
    public static LinkCredentials issue(CertificateAuthority ca, String clientName, String host, int port, int cost,
                                        Duration validity) {
        IssuedCertificate client = ca.issueClient(clientName, validity);
        return new LinkCredentials(ca.siteName(), host, port, cost, client.cert(), client.key(), ca.trusted());
    }

    /**
     * Reads a link file, checking that the certificate was issued by the CA in the file and that
     * the key belongs to it.
     */
    public static LinkCredentials read(Path file) {
        return parse(Pem.readFile(file, "link file"), file.toString());
    }

    /**
     * Reads the text of a link file, as {@link #read} does; the grant endpoint sends this text.
     *
     * @param name where the text comes from, for errors (a file, or "from https://west:55671/grant")
     */
    public static LinkCredentials parse(String yaml, String name) {
        String what = "link file";
        LinkFile content = YamlFiles.parse(yaml, name, LinkFile.class, what, KIND);
        String source = what + " " + name;
        X509Certificate certificate = Pem.parseCertificates(YamlFiles.require(content.cert(), "cert", name, what), source + ", key 'cert'").get(0);
        PrivateKey key = Pem.parsePrivateKey(YamlFiles.require(content.key(), "key", name, what), source + ", key 'key'");
        List<X509Certificate> cas = Pem.parseCertificates(YamlFiles.require(content.ca(), "ca", name, what), source + ", key 'ca'");
        X509Certificate ca = cas.get(0);
        if (!Certificates.isSignedBy(certificate, ca.getPublicKey())) {
            throw new PkiException(source + ": the certificate " + Certificates.describe(certificate)
                    + " was not issued by the CA in the file, " + Certificates.describe(ca));
        }
        Certificates.requireKeyMatches(certificate, key, source + ", key 'key'");
        try {
            return new LinkCredentials(YamlFiles.require(content.name(), "name", name, what),
                    YamlFiles.require(content.host(), "host", name, what), YamlFiles.require(content.port(), "port", name, what),
                    YamlFiles.require(content.cost(), "cost", name, what), certificate, key, cas);
        } catch (PkiException e) {
            throw new PkiException(source + ": " + e.getMessage(), e);
        }
    }

    /** Writes the link file, readable by its owner only since it holds a private key. */
    public void write(Path file) {
        AtomicFiles.write(file, toYaml().getBytes(StandardCharsets.UTF_8), true);
    }

    /** The content of the link file ({@link #write}), as text. */
    public String toYaml() {
        return YamlFiles.format(new LinkFile(KIND, name, host, port, cost, Pem.encode(certificate), Pem.encode(key), Pem.encode(cas)),
                "Camel VAN link file: `van-router link create FILE` links a site to " + name + " (" + host + ":" + port + ").\n"
                        + "It holds a private key: keep it secret and delete it once the link is created.", "link file " + name);
    }

    /**
     * Writes the certificate, key (owner-only) and CA(s) as PEM files {@code link-<name>.crt},
     * {@code link-<name>.key} and {@code link-<name>-ca.crt} into a directory (the site's certs
     * folder), for a TLS profile to point at.
     */
    public PemFiles writePemFiles(Path dir) {
        PemFiles files = pemFiles(dir, name);
        new IssuedCertificate(certificate, key, ca()).save(files.cert(), files.key());
        Pem.writeCertificates(files.ca(), cas);
        return files;
    }

    /** The PEM files {@link #writePemFiles} writes for a link of that name into {@code dir}. */
    public static PemFiles pemFiles(Path dir, String linkName) {
        return new PemFiles(dir.resolve("link-" + linkName + ".crt"), dir.resolve("link-" + linkName + ".key"),
                dir.resolve("link-" + linkName + "-ca.crt"));
    }

    /** The same credentials under another link name (the linking site may already have a link of that name). */
    public LinkCredentials withName(String newName) {
        return new LinkCredentials(newName, host, port, cost, certificate, key, cas);
    }

    @Override
    public String toString() {
        return "LinkCredentials[name=" + name + ", host=" + host + ", port=" + port + ", cost=" + cost
                + ", certificate=" + Certificates.describe(certificate) + ", ca=" + Certificates.describe(ca()) + "]";
    }

    private static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PkiException("'" + name + "' is not a valid link name (letters, digits, '.', '_' or '-', at most 63)");
        }
    }

    /** The link file as written. */
    @JsonPropertyOrder({"kind", "name", "host", "port", "cost", "cert", "key", "ca"})
    record LinkFile(String kind, String name, String host, Integer port, Integer cost, String cert, String key, String ca) {
    }
}
