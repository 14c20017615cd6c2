package io.camelvan.itests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import io.camelvan.itests.LinkedSiteProcesses;
import io.camelvan.itests.RouterProcess;
import io.camelvan.router.cli.VanRouterCli;

/**
 * A network of sites made as an operator makes it, with the CLI ({@code init}, {@code link
 * generate}, {@code link create}), each site's router a process of its own that can be killed and
 * started again on the same ports and site file. A site may live in a network namespace (see
 * {@link NamespaceLab}): its listeners then bind the namespace's address instead of loopback.
 */
final class SiteNetwork implements AutoCloseable {

    /** Generous: the machine the suite runs on may be busy, and a JVM starting there slow. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    /** The admin token of sites in namespaces (their admin port is off loopback, so it wants one). */
    private static final String ADMIN_TOKEN = "faults-" + Long.toHexString(new SecureRandom().nextLong());

    private final Path dir;
    private final String logPrefix;
    private final Map<String, Site> sites = new LinkedHashMap<>();
    private final Set<Integer> portsGiven = new HashSet<>();

    private static final class Site {
        final String namespace;
        final String host;
        RouterProcess router;
        int lives;

        Site(String namespace, String host) {
            this.namespace = namespace;
            this.host = host;
        }
    }

    SiteNetwork(Path dir, String logPrefix) {
        this.dir = dir;
        this.logPrefix = logPrefix;
    }

    /**
     * Four sites on loopback in a square with a diagonal, not started yet; the cheap path from a to c
     * is a-b-c (cost 2), the others a-d-c and a-b-d-c cost 4:
     * <pre>
     *   a --1-- b
     *   |     / |
     *   2   1   1
     *   | /     |
     *   d --2-- c
     * </pre>
     */
    static SiteNetwork square(Path dir, String logPrefix) {
        return new SiteNetwork(dir, logPrefix).site("a").site("b").site("c").site("d")
            .link("a", "b", 1).link("b", "c", 1).link("a", "d", 2).link("d", "c", 2).link("b", "d", 1);
    }

    /** A site on loopback, every port a free one. */
    SiteNetwork site(String name) {
        cli("init", "--site", name, "--dir", dir.resolve(name).toString(), "--link-access", "127.0.0.1:" + freePort(),
            "--amqp-port", Integer.toString(freePort()), "--admin-port", Integer.toString(freePort()));
        sites.put(name, new Site(null, "127.0.0.1"));
        return this;
    }

    /**
     * A site whose router runs in network namespace {@code namespace}: the AMQP and admin listeners
     * bind {@code host} (the namespace has ports of its own, so the defaults do), and other sites
     * dial it at {@code linkHost} (its certificate is made for that address).
     */
    SiteNetwork siteInNamespace(String name, String namespace, String host, String linkHost) {
        cli("init", "--site", name, "--dir", dir.resolve(name).toString(), "--link-access", linkHost + ":55671",
            "--amqp-port", "5672", "--admin-port", "9090");
        // the admin port off loopback wants a token
        edit(name, text -> text.replace("host: 127.0.0.1", "host: " + host)
            .replace("port: 9090}", "port: 9090, token: " + ADMIN_TOKEN + "}"));
        sites.put(name, new Site(namespace, host));
        return this;
    }

    /** {@code from} dials {@code to}: a link file generated at {@code to}, created at {@code from}. */
    SiteNetwork link(String from, String to, int cost) {
        Path file = dir.resolve(from + "-to-" + to + ".link");
        cli("link", "generate", "--config", file(to).toString(), "--for", from, "--cost", Integer.toString(cost),
            file.toString());
        cli("link", "create", "--config", file(from).toString(), file.toString());
        return this;
    }

    /** Adds YAML (a {@code tcpConnectors:} section, say) to a site's file. */
    SiteNetwork with(String site, String yaml) {
        edit(site, text -> text + yaml + (yaml.endsWith("\n") ? "" : "\n"));
        return this;
    }

    Path file(String site) {
        return dir.resolve(site).resolve("site.yaml");
    }

    /** Starts (or starts again) a site's router; returns once it is up. */
    RouterProcess start(String name) {
        Site site = site0(name);
        if (site.router != null && site.router.isAlive()) {
            throw new IllegalStateException("router of site " + name + " runs already");
        }
        site.lives++;
        RouterProcess.Builder builder = RouterProcess.builder(logPrefix + "-" + name + "-" + site.lives)
            .configFile(file(name)).jvmArgs("-Xmx256m", "-XX:+ExitOnOutOfMemoryError")
            .startTimeout(START_TIMEOUT);
        if (site.namespace != null) {
            builder.inNetworkNamespace(site.namespace, site.host).adminToken(ADMIN_TOKEN);
        }
        site.router = builder.start();
        return site.router;
    }

    SiteNetwork startAll() {
        sites.keySet().forEach(this::start);
        return this;
    }

    RouterProcess router(String name) {
        RouterProcess router = site0(name).router;
        if (router == null) {
            throw new IllegalStateException("router of site " + name + " was never started");
        }
        return router;
    }

    private Site site0(String name) {
        Site site = sites.get(name);
        if (site == null) {
            throw new IllegalArgumentException("no site " + name + " (sites: " + sites.keySet() + ")");
        }
        return site;
    }

    private void edit(String site, UnaryOperator<String> change) {
        try {
            Files.writeString(file(site), change.apply(Files.readString(file(site))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free loopback port not yet given to a site of this network (the kernel hands a freed port out again). */
    int freePort() {
        int port;
        do {
            port = LinkedSiteProcesses.freePort();
        } while (!portsGiven.add(port));
        return port;
    }

    private static void cli(String... args) {
        int code = VanRouterCli.execute(args);
        if (code != 0) {
            throw new IllegalStateException("van-router " + String.join(" ", args) + " exited with " + code);
        }
    }

    @Override
    public void close() {
        for (Site site : sites.values()) {
            if (site.router != null) {
                site.router.kill9();
                site.router.close();
            }
        }
    }
}
