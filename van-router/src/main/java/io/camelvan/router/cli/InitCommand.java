package io.camelvan.router.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.HostPort;
import io.camelvan.router.config.InitialSiteConfig;
import io.camelvan.router.config.TlsProfile;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router init}: a new site folder with its configuration, CA and router certificate. */
@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create a new site: a folder with its configuration (site.yaml), the site's certificate authority "
        + "and the router's certificate (certs/).",
        "The configuration has an AMQP listener for applications on loopback, an inter-router listener for other "
        + "sites, and the admin port on loopback."})
final class InitCommand implements Callable<Integer> {

    private static final Pattern SITE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final int DEFAULT_PEER_PORT = 55671;

    @Spec
    CommandSpec spec;

    @Option(names = "--site", required = true, paramLabel = "NAME",
        description = "Name of the new site, unique in the network: letters, digits, '.', '_' or '-'.")
    String site;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder of the new site (default: ./NAME). Must not hold a site yet.")
    Path dir;

    @Option(names = "--link-access", paramLabel = "HOST:PORT",
        description = {"How other sites reach this one: the host name or address they dial, and the port of the "
            + "inter-router listener (it listens on that port, on all interfaces).",
            "Default: this machine's host name, port " + DEFAULT_PEER_PORT + ". The router's certificate is made for "
            + "this host, localhost and 127.0.0.1."})
    String linkAccess;

    @Option(names = "--amqp-port", paramLabel = "N", defaultValue = "5672",
        description = "Port of the AMQP listener for applications, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int amqpPort;

    @Option(names = "--admin-port", paramLabel = "N", defaultValue = "9090",
        description = "Port of the admin HTTP endpoint (/healthz, /metrics), on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--router-id", paramLabel = "ID", description = "Id of the router, unique in the network (default: the site name).")
    String routerId;

    @Override
    public Integer call() {
        requireName("--site", site);
        String id = routerId != null ? routerId : site;
        requireName("--router-id", id);
        requirePort("--amqp-port", amqpPort);
        requirePort("--admin-port", adminPort);
        HostPort access = linkAccess();
        Path folder = (dir != null ? dir : Path.of(site)).toAbsolutePath().normalize();
        Path file = folder.resolve("site.yaml");
        PemFiles siteTls = SitePki.siteTls();
        for (Path existing : List.of(file, folder.resolve(siteTls.ca()))) {
            if (Files.exists(existing)) {
                throw new UsageException(folder + " already holds a site (" + existing + " exists); choose another --dir, or remove it first");
            }
        }
        List<String> hosts = new ArrayList<>(new LinkedHashSet<>(List.of(access.host(), "localhost", "127.0.0.1")));
        SitePki.init(folder, site, id, hosts);
        String yaml = new InitialSiteConfig(site, id, amqpPort, access, adminPort,
                new TlsProfile(siteTls.cert().toString(), siteTls.key().toString(), siteTls.ca().toString())).yaml();
        ConfigLoader.parse(yaml, file);
        try {
            Files.writeString(file, yaml, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }

        PrintWriter out = spec.commandLine().getOut();
        out.println("Created site '" + site + "' in " + folder + ":");
        out.println("  site.yaml                        the configuration: AMQP for applications on 127.0.0.1:" + amqpPort
                + ", links from other sites on port " + access.port() + " (reached at " + access + ")");
        out.println("  certs/ca.crt, certs/ca.key       the site's certificate authority (keep ca.key secret)");
        out.println("  certs/site.crt, certs/site.key   the router's certificate, for " + String.join(", ", hosts));
        out.println("Next: start the router with");
        out.println("  van-router run --config " + file);
        out.println("and let another site link to this one with a token it redeems:");
        out.println("  van-router token issue --config " + file + " token.yaml");
        return 0;
    }

    private HostPort linkAccess() {
        if (linkAccess == null) {
            return new HostPort(localHostName(), DEFAULT_PEER_PORT);
        }
        HostPort access;
        try {
            access = HostPort.parse(linkAccess);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--link-access: " + e.getMessage());
        }
        if (access.isWildcard()) {
            throw new UsageException("--link-access: " + access.host() + " is not an address other sites can dial;"
                    + " give this machine's host name or address");
        }
        return access;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void requireName(String option, String value) {
        if (!SITE_NAME.matcher(value).matches()) {
            throw new UsageException(option + ": '" + value + "' must be letters, digits, '.', '_' or '-' (at most 63)");
        }
    }

    private static void requirePort(String option, int port) {
        if (port < 1 || port > 65535) {
            throw new UsageException(option + ": " + port + " is not a port (1-65535)");
        }
    }
}
