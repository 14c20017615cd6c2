package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateAuthorityTest {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    @TempDir
    Path dir;

    @Test
    void caCertificateIsASelfSignedP256Ca() throws Exception {
        Instant before = Instant.now();
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));
        X509Certificate cert = ca.certificate();

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=west CA");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        cert.verify(cert.getPublicKey());
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(cert.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(cert.getKeyUsage()[6]).as("cRLSign").isTrue();
        assertThat(cert.getExtensionValue("2.5.29.14")).as("subject key identifier").isNotNull();
        assertThat(cert.getPublicKey().toString()).contains("secp256r1");
        assertThat(cert.getNotBefore().toInstant()).isBefore(before.minusSeconds(59));
        assertThat(ca.siteName()).isEqualTo("west");
    }

    @Test
    void serverCertificateCarriesDnsAndIpNamesAndBothPurposes() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));

        IssuedCertificate server = ca.issueServer("west-1",
                List.of("west.example.com", "*.west.svc", "10.1.2.3", "[2001:db8::1]", "localhost"), Duration.ofDays(1));
        X509Certificate cert = server.cert();

        cert.verify(ca.certificate().getPublicKey());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=west-1");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(cert.getSubjectAlternativeNames()).containsExactly(
                List.of(2, "west.example.com"), List.of(2, "*.west.svc"), List.of(7, "10.1.2.3"),
                List.of(7, "2001:db8:0:0:0:0:0:1"), List.of(2, "localhost"));
        assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(server.ca()).isEqualTo(ca.certificate());
        assertThat(server.commonName()).isEqualTo("west-1");
    }

    @Test
    void clientCertificateIsForClientsOnlyWithARandom128BitSerial() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));

        IssuedCertificate first = ca.issueClient("east", Duration.ofDays(1));
        IssuedCertificate second = ca.issueClient("east", Duration.ofDays(1));

        assertThat(first.cert().getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(first.serial().bitLength()).isEqualTo(128);
        assertThat(first.serial().signum()).isPositive();
        assertThat(first.serial()).isNotEqualTo(second.serial());
    }

    @Test
    void certificatesStartAMinuteEarlyAndNeverOutliveTheCa() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(3650))
                .withClock(Clock.fixed(now, ZoneOffset.UTC));

        X509Certificate cert = ca.issueClient("east", Duration.ofDays(1)).cert();
        X509Certificate longer = ca.issueClient("east", Duration.ofDays(100_000)).cert();

        assertThat(cert.getNotBefore().toInstant()).isEqualTo(now.minusSeconds(60));
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(now.plus(Duration.ofDays(1)));
        assertThat(longer.getNotAfter()).isEqualTo(ca.certificate().getNotAfter());
    }

    @Test
    void expiredCaIssuesNothing() {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(1))
                .withClock(Clock.fixed(Instant.now().plus(Duration.ofDays(2)), ZoneOffset.UTC));

        assertThatThrownBy(() -> ca.issueClient("east", Duration.ofDays(1)))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("the CA CN=west CA (serial ")
                .hasMessageContaining(") expired on ");
    }

    @Test
    void savedCaLoadsBack() {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));
        ca.save(dir.resolve("ca.crt"), dir.resolve("ca.key"));

        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key"));

        assertThat(loaded.certificate()).isEqualTo(ca.certificate());
        assertThat(loaded.privateKey()).isEqualTo(ca.privateKey());
        assertThat(loaded.siteName()).isEqualTo("west");
        X509Certificate issued = loaded.issueClient("east", Duration.ofDays(1)).cert();
        assertThat(Certificates.isSignedBy(issued, ca.certificate().getPublicKey())).isTrue();
    }

    @Test
    void caWithAnotherCasKeyIsRefused() {
        CertificateAuthority west = CertificateAuthority.create("west", Duration.ofDays(10));
        CertificateAuthority east = CertificateAuthority.create("east", Duration.ofDays(10));
        Pem.writeCertificate(dir.resolve("ca.crt"), west.certificate());
        Pem.writePrivateKey(dir.resolve("ca.key"), east.privateKey());

        assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("ca.crt"), dir.resolve("ca.key")))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith(dir.resolve("ca.key") + ": the private key does not belong to certificate CN=west CA");
    }

    @Test
    void leafCertificateIsNotLoadedAsCa() {
        CertificateAuthority west = CertificateAuthority.create("west", Duration.ofDays(10));
        west.issueClient("east", Duration.ofDays(1)).save(dir.resolve("east.crt"), dir.resolve("east.key"));

        assertThatThrownBy(() -> CertificateAuthority.load(dir.resolve("east.crt"), dir.resolve("east.key")))
                .isInstanceOf(PkiException.class)
                .hasMessageEndingWith("is not a CA certificate");
    }

    @Test
    void issuedCertificateSavesTheLeafAloneAndTheCaSeparately() {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));
        IssuedCertificate server = ca.issueServer("west-1", List.of("localhost"), Duration.ofDays(1));
        PemFiles files = new PemFiles(dir.resolve("site.crt"), dir.resolve("site.key"), dir.resolve("ca.crt"));

        server.save(files);

        assertThat(Pem.readCertificates(files.cert())).containsExactly(server.cert());
        assertThat(Pem.readPrivateKey(files.key())).isEqualTo(server.key());
        assertThat(Pem.readCertificates(files.ca())).containsExactly(ca.certificate());
    }

    @Test
    void badHostNameIsRefused() {
        CertificateAuthority ca = CertificateAuthority.create("west", Duration.ofDays(10));

        assertThatThrownBy(() -> ca.issueServer("west-1", List.of("west example.com"), Duration.ofDays(1)))
                .isInstanceOf(PkiException.class)
                .hasMessage("'west example.com' is neither a DNS name nor an IP address");
    }
}
