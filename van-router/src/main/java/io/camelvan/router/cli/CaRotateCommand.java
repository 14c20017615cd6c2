package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.pki.Certificates;
import io.camelvan.router.pki.SitePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router ca rotate}: replace the site CA in two steps, without dropping links or flows. */
@Command(name = "rotate", mixinStandardHelpOptions = true,
    description = {"Replace the site's certificate authority in two steps; established links and flows stay up.",
        "Without --finish: create a new CA, which signs link files and tokens from now on; the site trusts the old "
        + "and the new CA (certs/ca.crt holds both) and keeps its router certificate of the old CA. Link files and "
        + "tokens issued from now on carry both CAs: hand new ones to the sites linked here.",
        "With --finish: re-issue the router certificate under the new CA and stop trusting the old one. Sites still "
        + "holding link files of the old CA are refused from their next connection on.",
        "A running router uses the new files for new connections."})
final class CaRotateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--finish", description = "Finish the rotation under way: switch the router certificate to the new CA "
        + "and stop trusting the old one.")
    boolean finish;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        SiteFolder folder = SiteFolder.of(site);
        Path file = config.path();
        PrintWriter out = spec.commandLine().getOut();
        SitePki before = folder.pki();
        if (finish) {
            SitePki after = before.finishRotation();
            X509Certificate retired = before.ca().previous().get(0);
            out.println("Finished the CA rotation of site " + site.site() + ": the router certificate (certs/site.crt) is now "
                    + "issued by " + describe(after.ca().certificate()) + ", and " + describe(retired) + " is no longer trusted.");
            out.println("Established connections stay up; from their next connection on, sites presenting a certificate "
                    + "of the old CA, or holding a link file with only the old CA, are refused.");
            return 0;
        }
        SitePki after = before.startRotation();
        out.println("Started a CA rotation of site " + site.site() + ": " + describe(after.ca().certificate())
                + " signs from now on; " + describe(before.ca().certificate()) + " stays trusted (certs/ca.crt holds both).");
        out.println("The router keeps its certificate of the old CA, so existing links and flows are untouched.");
        out.println("Next: give each site linked here a new link file or token, which carries both CAs:");
        out.println("  van-router link generate --config " + file + " --for SITE FILE    (or: van-router token issue ...)");
        out.println("then, on that site, give its link the new files without dropping it: van-router link create --replace FILE");
        out.println("When every site holds a new one: van-router ca rotate --config " + file + " --finish");
        return 0;
    }

    private static String describe(X509Certificate ca) {
        return "CA " + Certificates.commonName(ca) + " (serial " + Certificates.serialHex(ca.getSerialNumber()) + ")";
    }
}
