package io.camelvan.router.mesh;

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
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.testing.FreePorts;

/**
 * Several sites in one JVM, each with its own CA, linked the way {@code token redeem} links them:
 * the linked-to site's CA issues the client certificate of the site that dials. Real sockets, real
 * mutual TLS.
 */
final class TestNetwork implements AutoCloseable {

    /** One site: its folder, ports and, once started, its router. */
    static final class Site {
        final String name;
        final boolean edge;
        final Path dir;
        final SitePki pki;
        final int peerPort;
        final int edgePort;
        final List<String> linkYaml = new ArrayList<>();
        final List<String> tlsYaml = new ArrayList<>();
        String extraYaml = "";
        String peerHost = "127.0.0.1";
        Router router;

        Site(String name, boolean edge, Path dir) {
            this.name = name;
            this.edge = edge;
            this.dir = dir;
            this.pki = SitePki.init(dir, name, name, List.of("localhost", "127.0.0.1"));
            this.peerPort = edge ? 0 : freePort();
            this.edgePort = edge ? 0 : freePort();
        }

        String yaml() {
            StringBuilder y = new StringBuilder();
            y.append("site: ").append(name).append('\n');
            y.append("router: {id: ").append(name).append(", mode: ").append(edge ? "edge" : "interior").append("}\n");
            y.append("listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n");
            if (!edge) {
                y.append("  - {name: peers, host: ").append(peerHost).append(", port: ").append(peerPort).append(", role: inter-router, tls: site}\n");
                y.append("  - {name: edges, host: 127.0.0.1, port: ").append(edgePort).append(", role: edge, tls: site}\n");
            }
            y.append("tls:\n  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n");
            tlsYaml.forEach(t -> y.append("  ").append(t).append('\n'));
            if (!linkYaml.isEmpty()) {
                y.append("links:\n");
                linkYaml.forEach(l -> y.append("  - ").append(l).append('\n'));
            }
            y.append("admin: {host: 127.0.0.1, port: 0}\n");
            y.append(extraYaml);
            return y.toString();
        }

        Router start() {
            try {
                Path file = dir.resolve("site.yaml");
                Files.writeString(file, yaml());
                router = Router.start(ConfigLoader.load(file));
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

        int amqpPort() {
            return router.port("amqp");
        }
    }

    private final Path dir;
    private final Map<String, Site> sites = new LinkedHashMap<>();

    TestNetwork(Path dir) {
        this.dir = dir;
    }

    Site interior(String name) {
        return add(name, false);
    }

    Site edge(String name) {
        return add(name, true);
    }

    private Site add(String name, boolean edge) {
        Site site = new Site(name, edge, dir.resolve(name));
        sites.put(name, site);
        return site;
    }

    Site site(String name) {
        return sites.get(name);
    }

    /** {@code from} dials {@code to} (to's inter-router port, or its edge port when {@code from} is an edge). */
    TestNetwork link(String from, String to, int cost) {
        Site a = sites.get(from);
        Site b = sites.get(to);
        int port = a.edge ? b.edgePort : b.peerPort;
        LinkCredentials credentials = LinkCredentials.issue(b.pki.ca(), from, "127.0.0.1", port, cost, Duration.ofDays(1))
            .withName(to);
        PemFiles files = credentials.writePemFiles(a.dir.resolve("certs"));
        a.tlsYaml.add("link-" + to + ": {cert: " + a.dir.relativize(files.cert()) + ", key: "
            + a.dir.relativize(files.key()) + ", ca: " + a.dir.relativize(files.ca()) + "}");
        a.linkYaml.add("{name: " + to + ", host: 127.0.0.1, port: " + port + ", cost: " + cost + ", tls: link-" + to + "}");
        return this;
    }

    TestNetwork startAll() {
        sites.values().forEach(Site::start);
        return this;
    }

    Router router(String name) {
        return sites.get(name).router;
    }

    @Override
    public void close() {
        sites.values().forEach(Site::stop);
    }

    static int freePort() {
        return FreePorts.next();
    }
}
