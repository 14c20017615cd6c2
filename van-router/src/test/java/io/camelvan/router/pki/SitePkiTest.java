package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SitePkiTest {

    @TempDir
    Path dir;

    @Test
    void initWritesTheSiteCaAndRouterCertificateWhereTheConfigurationExpectsThem() {
        SitePki created = SitePki.init(dir, "west", "west-1", List.of("west.example.com", "127.0.0.1"));

        SitePki opened = SitePki.open(dir);
        PemFiles tls = SitePki.siteTls().resolveAgainst(dir);
        TlsCredentials profile = TlsCredentials.load(tls, opened.revocations());

        assertThat(SitePki.siteTls()).isEqualTo(new PemFiles(Path.of("certs/site.crt"), Path.of("certs/site.key"), Path.of("certs/ca.crt")));
        assertThat(opened.ca().certificate()).isEqualTo(created.ca().certificate());
        assertThat(opened.ca().siteName()).isEqualTo("west");
        assertThat(Certificates.commonName(profile.certificate())).isEqualTo("west-1");
        assertThat(PeerTrustManager.matchesHost(profile.certificate(), "west.example.com")).isTrue();
        assertThat(opened.certsDir()).isEqualTo(dir.resolve("certs"));
    }

    @Test
    void secondInitIsRefused() {
        SitePki.init(dir, "west", "west-1", List.of("localhost"));

        assertThatThrownBy(() -> SitePki.init(dir, "west", "west-1", List.of("localhost")))
                .isInstanceOf(PkiException.class)
                .hasMessage(dir.resolve("certs/ca.key") + " exists: " + dir + " already has a site CA");
    }

    @Test
    void grantsAndRevocationsLiveInTheSiteFolder() {
        SitePki site = SitePki.init(dir, "west", "west-1", List.of("localhost"));

        AccessToken token = site.grants("https://localhost:55671/grant").issue(java.time.Duration.ofMinutes(5), 1);
        site.revocations().revoke(java.math.BigInteger.TEN, "test");

        assertThat(dir.resolve("grants.yaml")).exists();
        assertThat(dir.resolve("revoked.txt")).exists();
        assertThat(SitePki.open(dir).grants("https://localhost:55671/grant").grants()).extracting(GrantStore.Grant::id)
                .containsExactly(token.grantId());
    }

    @Test
    void rotationTrustsBothCasUntilFinishedAndThenMovesTheRouterCertificate() throws Exception {
        SitePki site = SitePki.init(dir, "west", "west-1", List.of("west.example.com", "127.0.0.1"));
        X509Certificate oldCa = site.ca().certificate();
        X509Certificate oldRouter = Pem.readCertificate(dir.resolve("certs/site.crt"));

        SitePki rotating = site.startRotation();

        X509Certificate newCa = rotating.ca().certificate();
        assertThat(newCa).isNotEqualTo(oldCa);
        assertThat(Pem.readCertificates(dir.resolve("certs/ca.crt"))).containsExactly(newCa, oldCa);
        assertThat(SitePki.open(dir).ca().certificate()).isEqualTo(newCa);
        assertThat(Pem.readCertificate(dir.resolve("certs/site.crt"))).isEqualTo(oldRouter);
        LinkCredentials link = LinkCredentials.issue(rotating.ca(), "east", "localhost", 55671, 1, Duration.ofDays(1));
        assertThat(link.cas()).containsExactly(newCa, oldCa);
        assertThat(LinkCredentials.parse(link.toYaml(), "test").cas()).containsExactly(newCa, oldCa);
        AccessToken token = rotating.grants("https://localhost:55671/grant").issue(Duration.ofMinutes(5), 1);
        assertThat(token.caCertificates()).containsExactly(newCa, oldCa);
        assertThatThrownBy(rotating::startRotation).isInstanceOf(PkiException.class)
                .hasMessageContaining("a CA rotation is under way").hasMessageContaining("ca rotate --finish");

        SitePki rotated = SitePki.open(dir).finishRotation();

        assertThat(Pem.readCertificates(dir.resolve("certs/ca.crt"))).containsExactly(newCa);
        assertThat(rotated.ca().certificate()).isEqualTo(newCa);
        TlsCredentials router = TlsCredentials.load(SitePki.siteTls().resolveAgainst(dir), rotated.revocations());
        router.certificate().verify(newCa.getPublicKey());
        assertThat(Certificates.commonName(router.certificate())).isEqualTo("west-1");
        assertThat(Certificates.hostNames(router.certificate())).containsExactly("west.example.com", "127.0.0.1");
        assertThatThrownBy(rotated::finishRotation).isInstanceOf(PkiException.class)
                .hasMessageContaining("no CA rotation is under way");
    }
}
