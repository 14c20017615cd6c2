package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.pki.GrantStore;
import io.camelvan.router.pki.GrantStore.Grant;
import io.camelvan.router.pki.GrantStore.Redeemer;
import io.camelvan.router.pki.SitePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code van-router token revoke}: withdraw a token and the links it gave. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
    description = {"Revoke an access token of this site: it can no longer be redeemed, and every client certificate "
        + "issued through it is added to revoked.txt, so the sites that redeemed it can no longer link here.",
        "Routers of this site refuse a revoked certificate from their next TLS handshake on."})
final class TokenRevokeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "GRANT_ID", description = "The token's grant id, as printed by `token issue` (16 hex digits; see grants.yaml).")
    String grantId;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        SitePki pki = SiteFolder.of(site).pki();
        GrantStore grants = pki.grants(null, VanRouterCli.clock(spec));
        if (!grants.revoke(grantId)) {
            throw new UsageException("site " + site.site() + " has no grant " + grantId + " (its grants are in "
                    + SiteFolder.of(site).dir().resolve("grants.yaml") + ")");
        }
        Grant grant = grants.grants().stream().filter(g -> g.id().equals(grantId)).findFirst().orElseThrow();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Revoked grant " + grantId + ": its token can no longer be redeemed.");
        if (grant.certificates().isEmpty()) {
            out.println("No certificate was issued through it.");
            return 0;
        }
        out.println("Revoked the certificates issued through it (added to revoked.txt):");
        for (Redeemer redeemer : grant.redeemedBy()) {
            BigInteger serial = redeemer.certificate();
            if (serial != null) {
                pki.revocations().revoke(serial, "token revoke " + grantId + ": link of site " + redeemer.site()
                        + " redeemed at " + redeemer.at());
                out.println("  serial " + serial.toString(16) + "  site " + redeemer.site() + ", redeemed at " + redeemer.at());
            }
        }
        out.println("Routers of this site refuse them from their next TLS handshake on.");
        return 0;
    }
}
