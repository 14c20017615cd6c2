package io.camelvan.router.pki;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The issuing site's record of the access tokens it handed out ({@code grants.yaml} in the site
 * folder): for each, a SHA-256 hash of its code (never the code), when it expires, how many
 * redemptions are left, whether it was revoked, and who redeemed it.
 *
 * <p>Each redemption records the serial of the client certificate it produced, so that revoking the
 * grant ({@code token revoke}) can revoke those certificates too.
 *
 * <p>The CLI issues and revokes while the router redeems, in other processes: every operation
 * rereads the file, changes it and replaces it atomically, all under a file lock. Thread-safe.
 */
public final class GrantStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CODE_BYTES = 24; // 32 characters of URL-safe base64

    private final Path file;
    private final CertificateAuthority ca;
    private final String grantUrl;
    private final Clock clock;

    private GrantStore(Path file, CertificateAuthority ca, String grantUrl, Clock clock) {
        this.file = file;
        this.ca = ca;
        this.grantUrl = grantUrl;
        this.clock = clock;
    }

    /**
     * The grants of a site; a missing file is an empty store, created on the first issue.
     *
     * @param ca       the site CA, which signs the tokens
     * @param grantUrl where tokens are redeemed, written into each token; {@code null} for a store
     *                 that only redeems, lists and revokes
     * @param clock    the time tokens are issued at
     */
    public static GrantStore open(Path file, CertificateAuthority ca, String grantUrl, Clock clock) {
        GrantStore store = new GrantStore(Objects.requireNonNull(file, "file"), Objects.requireNonNull(ca, "ca"),
                grantUrl, Objects.requireNonNull(clock, "clock"));
        store.read(); // report a damaged file now, not at the first redemption
        return store;
    }

    /**
     * Issues a token redeemable {@code uses} times until {@code expiry} from now.
     */
    public AccessToken issue(Duration expiry, int uses) {
        if (grantUrl == null) {
            throw new PkiException("the grant store " + file + " was opened without a grant URL: it cannot issue tokens");
        }
        if (expiry == null || expiry.isNegative() || expiry.isZero()) {
            throw new PkiException("a token's expiry must be positive, not " + expiry);
        }
        if (uses < 1) {
            throw new PkiException("a token must be usable at least once, not " + uses + " times");
        }
        byte[] secret = new byte[CODE_BYTES];
        RANDOM.nextBytes(secret);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(expiry);
        AccessToken token = AccessToken.sign(ca, grantUrl, code, expires);
        update(grants -> {
            grants.add(new Grant(HexFormat.of().formatHex(AccessToken.sha256(code)), now, expires, uses, uses, false, List.of()));
            return null;
        });
        return token;
    }

    /**
     * Redeems a code once, if it is known, not revoked, not expired and not used up.
     *
     * @param redeemedBy who redeems it (the redeeming site), kept in the record
     * @param now        the time of the redemption
     */
    public Redemption redeem(String code, String redeemedBy, Instant now) {
        return redeem(code, redeemedBy, now, () -> null);
    }

    /**
     * Redeems a code once, as {@link #redeem(String, String, Instant)}, and while the grant is still
     * locked issues what it grants. The serial of the certificate issued is recorded with the
     * redemption; if issuing fails, the redemption is not counted.
     *
     * @param issueCertificate called only when the redemption is granted; returns the serial of the
     *                         certificate it issued
     */
    public Redemption redeem(String code, String redeemedBy, Instant now, Supplier<BigInteger> issueCertificate) {
        byte[] hash = AccessToken.sha256(Objects.requireNonNull(code, "code"));
        return update(grants -> {
            for (int i = 0; i < grants.size(); i++) {
                Grant grant = grants.get(i);
                if (!MessageDigest.isEqual(hash, HexFormat.of().parseHex(grant.codeSha256()))) {
                    continue;
                }
                if (grant.revoked()) {
                    return new Redemption(grant.id(), Refusal.REVOKED, "the token " + grant.id() + " was revoked");
                }
                if (!now.isBefore(grant.expires())) {
                    return new Redemption(grant.id(), Refusal.EXPIRED,
                            "the token " + grant.id() + " expired at " + grant.expires());
                }
                if (grant.usesRemaining() <= 0) {
                    return new Redemption(grant.id(), Refusal.USED_UP, "the token " + grant.id() + " was already redeemed "
                            + grant.uses() + (grant.uses() == 1 ? " time" : " times") + " (by "
                            + grant.redeemedBy().stream().map(Redeemer::toString).collect(Collectors.joining(", ")) + ")");
                }
                Grant used = grant.redeemed(new Redeemer(redeemedBy, now.truncatedTo(ChronoUnit.SECONDS), issueCertificate.get()));
                grants.set(i, used);
                return new Redemption(grant.id(), null, "the token " + grant.id() + " was redeemed by " + redeemedBy
                        + " (redemptions left: " + used.usesRemaining() + ")");
            }
            return new Redemption(null, Refusal.UNKNOWN_CODE, "the token is unknown to this site (not issued here, or deleted)");
        });
    }

    /**
     * Revokes a grant so its token can no longer be redeemed.
     *
     * @param grantId as listed by {@link #grants()} or given by {@link AccessToken#grantId()}
     * @return whether such a grant exists
     */
    public boolean revoke(String grantId) {
        return update(grants -> {
            for (int i = 0; i < grants.size(); i++) {
                if (grants.get(i).id().equals(grantId)) {
                    grants.set(i, grants.get(i).withRevoked());
                    return true;
                }
            }
            return false;
        });
    }

    /** The grants as currently on file, oldest first. */
    public List<Grant> grants() {
        return List.copyOf(read());
    }

    private <T> T update(Function<List<Grant>, T> change) {
        return FileLocks.withLock(file, () -> {
            List<Grant> grants = read();
            List<Grant> before = List.copyOf(grants);
            T result = change.apply(grants);
            if (!grants.equals(before)) {
                YamlFiles.write(file, new GrantsFile(GrantsFile.KIND, grants.stream().map(Grant::toEntry).toList()),
                        "Grants of site " + ca.siteName() + " handed out by `van-router token issue`.\n"
                                + "Only a SHA-256 hash of each token's code is kept.", true);
            }
            return result;
        });
    }

    private List<Grant> read() {
        if (!Files.exists(file)) {
            return new ArrayList<>();
        }
        GrantsFile content = YamlFiles.read(file, GrantsFile.class, "grant store", GrantsFile.KIND);
        List<Grant> grants = new ArrayList<>();
        if (content.grants() != null) {
            for (GrantEntry entry : content.grants()) {
                grants.add(Grant.of(entry, file));
            }
        }
        return grants;
    }

    /** Why a redemption was refused. */
    public enum Refusal {
        /** No grant has this code: never issued here, mistyped, or the grant store was reset. */
        UNKNOWN_CODE,
        /** The token's expiry has passed. */
        EXPIRED,
        /** The token was redeemed as many times as it allows. */
        USED_UP,
        /** An operator revoked the token. */
        REVOKED
    }

    /**
     * The outcome of {@link #redeem}.
     *
     * @param grantId the grant concerned, or {@code null} for an unknown code
     * @param refusal why it was refused, or {@code null} when granted
     * @param message what happened, for logs and for the redeeming site
     */
    public record Redemption(String grantId, Refusal refusal, String message) {

        public boolean granted() {
            return refusal == null;
        }
    }

    /**
     * Who redeemed a grant, and when.
     *
     * @param certificate the serial of the client certificate issued to it, or {@code null} if none was
     */
    public record Redeemer(String site, Instant at, BigInteger certificate) {

        @Override
        public String toString() {
            return site + " at " + at;
        }
    }

    /**
     * One issued token, as recorded.
     *
     * @param codeSha256    hex SHA-256 of the token's code
     * @param uses          how many redemptions the token allows
     * @param usesRemaining how many are left
     */
    public record Grant(String codeSha256, Instant issued, Instant expires, int uses, int usesRemaining, boolean revoked,
                        List<Redeemer> redeemedBy) {

        public Grant {
            redeemedBy = List.copyOf(redeemedBy);
        }

        /** The serials of the certificates issued through this grant, in the order of its redemptions. */
        public List<BigInteger> certificates() {
            return redeemedBy.stream().map(Redeemer::certificate).filter(Objects::nonNull).toList();
        }

        /** The grant's name in listings and for {@link #revoke}: a prefix of the code's hash. */
        public String id() {
            return codeSha256.substring(0, 16);
        }

        Grant redeemed(Redeemer by) {
            List<Redeemer> all = new ArrayList<>(redeemedBy);
            all.add(by);
            return new Grant(codeSha256, issued, expires, uses, usesRemaining - 1, revoked, all);
        }

        Grant withRevoked() {
            return new Grant(codeSha256, issued, expires, uses, usesRemaining, true, redeemedBy);
        }

        GrantEntry toEntry() {
            return new GrantEntry(codeSha256, issued.toString(), expires.toString(), uses, usesRemaining, revoked,
                    redeemedBy.stream().map(r -> new RedeemerEntry(r.site(), r.at().toString(),
                            r.certificate() == null ? null : r.certificate().toString(16))).toList());
        }

        static Grant of(GrantEntry entry, Path file) {
            String what = "grant store";
            String hash = YamlFiles.require(entry.codeSha256(), "codeSha256", file, what);
            if (!hash.matches("[0-9a-f]{64}")) {
                throw new PkiException(what + " " + file + ": 'codeSha256' is not a hex SHA-256: " + hash);
            }
            try {
                List<Redeemer> redeemers = entry.redeemedBy() == null ? List.of()
                        : entry.redeemedBy().stream().map(r -> new Redeemer(r.site(), Instant.parse(r.at()),
                                r.certificate() == null ? null : serial(r.certificate(), file))).toList();
                return new Grant(hash, Instant.parse(YamlFiles.require(entry.issued(), "issued", file, what)),
                        Instant.parse(YamlFiles.require(entry.expires(), "expires", file, what)),
                        YamlFiles.require(entry.uses(), "uses", file, what),
                        YamlFiles.require(entry.usesRemaining(), "usesRemaining", file, what),
                        Boolean.TRUE.equals(entry.revoked()), redeemers);
            } catch (DateTimeParseException e) {
                throw new PkiException(what + " " + file + ": not a time: " + e.getParsedString(), e);
            }
        }

        private static BigInteger serial(String hex, Path file) {
            try {
                return new BigInteger(hex, 16);
            } catch (NumberFormatException e) {
                throw new PkiException("grant store " + file + ": 'certificate' is not a hex serial number: " + hex, e);
            }
        }
    }

    @JsonPropertyOrder({"kind", "grants"})
    record GrantsFile(String kind, List<GrantEntry> grants) {
        static final String KIND = "grants";
    }

    @JsonPropertyOrder({"codeSha256", "issued", "expires", "uses", "usesRemaining", "revoked", "redeemedBy"})
    record GrantEntry(String codeSha256, String issued, String expires, Integer uses, Integer usesRemaining, Boolean revoked,
                      List<RedeemerEntry> redeemedBy) {
    }

    @JsonPropertyOrder({"site", "at", "certificate"})
    record RedeemerEntry(String site, String at, String certificate) {
    }
}
