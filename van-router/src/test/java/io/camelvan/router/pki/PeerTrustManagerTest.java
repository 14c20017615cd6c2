package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.MovableClock;

class PeerTrustManagerTest {

    private static final CertificateAuthority WEST = CertificateAuthority.create("west", Duration.ofDays(3650));
    private static final CertificateAuthority EAST = CertificateAuthority.create("east", Duration.ofDays(3650));
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private final IssuedCertificate client = WEST.withClock(fixed(NOW)).issueClient("east-1", Duration.ofDays(30));
    private final IssuedCertificate server = WEST.withClock(fixed(NOW)).issueServer("west-1", List.of("west.example.com"), Duration.ofDays(30));

    @Test
    void certificateOfTheTrustedCaIsAccepted() {
        PeerTrustManager trust = trustAt(NOW, RevocationList.inMemory());

        assertThatCode(() -> trust.checkClientTrusted(chain(client), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkServerTrusted(chain(server), "EC")).doesNotThrowAnyException();
        assertThatCode(() -> trust.checkClientTrusted(new X509Certificate[] {client.cert(), WEST.certificate()}, "EC"))
                .as("the CA appended by the peer").doesNotThrowAnyException();
    }

    @Test
    void certificateOfAnotherCaIsRefusedNamingTheTrustedOnes() {
        IssuedCertificate foreign = EAST.withClock(fixed(NOW)).issueClient("mallory", Duration.ofDays(30));

        assertThatThrownBy(() -> trustAt(NOW, RevocationList.inMemory()).checkClientTrusted(chain(foreign), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("peer certificate CN=mallory (serial " + hex(foreign) + ") is not signed by a trusted CA"
                        + " (issuer: CN=east CA; trusted: CN=west CA)");
    }

    @Test
    void certificateFromACaImpersonatingTheTrustedOneIsRefused() {
        CertificateAuthority impostor = CertificateAuthority.create("west", Duration.ofDays(3650));
        IssuedCertificate forged = impostor.withClock(fixed(NOW)).issueClient("east-1", Duration.ofDays(30));

        assertThatThrownBy(() -> trustAt(NOW, RevocationList.inMemory()).checkClientTrusted(chain(forged), "EC"))
                .hasMessageContaining("is not signed by a trusted CA (issuer: CN=west CA, named like a trusted CA but signed with another key;");
    }

    @Test
    void aCertificateAcceptedBeforeIsCheckedAgainForExpiryAndAForgedTwinIsStillRefused() throws Exception {
        MovableClock clock = new MovableClock(NOW);
        PeerTrustManager trust = new PeerTrustManager(List.of(WEST.certificate()), RevocationList.inMemory(), clock);
        trust.checkClientTrusted(chain(client), "EC");
        IssuedCertificate forged = CertificateAuthority.create("west", Duration.ofDays(3650)).withClock(fixed(NOW))
                .issueClient("east-1", Duration.ofDays(30));

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(forged), "EC")).hasMessageContaining("is not signed by a trusted CA");
        clock.advance(Duration.ofDays(31));
        assertThatThrownBy(() -> trust.checkClientTrusted(chain(client), "EC")).hasMessageContaining(") expired on ");
    }

    @Test
    void expiredCertificateIsRefusedWithItsEndDate() {
        Instant later = NOW.plus(Duration.ofDays(31));

        assertThatThrownBy(() -> trustAt(later, RevocationList.inMemory()).checkClientTrusted(chain(client), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("peer certificate CN=east-1 (serial " + hex(client) + ") expired on " + NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void notYetValidCertificateIsRefusedWithItsStartDate() {
        Instant earlier = NOW.minus(Duration.ofHours(1));

        assertThatThrownBy(() -> trustAt(earlier, RevocationList.inMemory()).checkServerTrusted(chain(server), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("peer certificate CN=west-1 (serial " + hex(server) + ") is not yet valid until "
                        + NOW.minusSeconds(60) + " (now " + earlier + ")");
    }

    @Test
    void certificateOfAnExpiredCaIsRefused() {
        CertificateAuthority shortLived = CertificateAuthority.create("west", Duration.ofDays(1));
        IssuedCertificate issued = shortLived.issueClient("east-1", Duration.ofDays(30)); // capped at the CA's end
        PeerTrustManager trust = new PeerTrustManager(List.of(shortLived.certificate()), RevocationList.inMemory(),
                fixed(shortLived.certificate().getNotAfter().toInstant().plusSeconds(1)));

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(issued), "EC"))
                .hasMessageContaining(") expired on " + shortLived.certificate().getNotAfter().toInstant());
    }

    @Test
    void revokedCertificateIsRefused() {
        RevocationList revocations = RevocationList.inMemory();
        revocations.revoke(client.serial(), "lost");

        assertThatThrownBy(() -> trustAt(NOW, revocations).checkClientTrusted(chain(client), "EC"))
                .isInstanceOf(CertificateException.class)
                .hasMessage("peer certificate CN=east-1 (serial " + hex(client) + ") is revoked");
    }

    @Test
    void revocationWrittenByAnotherProcessIsSeenAtTheNextCheck() throws Exception {
        Path file = dir.resolve("revoked.txt");
        PeerTrustManager trust = trustAt(NOW, RevocationList.load(file));
        trust.checkClientTrusted(chain(client), "EC");

        RevocationList.load(file).revoke(client.serial(), "by the CLI");

        assertThatThrownBy(() -> trust.checkClientTrusted(chain(client), "EC")).hasMessageEndingWith(" is revoked");
    }

    @Test
    void clientOnlyCertificateCannotServe() {
        assertThatThrownBy(() -> trustAt(NOW, RevocationList.inMemory()).checkServerTrusted(chain(client), "EC"))
                .hasMessage("peer certificate CN=east-1 (serial " + hex(client) + ") is not meant for a TLS server"
                        + " (extended key usage lacks serverAuth)");
    }

    @Test
    void caCertificateIsNoPeerCertificate() {
        assertThatThrownBy(() -> trustAt(NOW, RevocationList.inMemory()).checkClientTrusted(new X509Certificate[] {WEST.certificate()}, "EC"))
                .hasMessageEndingWith("is a CA certificate, not a router or link certificate");
    }

    @Test
    void emptyChainIsRefused() {
        assertThatThrownBy(() -> trustAt(NOW, RevocationList.inMemory()).checkClientTrusted(new X509Certificate[0], "EC"))
                .hasMessage("peer presented no certificate");
    }

    @Test
    void severalCasCanBeTrustedAtOnce() throws Exception {
        IssuedCertificate fromEast = EAST.withClock(fixed(NOW)).issueClient("east-1", Duration.ofDays(30));
        PeerTrustManager trust = new PeerTrustManager(List.of(WEST.certificate(), EAST.certificate()), RevocationList.inMemory(), fixed(NOW));

        trust.checkClientTrusted(chain(client), "EC");
        trust.checkClientTrusted(chain(fromEast), "EC");
        assertThat(trust.getAcceptedIssuers()).as("no CA names sent, so foreign peers still show their certificate").isEmpty();
    }

    @Test
    void leafIsNotAcceptedAsTrustedCa() {
        assertThatThrownBy(() -> new PeerTrustManager(List.of(client.cert()), RevocationList.inMemory()))
                .isInstanceOf(PkiException.class)
                .hasMessageEndingWith("is not a CA certificate and cannot be trusted as one");
    }

    @Test
    void hostMatchingUsesTheAlternativeNames() {
        X509Certificate cert = WEST.issueServer("west-1", List.of("west.example.com", "*.svc.local", "10.0.0.7", "2001:db8::1"),
                Duration.ofDays(1)).cert();

        assertThat(PeerTrustManager.matchesHost(cert, "WEST.example.com")).isTrue();
        assertThat(PeerTrustManager.matchesHost(cert, "west.example.com.")).isTrue();
        assertThat(PeerTrustManager.matchesHost(cert, "router.svc.local")).isTrue();
        assertThat(PeerTrustManager.matchesHost(cert, "a.router.svc.local")).as("a wildcard spans one label").isFalse();
        assertThat(PeerTrustManager.matchesHost(cert, "10.0.0.7")).isTrue();
        assertThat(PeerTrustManager.matchesHost(cert, "[2001:db8:0::1]")).isTrue();
        assertThat(PeerTrustManager.matchesHost(cert, "10.0.0.8")).isFalse();
        assertThat(PeerTrustManager.matchesHost(cert, "west-1")).as("the CN is not a host name").isFalse();
    }

    private static PeerTrustManager trustAt(Instant now, RevocationList revocations) {
        return new PeerTrustManager(List.of(WEST.certificate()), revocations, fixed(now));
    }

    private static X509Certificate[] chain(IssuedCertificate issued) {
        return new X509Certificate[] {issued.cert()};
    }

    private static String hex(IssuedCertificate issued) {
        return issued.serial().toString(16);
    }

    private static Clock fixed(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
