package io.camelvan.router.adaptor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.Router;
import io.camelvan.router.adaptor.http.HttpListener;
import io.camelvan.router.adaptor.tcp.TcpListener;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.ServiceType;
import io.camelvan.router.core.Address;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.testing.FreePorts;

/**
 * Interior sites in one JVM, each with its own CA, linked with real mutual TLS the way
 * {@code token redeem} links them (adapted from the mesh tests' network), each with the service
 * entries a test gives it.
 */
final class LinkedSites implements AutoCloseable {

    /** One site: its folder, AMQP and inter-router ports, service YAML and, once started, its router. */
    static final class Site {
        final String name;
        final Path dir;
        final SitePki pki;
        /** Fixed rather than 0, so that the CLI finds the router from the site file. */
        final int amqpPort;
        final int peerPort;
        final List<String> linkYaml = new ArrayList<>();
        final List<String> tlsYaml = new ArrayList<>();
        final StringBuilder services = new StringBuilder();
        Router router;

        Site(String name, Path dir) {
            this.name = name;
            this.dir = dir;
            this.pki = SitePki.init(dir, name, name, List.of("localhost", "127.0.0.1"));
            this.amqpPort = freePort();
            this.peerPort = freePort();
        }

        /** Adds YAML lines (for instance {@code tcpConnectors: [...]}) to the site file. */
        Site with(String yaml) {
            services.append(yaml).append('\n');
            return this;
        }

        String yaml() {
            StringBuilder y = new StringBuilder();
            y.append("site: ").append(name).append('\n');
            y.append("router: {id: ").append(name).append(", mode: interior}\n");
            y.append("listeners:\n  - {name: amqp, host: 127.0.0.1, port: ").append(amqpPort).append("}\n");
            y.append("  - {name: peers, host: 127.0.0.1, port: ").append(peerPort).append(", role: inter-router, tls: site}\n");
            y.append("tls:\n  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n");
            tlsYaml.forEach(t -> y.append("  ").append(t).append('\n'));
            if (!linkYaml.isEmpty()) {
                y.append("links:\n");
                linkYaml.forEach(l -> y.append("  - ").append(l).append('\n'));
            }
            y.append(services);
            return y.toString();
        }

        Path file() {
            return dir.resolve("site.yaml");
        }

        Router start() {
            try {
                Files.writeString(file(), yaml());
                router = Router.start(ConfigLoader.load(file()));
                return router;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void stop() {
            if (router != null) {
                router.close();
                router = null;
            }
        }

        /** The bound port of a tcpListener. */
        int tcpPort(String listener) {
            return ((TcpListener) router.adaptors().get(ServiceType.TCP_LISTENER, listener)).port();
        }

        /** The bound port of an httpListener. */
        int httpPort(String listener) {
            return ((HttpListener) router.adaptors().get(ServiceType.HTTP_LISTENER, listener)).port();
        }

        /** Whether the routing key can be reached from this site's router. */
        boolean reaches(String routingKey) {
            Address address = router.core().addresses().lookup(routingKey);
            return address != null && address.isReachable();
        }

        /** How many consumers of the routing key this site's router knows of (its own and other routers'). */
        int consumersOf(String routingKey) {
            Address address = router.core().addresses().lookup(routingKey);
            return address == null ? 0 : address.consumers().length;
        }
    }

    private final Path dir;
    private final Map<String, Site> sites = new LinkedHashMap<>();

    LinkedSites(Path dir) {
        this.dir = dir;
    }

    Site site(String name) {
        return sites.computeIfAbsent(name, n -> new Site(n, dir.resolve(n)));
    }

    /** {@code from} dials {@code to}'s inter-router port with a client certificate of to's CA. */
    LinkedSites link(String from, String to) {
        Site b = site(to);
        return link(from, LinkCredentials.issue(b.pki.ca(), from, "127.0.0.1", b.peerPort, 1, Duration.ofDays(1)).withName(to));
    }

    /** {@code from} dials with these credentials (a link file), under the link's name. */
    LinkedSites link(String from, LinkCredentials credentials) {
        Site a = site(from);
        String to = credentials.name();
        PemFiles files = credentials.writePemFiles(a.dir.resolve("certs"));
        a.tlsYaml.add("link-" + to + ": {cert: " + a.dir.relativize(files.cert()) + ", key: "
            + a.dir.relativize(files.key()) + ", ca: " + a.dir.relativize(files.ca()) + "}");
        a.linkYaml.add("{name: " + to + ", host: " + credentials.host() + ", port: " + credentials.port() + ", cost: 1, tls: link-"
            + to + "}");
        return this;
    }

    LinkedSites startAll() {
        sites.values().forEach(Site::start);
        return this;
    }

    /** The status of every listener and connector of every running site: what a failed test shows of where work stopped. */
    String describeAdaptors() {
        StringBuilder text = new StringBuilder();
        sites.forEach((name, site) -> {
            if (site.router != null) {
                for (ServiceType type : ServiceType.values()) {
                    site.router.adaptors().list(type).forEach(adaptor -> text.append(name).append(' ').append(type)
                        .append(' ').append(adaptor.status()).append('\n'));
                }
            }
        });
        return text.toString();
    }

    @Override
    public void close() {
        sites.values().forEach(Site::stop);
    }

    static int freePort() {
        return FreePorts.next();
    }
}
