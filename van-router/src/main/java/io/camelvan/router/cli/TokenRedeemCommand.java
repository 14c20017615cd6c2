package io.camelvan.router.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.management.GrantClient;
import io.camelvan.router.pki.AccessToken;
import io.camelvan.router.pki.LinkCredentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code van-router token redeem}: link this site to the site that issued a token. */
@Command(name = "redeem", mixinStandardHelpOptions = true,
    description = {"Redeem an access token of another site: contact that site over TLS (trusting only the CA in the token), "
        + "receive a client certificate, and add a link to it to this site's configuration.",
        "The certificate files go into this site's certs/ folder, with a TLS profile link-NAME and a link NAME. "
        + "A running router picks the link up by itself."})
final class TokenRedeemCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "FILE", description = "The token file, from `van-router token issue` on the other site.")
    Path file;

    @Option(names = "--name", paramLabel = "LINKNAME", description = "Name of the new link (default: the other site's name).")
    String name;

    @Option(names = "--cost", paramLabel = "N", description = "Routing cost of the link, at least 1 (default: as the other site says, 1).")
    Integer cost;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        AccessToken token = AccessToken.read(file);
        if (token.site().equals(site.site())) {
            throw new UsageException(file + " is a token of this site, " + site.site()
                    + ": redeem it on the site that is to link here");
        }
        token.requireNotExpired(VanRouterCli.clock(spec).instant());
        String linkName = name != null ? name : token.site();
        SiteLinks links = new SiteLinks(site);
        links.requireFree(linkName);
        LinkCommands.requireCost(cost);

        LinkCredentials received = GrantClient.redeem(token, site.site());
        LinkCredentials link = LinkCommands.renamed(received, linkName, cost);
        links.add(link);
        spec.commandLine().getOut().println(LinkCommands.linked(token.site(), link));
        return 0;
    }
}
