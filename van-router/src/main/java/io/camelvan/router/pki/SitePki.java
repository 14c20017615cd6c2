package io.camelvan.router.pki;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The PKI files of a site folder, where {@code van-router init} puts them and every other verb
 * and the router find them:
 * <pre>
 * certs/ca.crt, certs/ca.key       the site CA (ca.crt followed by the previous CA during a rotation)
 * certs/site.crt, certs/site.key   the router's server (and inter-router client) certificate
 * revoked.txt                      revoked certificate serials ({@link RevocationList})
 * grants.yaml                      issued access tokens ({@link GrantStore})
 * </pre>
 * Paths in {@link #siteTls()} are relative to the site folder, as written into the site configuration.
 */
public final class SitePki {

    /** How long a site CA is valid. */
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** How long router and link certificates are valid; links stop working when theirs expires. */
    public static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(1825);

    private static final Path CA_CERT = Path.of("certs", "ca.crt");
    private static final Path CA_KEY = Path.of("certs", "ca.key");
    private static final PemFiles SITE_TLS = new PemFiles(Path.of("certs", "site.crt"), Path.of("certs", "site.key"), CA_CERT);

    private final Path dir;
    private final CertificateAuthority ca;
    private final RevocationList revocations;

    private SitePki(Path dir, CertificateAuthority ca) {
        this.dir = dir;
        this.ca = ca;
        this.revocations = RevocationList.load(dir.resolve("revoked.txt"));
    }

    /**
     * Creates the CA and the router certificate of a new site. Refuses to overwrite an existing CA:
     * every certificate handed out so far would stop being trusted.
     *
     * @param routerId the CN of the router certificate: how peers see this router
     * @param hosts    the DNS names and IP addresses other sites dial to reach it
     */
    public static SitePki init(Path dir, String site, String routerId, List<String> hosts) {
        if (Files.exists(dir.resolve(CA_KEY))) {
            throw new PkiException(dir.resolve(CA_KEY) + " exists: " + dir + " already has a site CA");
        }
        CertificateAuthority ca = CertificateAuthority.create(site, CA_VALIDITY);
        ca.issueServer(routerId, hosts, CERTIFICATE_VALIDITY).save(SITE_TLS.resolveAgainst(dir));
        ca.save(dir.resolve(CA_CERT), dir.resolve(CA_KEY));
        return new SitePki(dir, ca);
    }

    /** The PKI of an existing site folder. */
    public static SitePki open(Path dir) {
        return new SitePki(dir, CertificateAuthority.load(dir.resolve(CA_CERT), dir.resolve(CA_KEY)));
    }

    /** The PKI of the same folder as on file now (after a {@code ca rotate}, for one). */
    public SitePki reopen() {
        return open(dir);
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public RevocationList revocations() {
        return revocations;
    }

    /** The grants of the site, for tokens redeemed at {@code grantUrl}. */
    public GrantStore grants(String grantUrl) {
        return grants(grantUrl, Clock.systemUTC());
    }

    /**
     * The grants of the site, for tokens redeemed at {@code grantUrl} and issued at the time of {@code clock}.
     *
     * @param grantUrl {@code null} for a store that only redeems, lists and revokes
     */
    public GrantStore grants(String grantUrl, Clock clock) {
        return GrantStore.open(dir.resolve("grants.yaml"), ca, grantUrl, clock);
    }

    /**
     * Starts a CA rotation: a new CA signs link certificates and tokens from now on, and the site
     * trusts both (certs/ca.crt holds the new CA, then the old one). The router keeps its server
     * certificate of the old CA, so that sites holding link files or tokens of the old CA still
     * verify it; link files and tokens issued from now on carry both CAs.
     *
     * @return the PKI with the new CA
     */
    public SitePki startRotation() {
        if (!ca.previous().isEmpty()) {
            throw new PkiException("a CA rotation is under way (" + describe(ca.certificate()) + " signs, "
                    + describe(ca.previous()) + " is still trusted): finish it with `van-router ca rotate --finish` first");
        }
        CertificateAuthority next = ca.successor(CA_VALIDITY);
        next.save(dir.resolve(CA_CERT), dir.resolve(CA_KEY));
        return new SitePki(dir, next);
    }

    /**
     * Finishes a CA rotation: re-issues the router certificate under the new CA, for the same name
     * and hosts, and stops trusting the old CA. Peers presenting certificates of the old CA are
     * refused from their next connection on; so are sites whose link files carry the old CA only.
     *
     * @return the PKI with the new CA alone
     */
    public SitePki finishRotation() {
        if (ca.previous().isEmpty()) {
            throw new PkiException("no CA rotation is under way on " + dir + ": start one with `van-router ca rotate`");
        }
        CertificateAuthority next = ca.withoutPrevious();
        PemFiles files = SITE_TLS.resolveAgainst(dir);
        X509Certificate router = Pem.readCertificate(files.cert());
        // the certificate before the key: until both are written, the router keeps using the old pair
        next.issueServer(Certificates.commonName(router), Certificates.hostNames(router), CERTIFICATE_VALIDITY)
                .save(files.cert(), files.key());
        next.save(dir.resolve(CA_CERT), dir.resolve(CA_KEY));
        return new SitePki(dir, next);
    }

    private static String describe(X509Certificate certificate) {
        return Certificates.commonName(certificate) + " (serial " + Certificates.serialHex(certificate.getSerialNumber()) + ")";
    }

    private static String describe(List<X509Certificate> certificates) {
        return certificates.stream().map(SitePki::describe).collect(Collectors.joining(", "));
    }

    /** The router's TLS profile files, relative to the site folder (the {@code tls.site} profile of the configuration). */
    public static PemFiles siteTls() {
        return SITE_TLS;
    }

    /** The site's certs folder, where link PEM files go ({@link LinkCredentials#writePemFiles}). */
    public Path certsDir() {
        return dir.resolve("certs");
    }
}
