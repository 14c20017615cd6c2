package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkCredentialsTest {

    private static final CertificateAuthority WEST = CertificateAuthority.create("west", Duration.ofDays(3650));

    @TempDir
    Path dir;

    @Test
    void linkFileRoundTrips() throws Exception {
        LinkCredentials link = LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 2, Duration.ofDays(365));
        Path file = dir.resolve("link-west.yaml");

        link.write(file);
        LinkCredentials read = LinkCredentials.read(file);

        assertThat(read).isEqualTo(link);
        assertThat(read.name()).isEqualTo("west");
        assertThat(Certificates.commonName(read.certificate())).isEqualTo("east");
        assertThat(read.ca()).isEqualTo(WEST.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains("kind: link\n", "host: west.example.com\n", "port: 55671\n", "cost: 2\n",
                "cert: |\n  -----BEGIN CERTIFICATE-----", "key: |\n  -----BEGIN PRIVATE KEY-----");
        assertThat(link.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void linkFileTextAsSentByTheGrantEndpointRoundTrips() {
        LinkCredentials link = LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 1, Duration.ofDays(365));

        assertThat(LinkCredentials.parse(link.toYaml(), "from https://west.example.com:55671/grant")).isEqualTo(link);
        assertThatThrownBy(() -> LinkCredentials.parse("kind: access-token\n", "from https://west.example.com:55671/grant"))
                .isInstanceOf(PkiException.class)
                .hasMessage("from https://west.example.com:55671/grant is not a link file (kind: access-token, expected link)");
    }

    @Test
    void pemFilesMakeAWorkingTlsProfile() throws Exception {
        LinkCredentials link = LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 1, Duration.ofDays(365));

        PemFiles files = link.writePemFiles(dir.resolve("certs"));

        assertThat(files.cert()).isEqualTo(dir.resolve("certs/link-west.crt"));
        assertThat(files.key()).isEqualTo(dir.resolve("certs/link-west.key"));
        assertThat(files.ca()).isEqualTo(dir.resolve("certs/link-west-ca.crt"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.key()))).isEqualTo("rw-------");
        TlsCredentials profile = TlsCredentials.load(files, RevocationList.inMemory());
        assertThat(profile.certificate()).isEqualTo(link.certificate());
        assertThat(profile.trustManager().trustedCas()).containsExactly(WEST.certificate());
        assertThat(profile.clientContext().isClient()).isTrue();
    }

    @Test
    void certificateOfAnotherCaIsRefused() throws Exception {
        Path file = dir.resolve("link.yaml");
        LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 1, Duration.ofDays(1)).write(file);
        String otherCa = Pem.encode(CertificateAuthority.create("south", Duration.ofDays(1)).certificate());
        String text = Files.readString(file);
        int ca = text.indexOf("ca: |");
        Files.writeString(file, text.substring(0, ca) + "ca: |\n" + otherCa.indent(2));

        assertThatThrownBy(() -> LinkCredentials.read(file))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("link file " + file + ": the certificate CN=east (serial ")
                .hasMessageContaining("was not issued by the CA in the file, CN=south CA");
    }

    @Test
    void badValuesAreRefused() {
        assertThatThrownBy(() -> LinkCredentials.issue(WEST, "east", "west.example.com", 70000, 1, Duration.ofDays(1)))
                .hasMessage("link west: port 70000 is not between 1 and 65535");
        assertThatThrownBy(() -> LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 0, Duration.ofDays(1)))
                .hasMessage("link west: cost 0 must be at least 1");
        LinkCredentials link = LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 1, Duration.ofDays(1));
        assertThatThrownBy(() -> link.withName("../etc"))
                .hasMessage("'../etc' is not a valid link name (letters, digits, '.', '_' or '-', at most 63)");
    }
}
