package io.camelvan.router.adaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelvan.router.cli.VanRouterCli;
import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.SitePki;

/**
 * {@code van-router ca rotate} on a site with a TCP flow running across a link made with its old CA:
 * the flow keeps exchanging bytes through both steps, old link files keep working until the rotation
 * finishes, link files made during it work after, and the old CA's certificates are refused then.
 */
class CaRotationTest {

    private static final Duration LINK_UP = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    void rotatingTheCaKeepsEstablishedFlowsAndMovesNewLinksToTheNewCa() throws Exception {
        try (EchoServer echo = new EchoServer(); LinkedSites sites = new LinkedSites(dir)) {
            LinkedSites.Site west = sites.site("west").with("tcpListeners:\n  - {name: echo, routingKey: echo, port: 0}\n");
            LinkedSites.Site east = sites.site("east").with("tcpConnectors:\n  - {name: echo, routingKey: echo, port: "
                    + echo.port() + "}\n");
            CertificateAuthority oldCa = east.pki.ca();
            LinkCredentials oldLinkFile = LinkCredentials.issue(oldCa, "north", "127.0.0.1", east.peerPort, 1, Duration.ofDays(1));
            sites.link("west", "east").startAll();
            Path oldToken = dir.resolve("old.token");
            cli("token", "issue", "--config", east.file().toString(), "--uses", "2", oldToken.toString());
            await().atMost(LINK_UP).until(() -> west.reaches("echo"));

            try (Socket flow = new Socket("127.0.0.1", west.tcpPort("echo"))) {
                flow.setSoTimeout(10_000);
                assertEchoes(flow, "before the rotation");

                cli("ca", "rotate", "--config", east.file().toString());
                SitePki rotating = SitePki.open(east.dir);
                assertThat(rotating.ca().previous()).containsExactly(oldCa.certificate());
                assertEchoes(flow, "while both CAs are trusted");
                // a site holding a link file of the old CA still links: the router certificate is still the old CA's
                sites.link("north", oldLinkFile).site("north").start();
                await().atMost(LINK_UP).until(() -> sites.site("north").reaches("echo"));
                // a token of the old CA is still redeemed, by the running router with the new CA, and links
                LinkedSites.Site north = sites.site("north");
                cli("token", "redeem", "--config", north.file().toString(), "--name", "east-token", oldToken.toString());
                Pem.readCertificate(north.dir.resolve("certs/link-east-token.crt")).verify(rotating.ca().certificate().getPublicKey());
                await().atMost(LINK_UP).until(() -> north.router.links().containsKey("east-token")
                        && north.router.links().get("east-token").peer() != null);
                Path newLinkFile = dir.resolve("south-link.yaml");
                cli("link", "generate", "--config", east.file().toString(), "--for", "south", newLinkFile.toString());
                // west takes a new link file in place: its link, and the flow on it, stay up
                Path westLinkFile = dir.resolve("west-link.yaml");
                cli("link", "generate", "--config", east.file().toString(), "--for", "west", westLinkFile.toString());
                cli("link", "create", "--config", west.file().toString(), "--replace", westLinkFile.toString());
                assertEchoes(flow, "after west replaced its link file");

                cli("ca", "rotate", "--config", east.file().toString(), "--finish");
                SitePki rotated = SitePki.open(east.dir);
                assertThat(rotated.ca().previous()).isEmpty();
                X509Certificate routerCertificate = Pem.readCertificate(east.dir.resolve("certs/site.crt"));
                assertThat(routerCertificate.getIssuerX500Principal()).isEqualTo(rotated.ca().certificate().getSubjectX500Principal());
                routerCertificate.verify(rotated.ca().certificate().getPublicKey());
                assertEchoes(flow, "after the rotation");

                // a link file made during the rotation links to the router certificate of the new CA
                sites.link("south", LinkCredentials.read(newLinkFile)).site("south").start();
                await().atMost(LINK_UP).until(() -> sites.site("south").reaches("echo"));
                // one trusting the new CA alone too: the running router presents its new certificate to new connections
                LinkCredentials newCaOnly = LinkCredentials.issue(rotated.ca(), "later", "127.0.0.1", east.peerPort, 1, Duration.ofDays(1));
                assertThat(newCaOnly.cas()).containsExactly(rotated.ca().certificate());
                sites.link("later", newCaOnly).site("later").start();
                await().atMost(LINK_UP).until(() -> sites.site("later").reaches("echo"));

                // a client certificate of the old CA is refused now, even by a site trusting both CAs
                long refusedBefore = east.router.core().metrics().connectionsRefused.sum();
                IssuedCertificate stale = oldCa.issueClient("intruder", Duration.ofDays(1));
                sites.link("intruder", new LinkCredentials("east", "127.0.0.1", east.peerPort, 1, stale.cert(), stale.key(),
                        List.of(rotated.ca().certificate(), oldCa.certificate()))).site("intruder").start();
                await().atMost(LINK_UP).until(() -> east.router.core().metrics().connectionsRefused.sum() >= refusedBefore + 2);
                assertThat(sites.site("intruder").reaches("echo")).isFalse();

                assertEchoes(flow, "while new links come and go");
            }
            // the link made before the rotation is still the one west uses; when it dials again, it uses the replaced files
            assertThat(west.router.links().get("east").peer()).isNotNull();
            west.stop();
            west.start();
            await().atMost(LINK_UP).until(() -> west.reaches("echo"));
            try (Socket flow = new Socket("127.0.0.1", west.tcpPort("echo"))) {
                flow.setSoTimeout(10_000);
                assertEchoes(flow, "over west's new link");
            }
        }
    }

    private static void assertEchoes(Socket flow, String when) throws IOException {
        byte[] sent = ("bytes " + when + "\n").getBytes(StandardCharsets.UTF_8);
        flow.getOutputStream().write(sent);
        flow.getOutputStream().flush();
        byte[] received = flow.getInputStream().readNBytes(sent.length);
        assertThat(new String(received, StandardCharsets.UTF_8)).as("echo " + when).isEqualTo(new String(sent, StandardCharsets.UTF_8));
    }

    private static void cli(String... args) {
        assertThat(VanRouterCli.execute(args)).as(String.join(" ", args)).isZero();
    }
}
