package io.camelvan.router.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.management.LinkAccess;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.SitePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code van-router link generate}: a link file for another site, made here without a token. */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = {"Generate a link file on this site: a client certificate issued by this site's CA, with its key, the CA "
        + "certificate and the address of this site's first inter-router listener.",
        "Another site adds it with `van-router link create FILE`. It holds a private key: hand it over securely."})
final class LinkGenerateCommand implements Callable<Integer> {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "Where to write the link file (readable by its owner only).")
    Path file;

    @Option(names = "--name", paramLabel = "N", description = "Name of the link on the other site (default: this site's name).")
    String name;

    @Option(names = "--cost", paramLabel = "N", defaultValue = "1", description = "Routing cost of the link, at least 1 (default: ${DEFAULT-VALUE}).")
    int cost;

    @Option(names = "--for", paramLabel = "SITE",
        description = "The site the file is for: the name in its certificate (default: a generated name, link-XXXXXXXX).")
    String forSite;

    @Override
    public Integer call() {
        LinkCommands.requireCost(cost);
        SiteConfig site = config.load();
        LinkAccess access = SiteAccess.of(site);
        SitePki pki = SiteFolder.of(site).pki();
        String client = forSite != null ? forSite : "link-" + HexFormat.of().formatHex(randomBytes(4));
        LinkCredentials link = LinkCredentials.issue(pki.ca(), client, access.address().host(), access.address().port(), cost,
                SitePki.CERTIFICATE_VALIDITY);
        if (name != null) {
            link = link.withName(name);
        }
        link.write(file);
        spec.commandLine().getOut().println("Wrote link file " + file + " for " + client + ": a client certificate (serial "
                + link.certificate().getSerialNumber().toString(16) + ") of site " + site.site() + " to connect to "
                + access.address() + " at cost " + cost + ".");
        spec.commandLine().getOut().println("On the other site, run: van-router link create " + file.getFileName()
                + "  (the file holds a private key: hand it over securely, then delete it)");
        return 0;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
