package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.management.LinkAccess;
import io.camelvan.router.pki.AccessToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code van-router token issue}: a token another site redeems to link here. */
@Command(name = "issue", mixinStandardHelpOptions = true,
    description = {"Issue an access token: a secret one-time code, this site's CA certificate and the URL of this site's "
        + "grant endpoint (on its first inter-router listener, at its 'advertise' address), signed by this site's CA.",
        "Another site redeems it with `van-router token redeem FILE` to receive a client certificate and link here."})
final class TokenIssueCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--expiry", paramLabel = "DURATION", defaultValue = "15m", converter = DurationConverter.class,
        description = "How long the token can be redeemed: 30s, 15m, 2h, 1d... (default: ${DEFAULT-VALUE}).")
    Duration expiry;

    @Option(names = "--uses", paramLabel = "N", defaultValue = "1",
        description = "How many times it can be redeemed, by as many sites (default: ${DEFAULT-VALUE}).")
    int uses;

    @Parameters(paramLabel = "FILE", description = "Where to write the token (readable by its owner only: it is a secret).")
    Path file;

    @Override
    public Integer call() {
        if (uses < 1) {
            throw new UsageException("--uses: a token must be redeemable at least once, not " + uses + " times");
        }
        SiteConfig site = config.load();
        LinkAccess access = SiteAccess.of(site);
        Clock clock = VanRouterCli.clock(spec);
        AccessToken token = SiteFolder.of(site).pki().grants(access.grantUrl(), clock).issue(expiry, uses);
        token.write(file);

        PrintWriter out = spec.commandLine().getOut();
        out.println("Issued token " + token.grantId() + " of site " + site.site() + ": redeemable " + uses
                + (uses == 1 ? " time" : " times") + " until " + token.expires() + ", at " + token.url() + ".");
        out.println("Wrote " + file + ". Keep it secret: it grants a link to this site. On the site that is to link here, run");
        out.println("  van-router token redeem " + file.getFileName());
        out.println("before it expires. To withdraw it (and the links it gave): van-router token revoke " + token.grantId());
        return 0;
    }
}
