package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessTokenTest {

    private static final CertificateAuthority WEST = CertificateAuthority.create("west", Duration.ofDays(3650));
    private static final String URL = "https://west.example.com:55671/grant";

    @TempDir
    Path dir;

    @Test
    void tokenRoundTripsThroughItsFile() throws Exception {
        AccessToken token = issue(Instant.now());
        Path file = dir.resolve("token.yaml");

        token.write(file);
        AccessToken read = AccessToken.read(file);

        assertThat(read).isEqualTo(token);
        assertThat(read.site()).isEqualTo("west");
        assertThat(read.code()).matches("[A-Za-z0-9_-]{32}");
        assertThat(read.caCertificate()).isEqualTo(WEST.certificate());
        assertThat(read.host()).isEqualTo("west.example.com");
        assertThat(read.port()).isEqualTo(55671);
        read.verifyIssuedBy(WEST.certificate());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).startsWith("# Camel VAN access token of site west").contains("kind: access-token\n")
                .doesNotContain("PRIVATE KEY");
        assertThat(token.toString()).doesNotContain(token.code());
    }

    @Test
    void changingAnyCharacterOfAnyFieldIsDetected() throws Exception {
        Path original = dir.resolve("token.yaml");
        issue(Instant.now()).write(original);
        String text = Files.readString(original);

        List<String> tampered = new ArrayList<>();
        for (String key : List.of("site", "url", "code", "expires", "signature")) {
            Matcher value = Pattern.compile("(?m)^" + key + ": (.+)$").matcher(text);
            assertThat(value.find()).as(key).isTrue();
            // one character in the middle of the value and the last one (which base64 partly ignores)
            for (int at : new int[] {value.start(1) + (value.end(1) - value.start(1)) / 2, value.end(1) - 1}) {
                tampered.add(changeCharAt(text, at));
            }
        }
        int ca = text.indexOf("MII"); // inside the base64 of the CA certificate
        for (int at = ca + 10; at < ca + 400; at += 37) {
            tampered.add(changeCharAt(text, at));
        }

        for (String variant : tampered) {
            Path file = dir.resolve("tampered.yaml");
            Files.writeString(file, variant);
            assertThatThrownBy(() -> AccessToken.read(file)).as(variant).isInstanceOf(PkiException.class)
                    .hasMessageStartingWith("token file " + file);
        }
    }

    @Test
    void alteredTokenIsNamedAsSuch() throws Exception {
        Path file = dir.resolve("token.yaml");
        issue(Instant.now()).write(file);
        Files.writeString(file, Files.readString(file).replace("site: west", "site: wesT"));

        assertThatThrownBy(() -> AccessToken.read(file))
                .hasMessage("token file " + file + " was altered: its signature does not match its content"
                        + " (ask site wesT for a new token)");
    }

    @Test
    void tokenOfAnotherSiteIsNotOurs() {
        CertificateAuthority other = CertificateAuthority.create("west", Duration.ofDays(1));
        AccessToken token = AccessToken.sign(other, URL, "c".repeat(32), Instant.now().plusSeconds(60));

        assertThatThrownBy(() -> token.verifyIssuedBy(WEST.certificate()))
                .isInstanceOf(PkiException.class)
                .hasMessageStartingWith("the access token was not issued by this site");
    }

    @Test
    void expiredTokenIsRefusedLocally() {
        Instant issued = Instant.parse("2026-01-01T00:00:00Z");
        AccessToken token = issue(issued);

        assertThatThrownBy(() -> token.requireNotExpired(issued.plus(Duration.ofMinutes(15))))
                .isInstanceOf(PkiException.class)
                .hasMessage("the access token of site west expired at 2026-01-01T00:15:00Z; ask for a new one");
        token.requireNotExpired(issued.plus(Duration.ofMinutes(14)));
    }

    @Test
    void malformedFilesAreRefusedClearly() throws Exception {
        Path file = dir.resolve("token.yaml");

        Files.writeString(file, "kind: access-token\nsite: [unclosed\n");
        assertThatThrownBy(() -> AccessToken.read(file)).hasMessageStartingWith("token file " + file + " line ").hasMessageContaining("malformed");

        Files.writeString(file, "kind: access-token\nsite: west\ncolour: blue\n");
        assertThatThrownBy(() -> AccessToken.read(file)).hasMessage("token file " + file + " line 3: unknown key 'colour'");

        Files.writeString(file, "kind: access-token\nsite: west\n");
        assertThatThrownBy(() -> AccessToken.read(file)).hasMessage("token file " + file + ": missing 'expires'");

        Files.writeString(file, "");
        assertThatThrownBy(() -> AccessToken.read(file)).hasMessage("token file " + file + " is empty");

        LinkCredentials.issue(WEST, "east", "west.example.com", 55671, 1, Duration.ofDays(1)).write(file);
        assertThatThrownBy(() -> AccessToken.read(file)).hasMessage(file + " is not a token file (kind: link, expected access-token)");

        assertThatThrownBy(() -> AccessToken.read(dir.resolve("missing.yaml")))
                .hasMessage("token file " + dir.resolve("missing.yaml") + ": file not found");
    }

    private AccessToken issue(Instant now) {
        return GrantStore.open(dir.resolve("grants.yaml"), WEST, URL, Clock.fixed(now, ZoneOffset.UTC)).issue(Duration.ofMinutes(15), 1);
    }

    private static String changeCharAt(String text, int at) {
        char c = text.charAt(at);
        char replacement = c == 'A' ? 'B' : c == '0' ? '1' : 'A';
        return text.substring(0, at) + replacement + text.substring(at + 1);
    }
}
