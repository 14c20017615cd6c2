package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.pki.GrantStore.Redemption;
import io.camelvan.router.pki.GrantStore.Refusal;

class GrantStoreTest {

    private static final CertificateAuthority WEST = CertificateAuthority.create("west", Duration.ofDays(3650));
    private static final String URL = "https://west.example.com:55671/grant";
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void tokenIsRedeemedOnceAndRefusedTheSecondTime() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofMinutes(15), 1);

        Redemption first = store.redeem(token.code(), "east", NOW.plusSeconds(60));
        Redemption second = store.redeem(token.code(), "south", NOW.plusSeconds(120));

        assertThat(first.granted()).isTrue();
        assertThat(first.grantId()).isEqualTo(token.grantId());
        assertThat(second.granted()).isFalse();
        assertThat(second.refusal()).isEqualTo(Refusal.USED_UP);
        assertThat(second.message()).isEqualTo("the token " + token.grantId() + " was already redeemed 1 time (by east at "
                + NOW.plusSeconds(60) + ")");
    }

    @Test
    void theCertificateIssuedForARedemptionIsRecordedWithIt() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofMinutes(15), 2);

        store.redeem(token.code(), "east", NOW, () -> BigInteger.valueOf(0xcafe));
        store.redeem(token.code(), "south", NOW);

        assertThat(open().grants()).singleElement().satisfies(grant -> {
            assertThat(grant.certificates()).containsExactly(BigInteger.valueOf(0xcafe));
            assertThat(grant.redeemedBy()).extracting(GrantStore.Redeemer::certificate).containsExactly(BigInteger.valueOf(0xcafe), null);
        });
    }

    @Test
    void aRedemptionWhoseCertificateCannotBeIssuedIsNotCounted() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofMinutes(15), 1);

        assertThatThrownBy(() -> store.redeem(token.code(), "east", NOW, () -> {
            throw new PkiException("CA expired");
        })).hasMessage("CA expired");

        assertThat(store.redeem(token.code(), "east", NOW, () -> BigInteger.ONE).granted()).isTrue();
    }

    @Test
    void aStoreOpenedWithoutUrlDoesNotIssue() {
        GrantStore store = GrantStore.open(dir.resolve("grants.yaml"), WEST, null, Clock.systemUTC());

        assertThatThrownBy(() -> store.issue(Duration.ofMinutes(15), 1)).isInstanceOf(PkiException.class)
                .hasMessageContaining("cannot issue tokens");
    }

    @Test
    void tokenWithSeveralUsesCountsThemDown() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofHours(1), 2);

        assertThat(store.redeem(token.code(), "east", NOW).granted()).isTrue();
        assertThat(store.redeem(token.code(), "south", NOW).granted()).isTrue();
        assertThat(store.redeem(token.code(), "north", NOW).refusal()).isEqualTo(Refusal.USED_UP);
        assertThat(store.grants()).singleElement().satisfies(grant -> {
            assertThat(grant.usesRemaining()).isZero();
            assertThat(grant.redeemedBy()).extracting(GrantStore.Redeemer::site).containsExactly("east", "south");
        });
    }

    @Test
    void expiredTokenIsRefusedWithItsExpiry() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofMinutes(15), 1);

        Redemption late = store.redeem(token.code(), "east", NOW.plus(Duration.ofMinutes(15)));

        assertThat(late.refusal()).isEqualTo(Refusal.EXPIRED);
        assertThat(late.message()).isEqualTo("the token " + token.grantId() + " expired at 2026-03-01T10:15:00Z");
        assertThat(token.expires()).isEqualTo(Instant.parse("2026-03-01T10:15:00Z"));
    }

    @Test
    void unknownAndRevokedCodesAreRefused() {
        GrantStore store = open();
        AccessToken token = store.issue(Duration.ofMinutes(15), 1);

        assertThat(store.redeem("not-a-code-we-issued", "east", NOW).refusal()).isEqualTo(Refusal.UNKNOWN_CODE);
        assertThat(store.revoke(token.grantId())).isTrue();
        assertThat(store.revoke("0000000000000000")).isFalse();
        Redemption revoked = store.redeem(token.code(), "east", NOW);
        assertThat(revoked.refusal()).isEqualTo(Refusal.REVOKED);
        assertThat(revoked.message()).isEqualTo("the token " + token.grantId() + " was revoked");
    }

    @Test
    void storeKeepsOnlyAHashOfTheCodeInAnOwnerOnlyFile() throws Exception {
        AccessToken token = open().issue(Duration.ofMinutes(15), 1);
        Path file = dir.resolve("grants.yaml");

        String text = Files.readString(file);

        assertThat(text).doesNotContain(token.code()).contains("codeSha256: " + token.grantId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void tokenIssuedByTheCliIsRedeemedByTheRouter() {
        GrantStore router = open();
        AccessToken token = open().issue(Duration.ofMinutes(15), 1); // another process, the same file

        assertThat(router.redeem(token.code(), "east", NOW).granted()).isTrue();
        assertThat(open().redeem(token.code(), "east", NOW).refusal()).isEqualTo(Refusal.USED_UP);
    }

    @Test
    void concurrentRedemptionsOfAOneUseTokenGrantExactlyOne() throws Exception {
        AccessToken token = open().issue(Duration.ofMinutes(15), 1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Redemption> outcomes = new ArrayList<>();
        try {
            List<Callable<Redemption>> attempts = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                GrantStore store = open();
                String site = "site-" + i;
                attempts.add(() -> store.redeem(token.code(), site, NOW));
            }
            for (Future<Redemption> outcome : pool.invokeAll(attempts)) {
                outcomes.add(outcome.get());
            }
        } finally {
            pool.shutdown();
        }

        assertThat(outcomes).filteredOn(Redemption::granted).hasSize(1);
        assertThat(outcomes).filteredOn(r -> !r.granted()).extracting(Redemption::refusal).containsOnly(Refusal.USED_UP);
    }

    @Test
    void badArgumentsAndDamagedFilesAreRefused() throws Exception {
        GrantStore store = open();
        assertThatThrownBy(() -> store.issue(Duration.ZERO, 1)).hasMessage("a token's expiry must be positive, not PT0S");
        assertThatThrownBy(() -> store.issue(Duration.ofMinutes(1), 0)).hasMessage("a token must be usable at least once, not 0 times");

        Path file = dir.resolve("grants.yaml");
        Files.writeString(file, "kind: grants\ngrants:\n- codeSha256: xyz\n  issued: 2026-03-01T10:00:00Z\n");
        assertThatThrownBy(this::open).hasMessage("grant store " + file + ": 'codeSha256' is not a hex SHA-256: xyz");
        Files.writeString(file, "kind: grants\ngrants:\n- codeSha256: " + "a".repeat(64) + "\n  issued: 2026-03-01T10:00:00Z\n"
                + "  expires: 2026-03-01T10:00:00Z\n");
        assertThatThrownBy(this::open).hasMessage("grant store " + file + ": missing 'uses'");
    }

    private GrantStore open() {
        return GrantStore.open(dir.resolve("grants.yaml"), WEST, URL, Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
