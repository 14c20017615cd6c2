package io.camelvan.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import io.camelvan.router.testing.FreePorts;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Sites for tests, each a CamelContext whose van component embeds the site's router, linked the way
 * {@code van-router link create} links them: the dialled site's CA issues the dialling site's client certificate.
 * Real sockets, real mutual TLS.
 */
public final class TestSites implements AutoCloseable {

    /** One site: its folder, CA, inter-router port and, once started, its CamelContext. */
    public static final class Site {
        public final String name;
        public final Path dir;
        final SitePki pki;
        final int peerPort;
        /** More listeners, each a YAML flow map such as {@code {name: amqps, port: 0, tls: site}}. */
        public final List<String> listeners = new ArrayList<>();
        final List<String> links = new ArrayList<>();
        /** More TLS profiles, each {@code NAME: {cert: ..., key: ...[, ca: ...]}} with paths relative to the site folder. */
        public final List<String> tls = new ArrayList<>();
        public String extraYaml = "";
        public CamelContext context;

        Site(String name, Path dir) {
            this.name = name;
            this.dir = dir;
            this.pki = SitePki.init(dir, name, name, List.of("localhost", "127.0.0.1"));
            this.peerPort = freePort();
        }

        /** Writes site.yaml: an AMQP listener for the component, an inter-router listener, the links. */
        public Path writeConfig() {
            StringBuilder y = new StringBuilder();
            y.append("site: ").append(name).append('\n');
            y.append("listeners:\n");
            y.append("  - {name: amqp, host: 127.0.0.1, port: 0}\n");
            y.append("  - {name: peers, host: 127.0.0.1, port: ").append(peerPort).append(", role: inter-router, tls: site}\n");
            listeners.forEach(l -> y.append("  - ").append(l).append('\n'));
            y.append("tls:\n  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n");
            tls.forEach(t -> y.append("  ").append(t).append('\n'));
            if (!links.isEmpty()) {
                y.append("links:\n");
                links.forEach(l -> y.append("  - ").append(l).append('\n'));
            }
            y.append(extraYaml);
            try {
                Path file = dir.resolve("site.yaml");
                Files.writeString(file, y.toString());
                return file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Starts a CamelContext named after the site, with an embedded router, and these routes. */
        public CamelContext start(RoutesBuilder... routes) throws Exception {
            DefaultCamelContext ctx = new DefaultCamelContext();
            ctx.getCamelContextExtension().setName(name);
            VanComponent van = new VanComponent();
            van.setEmbedded(true);
            van.setSiteConfig("file:" + writeConfig());
            ctx.addComponent("van", van);
            for (RoutesBuilder r : routes) {
                ctx.addRoutes(r);
            }
            ctx.start();
            context = ctx;
            return ctx;
        }

        /** The AMQP port of the site's embedded router, for other clients. */
        public int amqpPort() {
            return port("amqp");
        }

        /** The port of one of the embedded router's listeners. */
        public int port(String listener) {
            return ((VanComponent) context.getComponent("van")).embeddedRouter().port(listener);
        }

        /** TLS parameters for a client of this site's TLS listeners: they trust the site's CA. */
        public SSLContextParameters clientTls() throws Exception {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            try (InputStream in = Files.newInputStream(dir.resolve("certs/ca.crt"))) {
                trust.setCertificateEntry("site-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            KeyStoreParameters store = new KeyStoreParameters();
            store.setKeyStore(trust);
            TrustManagersParameters managers = new TrustManagersParameters();
            managers.setKeyStore(store);
            SSLContextParameters tls = new SSLContextParameters();
            tls.setTrustManagers(managers);
            return tls;
        }
    }

    private final Path dir;
    private final Map<String, Site> sites = new LinkedHashMap<>();

    public TestSites(Path dir) {
        this.dir = dir;
    }

    public Site site(String name) {
        return sites.computeIfAbsent(name, n -> new Site(n, dir.resolve(n)));
    }

    /** {@code from} dials {@code to}'s inter-router listener with a certificate from {@code to}'s CA. */
    public TestSites link(String from, String to) {
        Site a = site(from);
        Site b = site(to);
        PemFiles files = LinkCredentials.issue(b.pki.ca(), from, "127.0.0.1", b.peerPort, 1, Duration.ofDays(1))
            .withName(to)
            .writePemFiles(a.dir.resolve("certs"));
        a.tls.add("link-" + to + ": {cert: " + a.dir.relativize(files.cert()) + ", key: "
            + a.dir.relativize(files.key()) + ", ca: " + a.dir.relativize(files.ca()) + "}");
        a.links.add("{name: " + to + ", host: 127.0.0.1, port: " + b.peerPort + ", cost: 1, tls: link-" + to + "}");
        return this;
    }

    /**
     * Makes {@code edge} an edge router whose uplink dials an {@code edge} listener of {@code interior}, with a
     * certificate from {@code interior}'s CA.
     */
    public TestSites edge(String edge, String interior) {
        Site e = site(edge);
        Site i = site(interior);
        int port = freePort();
        i.listeners.add("{name: edges, host: 127.0.0.1, port: " + port + ", role: edge, tls: site}");
        PemFiles files = LinkCredentials.issue(i.pki.ca(), edge, "127.0.0.1", port, 1, Duration.ofDays(1))
            .withName(interior)
            .writePemFiles(e.dir.resolve("certs"));
        e.tls.add("uplink: {cert: " + e.dir.relativize(files.cert()) + ", key: " + e.dir.relativize(files.key())
            + ", ca: " + e.dir.relativize(files.ca()) + "}");
        e.links.add("{name: " + interior + ", host: 127.0.0.1, port: " + port + ", tls: uplink}");
        e.extraYaml += "router: {mode: edge}\n";
        return this;
    }

    @Override
    public void close() {
        List<Site> all = new ArrayList<>(sites.values());
        java.util.Collections.reverse(all);
        for (Site s : all) {
            if (s.context != null) {
                s.context.stop();
            }
        }
    }

    public static int freePort() {
        return FreePorts.next();
    }
}
