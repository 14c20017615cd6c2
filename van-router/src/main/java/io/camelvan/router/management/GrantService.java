package io.camelvan.router.management;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.config.HostPort;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.pki.GrantStore;
import io.camelvan.router.pki.GrantStore.Redemption;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.SitePki;

/**
 * The issuing site's side of {@code token redeem}: checks a code against the site's grant store and,
 * when it is good, issues a client certificate for the redeeming site, signed by this site's CA,
 * and records its serial with the grant (so that {@code token revoke} can revoke it). Thread-safe;
 * redemptions read and write files, so call it off the event loop ({@link GrantEndpoint} does).
 */
public final class GrantService {

    private static final Logger LOG = LoggerFactory.getLogger(GrantService.class);
    /** A site name as it becomes the CN of a certificate: the same rule as link names. */
    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final int MAX_CODE_LENGTH = 256;
    /** The cost written into issued link credentials; the redeeming site may choose another. */
    private static final int LINK_COST = 1;

    private final SitePki pki;
    private final GrantStore grants;
    private final HostPort linkAccess;
    private final Clock clock;

    /**
     * @param linkAccess the address the redeeming site is to connect its link to
     * @param clock      the time redemptions happen at (expiry is checked against it)
     */
    public GrantService(SitePki pki, HostPort linkAccess, Clock clock) {
        this.pki = Objects.requireNonNull(pki, "pki");
        this.linkAccess = Objects.requireNonNull(linkAccess, "linkAccess");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.grants = pki.grants(null, clock);
    }

    /** The service of a site: the PKI in the folder of its configuration file, links to its {@link LinkAccess}. */
    public static GrantService forSite(SiteConfig config) {
        Path siteDir = config.resolve(".").normalize();
        return new GrantService(SitePki.open(siteDir), LinkAccess.of(config).address(), Clock.systemUTC());
    }

    /**
     * Redeems a code for a site.
     *
     * @param redeemingSite the name of the site that links here: the CN of its certificate
     * @throws IllegalArgumentException when the code or the site name is malformed (nothing is redeemed)
     */
    public Outcome redeem(String code, String redeemingSite) {
        if (code == null || code.isBlank() || code.length() > MAX_CODE_LENGTH) {
            throw new IllegalArgumentException("'code' must be the code of an access token");
        }
        if (redeemingSite == null || !SITE_NAME.matcher(redeemingSite).matches()) {
            throw new IllegalArgumentException("'site' must be a site name (letters, digits, '.', '_' or '-', at most 63)");
        }
        AtomicReference<LinkCredentials> issued = new AtomicReference<>();
        Redemption redemption = grants.redeem(code, redeemingSite, clock.instant(), () -> {
            // the CA as on file now: `ca rotate` may have replaced it since the router started
            LinkCredentials credentials = LinkCredentials.issue(pki.reopen().ca(), redeemingSite, linkAccess.host(), linkAccess.port(),
                    LINK_COST, SitePki.CERTIFICATE_VALIDITY);
            issued.set(credentials);
            return credentials.certificate().getSerialNumber();
        });
        if (redemption.granted()) {
            LOG.info("grant {}: issued a link certificate (serial {}) to site {}", redemption.grantId(),
                    issued.get().certificate().getSerialNumber().toString(16), redeemingSite);
        } else {
            LOG.warn("site {} was refused a link: {}", redeemingSite, redemption.message());
        }
        return new Outcome(redemption, issued.get());
    }

    /**
     * What a redemption gave.
     *
     * @param redemption  whether it was granted, and the message saying why not
     * @param credentials the link credentials issued, or {@code null} when refused
     */
    public record Outcome(Redemption redemption, LinkCredentials credentials) {

        public boolean granted() {
            return redemption.granted();
        }
    }
}
