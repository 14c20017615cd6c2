package io.camelvan.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links and TLS profiles are added and removed; the file is checked first, written whole, and keeps its comments elsewhere. */
class ConfigEditorTest {

    private static final TlsProfile SITE_TLS = new TlsProfile("certs/site.crt", "certs/site.key", "certs/ca.crt");
    private static final TlsProfile EAST_TLS = new TlsProfile("certs/link-east.crt", "certs/link-east.key", "certs/link-east-ca.crt");
    private static final LinkConfig EAST = new LinkConfig("east", "east.example.com", 55671, 2, "link-east");

    @TempDir
    Path dir;

    private Path file;
    private String initial;

    @BeforeEach
    void writeANewSite() throws Exception {
        Files.createDirectories(dir.resolve("certs"));
        for (String name : new String[] {"site.crt", "site.key", "ca.crt", "link-east.crt", "link-east.key", "link-east-ca.crt"}) {
            Files.writeString(dir.resolve("certs").resolve(name), "pem");
        }
        file = dir.resolve("site.yaml");
        initial = new InitialSiteConfig("west", "west-1", 5672, HostPort.parse("west.example.com:55671"), 9090, SITE_TLS).yaml();
        Files.writeString(file, initial);
    }

    @Test
    void theWrittenConfigurationOfANewSiteIsValid() {
        SiteConfig config = ConfigLoader.load(file);

        assertThat(config.routerId()).isEqualTo("west-1");
        assertThat(config.listeners().get(1).role()).isEqualTo(ListenerRole.INTER_ROUTER);
        assertThat(config.listeners().get(1).advertisedAddress()).isEqualTo(new HostPort("west.example.com", 55671));
        assertThat(config.tls()).containsEntry("site", SITE_TLS);
        assertThat(config.admin()).isEqualTo(new AdminConfig("127.0.0.1", 9090, null));
    }

    @Test
    void aLinkAndItsProfileAreAddedInPlaceKeepingTheOtherLinesAndComments() throws Exception {
        SiteConfig saved = ConfigEditor.open(file).addTlsProfile("link-east", EAST_TLS).addLink(EAST).save();

        String text = Files.readString(file);
        assertThat(saved.links()).containsExactly(EAST);
        assertThat(ConfigLoader.load(file)).isEqualTo(saved);
        assertThat(text).contains("""
                links:
                  - {name: east, host: east.example.com, port: 55671, cost: 2, tls: link-east}
                # TLS profiles""");
        assertThat(text).contains("""
                tls:
                  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}
                  link-east: {cert: certs/link-east.crt, key: certs/link-east.key, ca: certs/link-east-ca.crt}
                # The admin HTTP port""");
        assertThat(text.lines().filter(line -> line.contains("#")))
                .as("every comment of the file").containsExactlyElementsOf(initial.lines().filter(line -> line.contains("#")).toList());
    }

    @Test
    void removingWhatWasAddedGivesBackTheSameFile() throws Exception {
        ConfigEditor.open(file).addTlsProfile("link-east", EAST_TLS).addLink(EAST).save();

        ConfigEditor.open(file).removeLink("east").removeTlsProfile("link-east").save();

        assertThat(Files.readString(file)).isEqualTo(initial);
    }

    @Test
    void aLinkIsChangedInPlaceAndAddressSettingsComeAndGo() throws Exception {
        ConfigEditor.open(file).addTlsProfile("link-east", EAST_TLS).addLink(EAST).save();

        SiteConfig changed = ConfigEditor.open(file).replaceLink(new LinkConfig("east", "east.example.com", 55671, 7, "link-east"))
            .addAddress(new AddressConfig("events.", Distribution.MULTICAST)).save();
        assertThat(changed.links()).extracting(LinkConfig::cost).containsExactly(7);
        assertThat(Files.readString(file)).contains("  - {prefix: events., distribution: multicast}");

        SiteConfig closest = ConfigEditor.open(file).replaceAddress(new AddressConfig("events.", Distribution.CLOSEST)).save();
        assertThat(closest.addresses()).containsExactly(new AddressConfig("events.", Distribution.CLOSEST));
        assertThatThrownBy(() -> ConfigEditor.open(file).addAddress(new AddressConfig("events.", Distribution.BALANCED)))
            .hasMessageContaining("there is already an entry for prefix 'events.'");
        assertThatThrownBy(() -> ConfigEditor.open(file).replaceLink(new LinkConfig("west", "h", 1, 1, "link-east")))
            .hasMessageContaining("no link named 'west'");

        assertThat(ConfigEditor.open(file).removeAddress("events.").save().addresses()).isEmpty();
        assertThatThrownBy(() -> ConfigEditor.open(file).removeAddress("events.")).hasMessageContaining("no entry for prefix");
    }

    @Test
    void aMissingSectionIsAddedInItsUsualPlace() throws Exception {
        Files.writeString(file, """
                site: west   # the name
                tls:
                  link-east:
                    cert: certs/link-east.crt
                    key: certs/link-east.key
                    ca: certs/link-east-ca.crt
                admin: {port: 9191}
                """);

        ConfigEditor.open(file).addLink(EAST).save();

        assertThat(Files.readString(file)).isEqualTo("""
                site: west   # the name
                links:
                  - {name: east, host: east.example.com, port: 55671, cost: 2, tls: link-east}
                tls:
                  link-east:
                    cert: certs/link-east.crt
                    key: certs/link-east.key
                    ca: certs/link-east-ca.crt
                admin: {port: 9191}
                """);
    }

    @Test
    void anEmptySectionIsFilledWhereItIs() throws Exception {
        Files.writeString(file, """
                site: west
                tls: {link-east: {cert: certs/link-east.crt, key: certs/link-east.key, ca: certs/link-east-ca.crt}}
                links:
                admin: {port: 9191}
                """);

        ConfigEditor.open(file).addLink(EAST).save();

        assertThat(Files.readString(file)).isEqualTo("""
                site: west
                tls: {link-east: {cert: certs/link-east.crt, key: certs/link-east.key, ca: certs/link-east-ca.crt}}
                links:
                  - {name: east, host: east.example.com, port: 55671, cost: 2, tls: link-east}
                admin: {port: 9191}
                """);
    }

    @Test
    void aFileWhoseSectionsCannotBeReplacedIsRewrittenWhole() throws Exception {
        Files.writeString(file, "{site: west, tls: {site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}}, admin: {port: 9191}}\n");

        SiteConfig saved = ConfigEditor.open(file).addTlsProfile("link-east", EAST_TLS).addLink(EAST).save();

        assertThat(ConfigLoader.load(file)).isEqualTo(saved);
        assertThat(saved.links()).containsExactly(EAST);
        assertThat(Files.readString(file)).startsWith("site: west\nlinks:\n");
    }

    @Test
    void aChangeThatWouldBreakTheConfigurationIsNotWritten() throws Exception {
        ConfigEditor editor = ConfigEditor.open(file).addLink(new LinkConfig("east", "east.example.com", 55671, 1, "link-nowhere"));

        assertThatThrownBy(editor::save)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file + ":").hasMessageContaining("links[0].tls: no TLS profile named 'link-nowhere'");
        assertThat(Files.readString(file)).isEqualTo(initial);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("site.yaml", "certs");
        }
    }

    @Test
    void namesAreUniqueAndRemovalsNameWhatIsMissing() {
        assertThatThrownBy(() -> ConfigEditor.open(file).addTlsProfile("site", EAST_TLS))
                .hasMessage(file + ": tls: there is already a TLS profile named 'site'");
        assertThatThrownBy(() -> ConfigEditor.open(file).addLink(EAST).addLink(EAST))
                .hasMessage(file + ": links: there is already a link named 'east'");
        assertThatThrownBy(() -> ConfigEditor.open(file).removeLink("east"))
                .hasMessage(file + ": links: no link named 'east'");
    }

    @Test
    void theFileKeepsItsPermissions() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

        ConfigEditor.open(file).addTlsProfile("link-east", EAST_TLS).save();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r-----");
    }
}
