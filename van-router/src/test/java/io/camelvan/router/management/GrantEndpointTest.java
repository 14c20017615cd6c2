package io.camelvan.router.management;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.config.HostPort;
import io.camelvan.router.management.GrantClient.GrantException;
import io.camelvan.router.pki.AccessToken;
import io.camelvan.router.pki.Certificates;
import io.camelvan.router.pki.GrantStore;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.pki.TlsCredentials;

/** Tokens redeemed over real TLS on loopback: link credentials for a good code, the reason for a bad one. */
class GrantEndpointTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private SitePki west;
    private TestGrantServer server;
    private String url;

    @BeforeEach
    void startTheGrantEndpointOfSiteWest() {
        west = SitePki.init(dir.resolve("west"), "west", "west", List.of("localhost", "127.0.0.1"));
        server = new TestGrantServer();
        url = "https://127.0.0.1:" + server.port() + "/grant";
        serveAt(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void serveAt(Clock clock) {
        TlsCredentials tls = TlsCredentials.load(SitePki.siteTls().resolveAgainst(dir.resolve("west")), west.revocations());
        server.serve(tls, new GrantService(west, new HostPort("127.0.0.1", server.port()), clock));
    }

    private AccessToken issue(int uses) {
        return west.grants(url, Clock.fixed(NOW, ZoneOffset.UTC)).issue(Duration.ofMinutes(15), uses);
    }

    @Test
    void aGoodCodeGivesAClientCertificateOfTheSiteCaAndRecordsItsSerial() {
        AccessToken token = issue(1);

        LinkCredentials link = GrantClient.redeem(token, "east");

        assertThat(link.name()).isEqualTo("west");
        assertThat(link.host()).isEqualTo("127.0.0.1");
        assertThat(link.port()).isEqualTo(server.port());
        assertThat(link.cost()).isEqualTo(1);
        assertThat(Certificates.commonName(link.certificate())).isEqualTo("east");
        assertThat(link.ca()).isEqualTo(west.ca().certificate());
        assertThat(west.grants(null, Clock.systemUTC()).grants()).singleElement()
                .satisfies(grant -> assertThat(grant.certificates()).containsExactly(link.certificate().getSerialNumber()));
    }

    @Test
    void aOneTimeCodeIsRefusedTheSecondTime() {
        AccessToken token = issue(1);
        GrantClient.redeem(token, "east");

        assertThatThrownBy(() -> GrantClient.redeem(token, "south"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isEqualTo(410))
                .hasMessage("site west refused the token: the token " + token.grantId() + " was already redeemed 1 time (by east at "
                        + NOW + ")");
    }

    @Test
    void expiredUnknownAndRevokedCodesAreRefusedWithTheReason() {
        AccessToken expired = issue(1);
        AccessToken revoked = issue(1);
        west.grants(url).revoke(revoked.grantId());
        AccessToken unknown = GrantStore.open(dir.resolve("elsewhere.yaml"), west.ca(), url, Clock.systemUTC()).issue(Duration.ofMinutes(5), 1);

        assertThatThrownBy(() -> GrantClient.redeem(unknown, "east"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessage("site west refused the token: the token is unknown to this site (not issued here, or deleted)");
        assertThatThrownBy(() -> GrantClient.redeem(revoked, "east"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessage("site west refused the token: the token " + revoked.grantId() + " was revoked");
        serveAt(Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertThatThrownBy(() -> GrantClient.redeem(expired, "east"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isEqualTo(410))
                .hasMessage("site west refused the token: the token " + expired.grantId() + " expired at 2026-03-01T10:15:00Z");
    }

    @Test
    void aServerWhoseCertificateIsNotOfTheTokensCaIsNotTrusted() {
        SitePki south = SitePki.init(dir.resolve("south"), "south", "south", List.of("127.0.0.1"));
        AccessToken foreign = south.grants(url).issue(Duration.ofMinutes(5), 1);

        assertThatThrownBy(() -> GrantClient.redeem(foreign, "east"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isZero())
                .hasMessageStartingWith("cannot reach site south at " + url + ": TLS handshake failed: ")
                .hasMessageContaining("is not signed by a trusted CA");
    }

    @Test
    void aSiteThatIsNotListeningIsReportedAsSuch() {
        AccessToken token = issue(1);
        server.close();

        assertThatThrownBy(() -> GrantClient.redeem(token, "east"))
                .isInstanceOfSatisfying(GrantException.class, e -> assertThat(e.status()).isZero())
                .hasMessage("cannot reach site west at " + url
                        + ": connection refused (is its router running, and its inter-router port reachable from here?)");
    }

    @Test
    void malformedRequestsOtherPathsAndMethodsAreAnswered() throws Exception {
        assertThat(send("POST", "/grant", "not json")).isEqualTo("400 {\"error\":\"the body is not JSON: expected {\\\"code\\\": \\\"...\\\", \\\"site\\\": \\\"...\\\"}\"}");
        assertThat(send("POST", "/grant", "{\"code\": \"abc\"}"))
                .isEqualTo("400 {\"error\":\"'site' must be a site name (letters, digits, '.', '_' or '-', at most 63)\"}");
        assertThat(send("POST", "/grant", "{\"code\": \"abc\", \"site\": \"../etc\"}")).startsWith("400 ");
        assertThat(send("GET", "/grant", null)).isEqualTo("405 {\"error\":\"use POST /grant\"}");
        assertThat(send("POST", "/admin", "{}")).isEqualTo("404 {\"error\":\"not found: this port serves only POST /grant\"}");
        assertThat(send("POST", "/grant", "x".repeat(GrantEndpoint.MAX_REQUEST_BYTES + 1))).startsWith("413");
    }

    private String send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = GrantClient.httpClient(west.ca().trusted()).send(request, HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body().strip();
    }
}
