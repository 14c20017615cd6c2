package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code van-router link delete}: remove a link of this site. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = {"Delete a link of this site: its entry under 'links', its TLS profile and that profile's certificate "
        + "files (those no other profile uses).",
        "A running router drops the connection when it sees the change. The other site still trusts the certificate "
        + "until it revokes it (`van-router token revoke` there)."})
final class LinkDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Parameters(paramLabel = "NAME", description = "The link's name, as under 'links' in the configuration.")
    String name;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        SiteLinks.Removed removed = new SiteLinks(site).remove(name);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Deleted link '" + name + "' (to " + removed.link().host() + ":" + removed.link().port() + ")"
                + (removed.profile() == null ? "; its TLS profile '" + removed.link().tls() + "' stays, others use it"
                        : " and its TLS profile '" + removed.profile() + "'")
                + (removed.files().isEmpty() ? "." : "; removed " + String.join(", ", removed.files()) + "."));
        out.println("A running router drops the link within a few seconds.");
        return 0;
    }
}
