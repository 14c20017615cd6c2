package io.camelvan.itests.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import io.camelvan.router.Router;
import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.pki.CertificateAuthority;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.Pem;

/**
 * Interior routers in this JVM joined by mutual-TLS links, for the mesh benchmarks. To keep a
 * 200-router set-up quick, one CA signs every router's certificate (real sites each have their own
 * CA; what is measured here — forwarding and routing — is the same either way).
 */
final class LinkedRouters implements AutoCloseable {

    /** A link from router {@code from} to router {@code to}. */
    record Edge(int from, int to, int cost) {
    }

    private final List<Router> routers = new ArrayList<>();
    private final List<List<LinkConfig>> links = new ArrayList<>();
    private final long startedAtNanos;

    /**
     * Starts {@code n} routers named {@code prefix0..}, without their links yet ({@link #link}).
     * Their certificates and site files are all made first, so that {@link #startedAtNanos} marks
     * the start of the first router, not of the set-up.
     *
     * @param extraYaml added to every site file (e.g. {@code router: {workerThreads: 1}})
     */
    LinkedRouters(Path dir, String prefix, int n, List<Edge> edges, String extraYaml) {
        try {
            CertificateAuthority ca = CertificateAuthority.create(prefix + "-net", Duration.ofDays(1));
            Files.createDirectories(dir);
            Pem.writeCertificate(dir.resolve("ca.crt"), ca.certificate());
            List<Path> siteFiles = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String id = prefix + i;
                Path site = dir.resolve(id);
                Files.createDirectories(site);
                IssuedCertificate cert = ca.issueServer(id, List.of("localhost", "127.0.0.1"), Duration.ofDays(1));
                cert.save(site.resolve("site.crt"), site.resolve("site.key"));
                Path file = site.resolve("site.yaml");
                // port 0 everywhere: the links are made from the ports the routers actually bound
                Files.writeString(file, "site: " + id + "\n" + extraYaml
                    + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n"
                    + "  - {name: peers, host: 127.0.0.1, port: 0, role: inter-router, tls: site}\n"
                    + "tls:\n  site: {cert: site.crt, key: site.key, ca: ../ca.crt}\n");
                siteFiles.add(file);
            }
            startedAtNanos = System.nanoTime();
            for (Path file : siteFiles) {
                routers.add(Router.start(ConfigLoader.load(file)));
            }
            for (int i = 0; i < n; i++) {
                List<LinkConfig> out = new ArrayList<>();
                for (Edge e : edges) {
                    if (e.from() == i) {
                        out.add(new LinkConfig(prefix + e.to(), "127.0.0.1", routers.get(e.to()).port("peers"), e.cost(), "site"));
                    }
                }
                links.add(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dials every link now. */
    void link() {
        for (int i = 0; i < routers.size(); i++) {
            routers.get(i).updateLinks(links.get(i));
        }
    }

    /**
     * Dials every link, router after router, with the links of at most {@code routersInFlight}
     * routers still handshaking: on a machine with few cores, hundreds of TLS handshakes started at
     * once share them so thinly that they run into the handshake timeout and start again.
     */
    void linkBounded(int routersInFlight) {
        List<Integer> inFlight = new ArrayList<>();
        for (int i = 0; i < routers.size(); i++) {
            while (true) {
                inFlight.removeIf(this::linksUp);
                if (inFlight.size() < routersInFlight) {
                    break;
                }
                LockSupport.parkNanos(1_000_000);
            }
            routers.get(i).updateLinks(links.get(i));
            inFlight.add(i);
        }
    }

    /** Whether every link router {@code i} dials has its TLS handshake and AMQP open done. */
    private boolean linksUp(int i) {
        return routers.get(i).links().values().stream().allMatch(l -> l.peer() != null);
    }

    /** When the first router was started ({@link System#nanoTime}). */
    long startedAtNanos() {
        return startedAtNanos;
    }

    /** Connections opened by all routers so far (each link counts twice: once at each end). */
    long connectionsOpened() {
        return routers.stream().mapToLong(r -> r.core().metrics().connectionsOpened.sum()).sum();
    }

    /** Drops the link of router {@code from} named {@code toName}. */
    void cut(int from, String toName) {
        routers.get(from).updateLinks(links.get(from).stream().filter(l -> !l.name().equals(toName)).toList());
    }

    void restore(int from) {
        routers.get(from).updateLinks(links.get(from));
    }

    Router router(int i) {
        return routers.get(i);
    }

    int size() {
        return routers.size();
    }

    @Override
    public void close() {
        routers.forEach(Router::close);
    }
}
