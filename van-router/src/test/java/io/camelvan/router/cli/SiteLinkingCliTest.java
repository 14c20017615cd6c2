package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.HostPort;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.config.TlsProfile;
import io.camelvan.router.management.GrantService;
import io.camelvan.router.management.TestGrantServer;
import io.camelvan.router.pki.GrantStore;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.PeerTrustManager;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.RevocationList;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.pki.TlsCredentials;
import picocli.CommandLine;

/**
 * The site-linking verbs on real site folders: init, token issue / redeem / revoke against the real
 * grant endpoint over TLS on loopback, link generate / create / delete.
 */
class SiteLinkingCliTest {

    @TempDir
    Path dir;

    private TestGrantServer grantServer;

    @AfterEach
    void stopGrantServer() {
        if (grantServer != null) {
            grantServer.close();
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(Clock clock, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = VanRouterCli.commandLine(clock);
        cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Clock.systemUTC(), args);
    }

    private static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code of %s; stderr: %s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    /** A new site in dir/NAME whose inter-router listener is advertised at 127.0.0.1:port. */
    private Path init(String site, int port) {
        ok("init", "--site", site, "--dir", dir.resolve(site).toString(), "--link-access", "127.0.0.1:" + port);
        return dir.resolve(site).resolve("site.yaml");
    }

    /** Site west, with its grant endpoint served on loopback at the port it advertises. */
    private Path westWithGrantEndpoint() {
        grantServer = new TestGrantServer();
        Path west = init("west", grantServer.port());
        SiteConfig config = ConfigLoader.load(west);
        grantServer.serve(tlsProfile(config, "site"), GrantService.forSite(config));
        return west;
    }

    private static TlsCredentials tlsProfile(SiteConfig config, String name) {
        TlsProfile profile = config.tls().get(name);
        return TlsCredentials.load(new PemFiles(config.resolve(profile.cert()), config.resolve(profile.key()),
                config.resolve(profile.ca())), RevocationList.load(config.resolve("revoked.txt")));
    }

    private static String grantIdOf(Run issued) {
        return issued.out().replaceAll("(?s)^Issued token ([0-9a-f]{16}) .*", "$1");
    }

    @Test
    void initWritesAConfigurationTheLoaderAcceptsAndTheSiteCertificates() throws Exception {
        Run r = run("init", "--site", "west", "--dir", dir.resolve("west").toString(), "--link-access", "west.example.com:443",
                "--amqp-port", "5673", "--admin-port", "9191", "--router-id", "west-1");

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Created site 'west' in " + dir.resolve("west") + ":")
                .contains("van-router run --config " + dir.resolve("west/site.yaml"))
                .contains("van-router token issue");
        SiteConfig config = ConfigLoader.load(dir.resolve("west/site.yaml"));
        assertThat(config.site()).isEqualTo("west");
        assertThat(config.routerId()).isEqualTo("west-1");
        assertThat(config.listeners()).extracting(l -> l.name() + " " + l.host() + ":" + l.port() + " " + l.role().yamlName())
                .containsExactly("amqp 127.0.0.1:5673 normal", "peers 0.0.0.0:443 inter-router");
        assertThat(config.listeners().get(1).advertisedAddress()).isEqualTo(new HostPort("west.example.com", 443));
        assertThat(config.admin().port()).isEqualTo(9191);
        assertThat(Files.readString(dir.resolve("west/site.yaml"))).contains("# Where this router accepts AMQP connections.");
        SitePki pki = SitePki.open(dir.resolve("west"));
        assertThat(pki.ca().siteName()).isEqualTo("west");
        X509Certificate router = tlsProfile(config, "site").certificate();
        for (String host : List.of("west.example.com", "localhost", "127.0.0.1")) {
            assertThat(PeerTrustManager.matchesHost(router, host)).as(host).isTrue();
        }
    }

    @Test
    void initRefusesToOverwriteASite() throws Exception {
        Path west = init("west", 55671);
        String before = Files.readString(west);

        Run again = run("init", "--site", "west", "--dir", dir.resolve("west").toString());

        assertThat(again.code()).isEqualTo(2);
        assertThat(again.err().strip()).isEqualTo("error: " + dir.resolve("west") + " already holds a site (" + west
                + " exists); choose another --dir, or remove it first");
        assertThat(Files.readString(west)).isEqualTo(before);
    }

    @Test
    void aRedeemedTokenAddsALinkWhoseCertificateTheIssuingRouterAccepts() throws Exception {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");

        Run issued = ok("token", "issue", "--config", west.toString(), "--expiry", "10m", token.toString());
        Run redeemed = ok("token", "redeem", "--config", east.toString(), token.toString());

        assertThat(issued.out()).contains("redeemable 1 time until ", "at https://127.0.0.1:" + grantServer.port() + "/grant",
                "van-router token redeem token.yaml", "van-router token revoke " + grantIdOf(issued));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(redeemed.out().strip()).isEqualTo("linked to site west at 127.0.0.1:" + grantServer.port()
                + " as link 'west'; a running router picks the link up within a few seconds");
        SiteConfig eastConfig = ConfigLoader.load(east);
        assertThat(eastConfig.links()).containsExactly(new LinkConfig("west", "127.0.0.1", grantServer.port(), 1, "link-west"));
        assertThat(eastConfig.tls()).containsEntry("link-west",
                new TlsProfile("certs/link-west.crt", "certs/link-west.key", "certs/link-west-ca.crt"));
        assertThat(Files.readString(east)).as("the comments of init are kept").contains("# Where this router accepts AMQP connections.");

        X509Certificate accepted = MutualTls.handshake(tlsProfile(ConfigLoader.load(west), "site"), tlsProfile(eastConfig, "link-west"));
        assertThat(accepted.getSubjectX500Principal().getName()).isEqualTo("CN=east");
    }

    @Test
    void aOneTimeTokenIsRefusedTheSecondTime() {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path south = init("south", 55673);
        Path token = dir.resolve("token.yaml");
        Run issued = ok("token", "issue", "--config", west.toString(), token.toString());
        ok("token", "redeem", "--config", east.toString(), token.toString());

        Run again = run("token", "redeem", "--config", south.toString(), token.toString());

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip()).matches("error: site west refused the token: the token " + grantIdOf(issued)
                + " was already redeemed 1 time \\(by east at \\S+Z\\)");
        assertThat(ConfigLoader.load(south).links()).isEmpty();
        assertThat(dir.resolve("south/certs/link-west.crt")).doesNotExist();
    }

    @Test
    void anExpiredTokenIsRefusedWithItsExpiryBeforeContactingTheSite() {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");
        ok("token", "issue", "--config", west.toString(), "--expiry", "1s", token.toString());
        Clock anHourLater = Clock.offset(Clock.systemUTC(), Duration.ofHours(1));

        Run late = run(anHourLater, "token", "redeem", "--config", east.toString(), token.toString());

        assertThat(late.code()).isEqualTo(1);
        assertThat(late.err().strip()).matches("error: the access token of site west expired at \\S+Z; ask for a new one");
        assertThat(SitePki.open(dir.resolve("west")).grants(null, Clock.systemUTC()).grants())
                .extracting(GrantStore.Grant::usesRemaining).containsExactly(1);
    }

    @Test
    void aTamperedTokenIsRefusedLocally() throws Exception {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");
        ok("token", "issue", "--config", west.toString(), token.toString());
        Files.writeString(token, Files.readString(token).replace("url: https://127.0.0.1:", "url: https://127.0.0.2:"));

        Run tampered = run("token", "redeem", "--config", east.toString(), token.toString());

        assertThat(tampered.code()).isEqualTo(1);
        assertThat(tampered.err().strip()).isEqualTo("error: token file " + token
                + " was altered: its signature does not match its content (ask site west for a new token)");
        assertThat(SitePki.open(dir.resolve("west")).grants(null, Clock.systemUTC()).grants())
                .extracting(GrantStore.Grant::usesRemaining).containsExactly(1);
    }

    @Test
    void aSiteThatDoesNotAnswerIsReportedClearly() {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");
        ok("token", "issue", "--config", west.toString(), token.toString());
        grantServer.close();

        Run refused = run("token", "redeem", "--config", east.toString(), token.toString());

        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().strip()).isEqualTo("error: cannot reach site west at https://127.0.0.1:" + grantServer.port()
                + "/grant: connection refused (is its router running, and its inter-router port reachable from here?)");
    }

    @Test
    void aTokenNeedsAnInterRouterListenerAndALinkNameThatIsFree() throws Exception {
        Path lonely = dir.resolve("lonely.yaml");
        Files.writeString(lonely, "site: lonely\nlisteners:\n  - {name: amqp, port: 5672}\n");
        Run noListener = run("token", "issue", "--config", lonely.toString(), dir.resolve("t.yaml").toString());
        assertThat(noListener.code()).isEqualTo(2);
        assertThat(noListener.err().strip()).isEqualTo("error: " + lonely + ": site 'lonely' has no inter-router listener, so other"
                + " sites cannot link to it (add a listener with role: inter-router, tls: site and advertise: HOST:PORT)");

        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");
        ok("token", "issue", "--config", west.toString(), "--uses", "2", token.toString());
        ok("token", "redeem", "--config", east.toString(), token.toString());
        Run taken = run("token", "redeem", "--config", east.toString(), token.toString());
        assertThat(taken.code()).isEqualTo(2);
        assertThat(taken.err()).contains("site east already has a link named 'west' (to 127.0.0.1:" + grantServer.port()
                + "); choose another name with --name");
        ok("token", "redeem", "--config", east.toString(), "--name", "west-backup", "--cost", "5", token.toString());
        assertThat(ConfigLoader.load(east).links()).extracting(LinkConfig::name, LinkConfig::cost)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("west", 1), org.assertj.core.groups.Tuple.tuple("west-backup", 5));
    }

    @Test
    void revokingATokenRevokesTheCertificatesIssuedThroughIt() throws Exception {
        Path west = westWithGrantEndpoint();
        Path east = init("east", 55672);
        Path token = dir.resolve("token.yaml");
        Run issued = ok("token", "issue", "--config", west.toString(), token.toString());
        ok("token", "redeem", "--config", east.toString(), token.toString());
        BigInteger serial = tlsProfile(ConfigLoader.load(east), "link-west").certificate().getSerialNumber();

        Run revoked = ok("token", "revoke", "--config", west.toString(), grantIdOf(issued));

        assertThat(revoked.out()).contains("Revoked grant " + grantIdOf(issued), "serial " + serial.toString(16) + "  site east");
        assertThat(RevocationList.load(dir.resolve("west/revoked.txt")).isRevoked(serial)).isTrue();
        assertThatThrownBy(() -> MutualTls.handshake(tlsProfile(ConfigLoader.load(west), "site"),
                tlsProfile(ConfigLoader.load(east), "link-west")))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("is revoked");
        Run unknown = run("token", "revoke", "--config", west.toString(), "0000000000000000");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("site west has no grant 0000000000000000");
    }

    @Test
    void caRotateRunsInTwoStepsAndALinkTakesTheNewCaWithReplace() throws Exception {
        Path west = init("west", 55671);
        Path east = init("east", 55672);
        Path oldLinkFile = dir.resolve("old.yaml");
        ok("link", "generate", "--config", west.toString(), "--for", "east", oldLinkFile.toString());
        ok("link", "create", "--config", east.toString(), oldLinkFile.toString());
        TlsCredentials oldLink = tlsProfile(ConfigLoader.load(east), "link-west");

        Run early = run("ca", "rotate", "--config", west.toString(), "--finish");
        assertThat(early.code()).isEqualTo(1);
        assertThat(early.err()).contains("no CA rotation is under way", "start one with `van-router ca rotate`");
        Run started = ok("ca", "rotate", "--config", west.toString());
        assertThat(started.out()).startsWith("Started a CA rotation of site west: CA west CA (serial ")
                .contains("stays trusted (certs/ca.crt holds both)", "van-router link create --replace FILE",
                        "van-router ca rotate --config " + west + " --finish");
        Run twice = run("ca", "rotate", "--config", west.toString());
        assertThat(twice.code()).isEqualTo(1);
        assertThat(twice.err()).contains("a CA rotation is under way", "`van-router ca rotate --finish` first");
        // the old link file still links while both CAs are trusted
        MutualTls.handshake(tlsProfile(ConfigLoader.load(west), "site"), oldLink);

        Path newLinkFile = dir.resolve("new.yaml");
        ok("link", "generate", "--config", west.toString(), "--for", "east", newLinkFile.toString());
        String eastFile = Files.readString(east);
        Run replaced = ok("link", "create", "--config", east.toString(), "--replace", newLinkFile.toString());
        assertThat(replaced.out()).contains("replaced the certificate files of link 'west' to site west", "its connection stays up");
        assertThat(Files.readString(east)).as("the configuration is left alone").isEqualTo(eastFile);
        assertThat(Pem.readCertificates(dir.resolve("east/certs/link-west-ca.crt"))).hasSize(2);
        Run unknown = run("link", "create", "--config", east.toString(), "--replace", "--name", "north", newLinkFile.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("site east has no link named 'north' (links: west)");
        Path elsewhere = dir.resolve("elsewhere.yaml");
        LinkCredentials moved = LinkCredentials.read(newLinkFile);
        new LinkCredentials(moved.name(), moved.host(), 55679, 1, moved.certificate(), moved.key(), moved.cas()).write(elsewhere);
        Run otherPort = run("link", "create", "--config", east.toString(), "--replace", elsewhere.toString());
        assertThat(otherPort.code()).isEqualTo(2);
        assertThat(otherPort.err()).contains("link 'west' dials 127.0.0.1:55671, the link file is for 127.0.0.1:55679");

        Run finished = ok("ca", "rotate", "--config", west.toString(), "--finish");
        assertThat(finished.out()).startsWith("Finished the CA rotation of site west").contains("is no longer trusted");
        TlsCredentials westSite = tlsProfile(ConfigLoader.load(west), "site");
        assertThat(MutualTls.handshake(westSite, tlsProfile(ConfigLoader.load(east), "link-west"))
                .getSubjectX500Principal().getName()).isEqualTo("CN=east");
        assertThatThrownBy(() -> MutualTls.handshake(westSite, oldLink)).as("the link file of the old CA")
                .hasRootCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void aGeneratedLinkFileIsCreatedOnTheOtherSiteAndDeletedAgain() throws Exception {
        Path west = init("west", 55671);
        Path east = init("east", 55672);
        Path linkFile = dir.resolve("link.yaml");

        Run generated = ok("link", "generate", "--config", west.toString(), "--for", "east", "--cost", "3", linkFile.toString());
        Run created = ok("link", "create", "--config", east.toString(), linkFile.toString());

        assertThat(generated.out()).contains("Wrote link file " + linkFile + " for east", "to connect to 127.0.0.1:55671 at cost 3",
                "van-router link create link.yaml");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(linkFile))).isEqualTo("rw-------");
        assertThat(created.out().strip()).isEqualTo("linked to site west at 127.0.0.1:55671 as link 'west';"
                + " a running router picks the link up within a few seconds");
        SiteConfig eastConfig = ConfigLoader.load(east);
        assertThat(eastConfig.links()).containsExactly(new LinkConfig("west", "127.0.0.1", 55671, 3, "link-west"));
        assertThat(MutualTls.handshake(tlsProfile(ConfigLoader.load(west), "site"), tlsProfile(eastConfig, "link-west"))
                .getSubjectX500Principal().getName()).isEqualTo("CN=east");
        Run twice = run("link", "create", "--config", east.toString(), linkFile.toString());
        assertThat(twice.code()).isEqualTo(2);
        assertThat(twice.err()).contains("already has a link named 'west'");

        Run deleted = ok("link", "delete", "--config", east.toString(), "west");

        assertThat(deleted.out()).contains("Deleted link 'west' (to 127.0.0.1:55671) and its TLS profile 'link-west'; removed "
                + "certs/link-west.crt, certs/link-west.key, certs/link-west-ca.crt.");
        SiteConfig after = ConfigLoader.load(east);
        assertThat(after.links()).isEmpty();
        assertThat(after.tls()).containsOnlyKeys("site");
        assertThat(dir.resolve("east/certs")).isDirectoryNotContaining("glob:**/link-west*");
        assertThat(dir.resolve("east/certs/ca.crt")).exists();
        Run gone = run("link", "delete", "--config", east.toString(), "west");
        assertThat(gone.code()).isEqualTo(2);
        assertThat(gone.err().strip()).isEqualTo("error: site east has no link named 'west'");
    }

    @Test
    void aLinkFileOfThisSiteIsNotLinkedToItself() {
        Path west = init("west", 55671);
        Path linkFile = dir.resolve("link.yaml");
        ok("link", "generate", "--config", west.toString(), linkFile.toString());

        Run self = run("link", "create", "--config", west.toString(), linkFile.toString());

        assertThat(self.code()).isEqualTo(2);
        assertThat(self.err()).contains("was generated by this site, west");
    }

    @Test
    void everyVerbExplainsItselfAndBadOptionsAreUsageErrors() {
        assertThat(ok("--help").out()).contains("init", "token", "link");
        assertThat(ok("token", "issue", "--help").out()).contains("--expiry", "--uses", "--config", "FILE");
        assertThat(ok("token", "redeem", "--help").out()).contains("--name", "--cost", "--config");
        assertThat(ok("token", "revoke", "--help").out()).contains("GRANT_ID", "revoked.txt");
        assertThat(ok("link", "generate", "--help").out()).contains("--for", "--cost", "--name");
        assertThat(ok("link", "create", "--help").out()).contains("--name", "FILE");
        assertThat(ok("link", "delete", "--help").out()).contains("NAME");
        assertThat(ok("init", "--help").out()).contains("--site", "--dir", "--link-access", "--amqp-port", "--admin-port", "--router-id");

        Run noVerb = run("token");
        assertThat(noVerb.code()).isEqualTo(2);
        assertThat(noVerb.err()).contains("Missing subcommand: issue, redeem or revoke");
        Run badExpiry = run("token", "issue", "--expiry", "soon", "t.yaml");
        assertThat(badExpiry.code()).isEqualTo(2);
        assertThat(badExpiry.err()).contains("Invalid value for option '--expiry': 'soon' is not a duration");
        Run badAccess = run("init", "--site", "west", "--dir", dir.resolve("w").toString(), "--link-access", "0.0.0.0:55671");
        assertThat(badAccess.code()).isEqualTo(2);
        assertThat(badAccess.err().strip()).startsWith("error: --link-access: 0.0.0.0 is not an address other sites can dial");
    }
}
