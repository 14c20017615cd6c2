package io.camelvan.itests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.camelvan.camel.VanComponent;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.SitePki;
import org.apache.camel.CamelContext;
import org.apache.camel.ExchangePattern;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import io.camelvan.router.testing.FreePorts;

/**
 * The routes over the VAN: two CamelContexts, each with a router embedded by the {@code van} component, site
 * {@code bench-a}'s router linked to {@code bench-b}'s over mutual TLS (a certificate from B's CA), as
 * {@code van-router link create} would link them.
 */
final class VanRoutePair implements RoutePair {

    private final CamelContext a;
    private final CamelContext b;
    private final AtomicLong consumed;
    private final int consumers;

    private VanRoutePair(CamelContext a, CamelContext b, AtomicLong consumed, int consumers) {
        this.a = a;
        this.b = b;
        this.consumed = consumed;
        this.consumers = consumers;
    }

    static VanRoutePair start(Path dir, int consumers) throws Exception {
        if (Files.exists(dir)) {
            // a fresh CA per run of the harness
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Path dirA = dir.resolve("bench-a");
        Path dirB = dir.resolve("bench-b");
        SitePki.init(dirA, "bench-a", "bench-a", List.of("127.0.0.1"));
        SitePki pkiB = SitePki.init(dirB, "bench-b", "bench-b", List.of("127.0.0.1"));
        int peerPort = FreePorts.next();
        PemFiles link = LinkCredentials.issue(pkiB.ca(), "bench-a", "127.0.0.1", peerPort, 1, Duration.ofDays(1))
            .withName("bench-b").writePemFiles(dirA.resolve("certs"));
        Files.writeString(dirB.resolve("site.yaml"), "site: bench-b\n"
            + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "  - {name: peers, host: 127.0.0.1, port: " + peerPort + ", role: inter-router, tls: site}\n"
            + "tls:\n  site: {cert: certs/site.crt, key: certs/site.key, ca: certs/ca.crt}\n");
        Files.writeString(dirA.resolve("site.yaml"), "site: bench-a\n"
            + "listeners:\n  - {name: amqp, host: 127.0.0.1, port: 0}\n"
            + "tls:\n  link: {cert: " + link.cert() + ", key: " + link.key() + ", ca: " + link.ca() + "}\n"
            + "links:\n  - {name: bench-b, host: 127.0.0.1, port: " + peerPort + ", cost: 1, tls: link}\n");
        AtomicLong consumed = new AtomicLong();
        CamelContext b = context("bench-b", dirB, new RouteBuilder() {
            @Override
            public void configure() {
                from("van:bench.camel.inonly?concurrentConsumers=" + consumers).process(e -> consumed.incrementAndGet());
                from("van:bench.camel.inout?concurrentConsumers=" + consumers).process(e -> { });
            }
        });
        CamelContext a = context("bench-a", dirA, new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:inonly").to("van:bench.camel.inonly");
                from("direct:inout").to(ExchangePattern.InOut, "van:bench.camel.inout");
            }
        });
        return new VanRoutePair(a, b, consumed, consumers);
    }

    private static CamelContext context(String name, Path dir, RouteBuilder routes) throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        VanComponent van = new VanComponent();
        van.setEmbedded(true);
        van.setSiteConfig("file:" + dir.resolve("site.yaml"));
        ctx.addComponent("van", van);
        ctx.addRoutes(routes);
        ctx.start();
        return ctx;
    }


    @Override
    public CamelContext sender() {
        return a;
    }

    @Override
    public long consumed() {
        return consumed.get();
    }

    @Override
    public String description() {
        return "two CamelContexts, each with an embedded router (van component, embedded=true), linked over mutual"
            + " TLS; to(\"van:...\") on A, from(\"van:...?concurrentConsumers=" + consumers + "\") on B";
    }

    @Override
    public void close() {
        a.stop();
        b.stop();
    }
}
