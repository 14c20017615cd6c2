package io.camelvan.router.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.PkiException;
import io.camelvan.router.pki.RevocationList;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.pki.TlsCredentials;

class ReloadingProfileTest {

    @TempDir
    Path dir;

    @Test
    void newFilesAreUsedOnceTheyLoadAndHalfWrittenOnesKeepThePreviousFiles() {
        SitePki site = SitePki.init(dir, "west", "west", List.of("localhost"));
        PemFiles files = SitePki.siteTls().resolveAgainst(dir);
        ReloadingProfile<TlsCredentials> profile = new ReloadingProfile<>("site", files, RevocationList.inMemory(), Function.identity());
        TlsCredentials first = profile.current();
        assertThat(profile.current()).as("unchanged files are not read again into new credentials").isSameAs(first);

        IssuedCertificate next = site.ca().issueServer("west", List.of("localhost"), Duration.ofDays(1));
        Pem.writeCertificate(files.cert(), next.cert());
        assertThat(profile.current()).as("a certificate without its key yet").isSameAs(first);

        Pem.writePrivateKey(files.key(), next.key());
        assertThat(profile.current().certificate()).isEqualTo(next.cert());
    }

    @Test
    void filesThatDoNotLoadAtFirstAreAnError() {
        SitePki.init(dir, "west", "west", List.of("localhost"));
        PemFiles files = new PemFiles(dir.resolve("certs/site.crt"), dir.resolve("certs/ca.key"), dir.resolve("certs/ca.crt"));

        assertThatThrownBy(() -> new ReloadingProfile<>("site", files, RevocationList.inMemory(), Function.identity()))
                .isInstanceOf(PkiException.class).hasMessageContaining("the private key does not belong to certificate");
    }
}
