package io.camelvan.router.cli;

import static io.camelvan.router.cli.Formats.bytes;
import static io.camelvan.router.cli.Formats.hostPort;
import static io.camelvan.router.cli.Formats.list;
import static io.camelvan.router.cli.Formats.number;
import static io.camelvan.router.cli.Formats.where;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router status}: this router, or the whole network, from the running router's management endpoint. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Show the running router of this site: its links with state and cost, the routers connected to it, "
        + "its listeners, TCP/HTTP listeners and connectors, and its addresses with local and remote consumers.",
        "With --network: every site and router of the network, the links between them with their cost and traffic, "
        + "and every address (routing key) with where it is consumed, produced and exposed. The network is gathered "
        + "on demand over the mesh (see docs/management.md); a router that does not answer within 2 s is shown "
        + "without its details.",
        "Exits 1 with a message when the router cannot be reached."})
final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Option(names = "--network", description = "Show the whole network, not only this router.")
    boolean network;

    @Option(names = "--router", paramLabel = "ID",
        description = "Show another router of the network (asked through this site's router) instead of this one.")
    String routerId;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
        description = "table (default), json or yaml.")
    OutputFormat output;

    @Override
    public Integer call() {
        SiteConfig site = config.load();
        ManagementClient.Reply reply;
        try (ManagementClient client = ManagementClient.connect(site, routerId)) {
            reply = network ? client.request("QUERY", "network", null, Map.of())
                : client.request("QUERY", "router", null, Map.of());
        }
        if (!reply.ok()) {
            throw new IllegalStateException("the router answered " + reply.status() + ": " + reply.description());
        }
        PrintWriter out = spec.commandLine().getOut();
        Object body = network ? reply.body() : reply.entities().get(0);
        if (!output.printData(out, body)) {
            if (network) {
                printNetwork(out, reply.entity());
            } else {
                printRouter(out, reply.entities().get(0));
            }
            out.flush();
        }
        return 0;
    }

    static void printRouter(PrintWriter out, Map<String, Object> s) {
        out.println("Router " + s.get("id") + " of site " + s.get("site") + " (" + s.get("mode") + ", version "
            + s.get("version") + ", up " + Formats.duration(number(s.get("uptimeSeconds"))) + ")");
        out.println();
        TextTable links = new TextTable("LINKS (outgoing)", "NAME", "HOST:PORT", "COST", "STATE", "PEER ROUTER", "PEER SITE");
        list(s, "links").forEach(l -> links.row(l.get("name"), hostPort(l), l.get("cost"), l.get("state"), l.get("peerRouter"),
            l.get("peerSite")));
        links.print(out);
        TextTable peers = new TextTable("CONNECTED ROUTERS", "ROUTER", "SITE", "MODE", "COST", "BYTES IN", "BYTES OUT",
            "DELIVERIES IN", "DELIVERIES OUT");
        list(s, "peers").forEach(p -> peers.row(p.get("router"), p.get("site"), p.get("mode"), p.get("cost"),
            bytes(p.get("bytesIn")), bytes(p.get("bytesOut")), p.get("deliveriesIn"), p.get("deliveriesOut")));
        peers.print(out);
        TextTable listeners = new TextTable("LISTENERS (AMQP)", "NAME", "HOST:PORT", "ROLE", "TLS");
        list(s, "listeners").forEach(l -> listeners.row(l.get("name"), hostPort(l), l.get("role"),
            Boolean.TRUE.equals(l.get("tls")) ? "yes" : "no"));
        listeners.print(out);
        List<Map<String, Object>> adaptors = list(s, "adaptors");
        if (!adaptors.isEmpty()) {
            TextTable t = new TextTable("TCP AND HTTP LISTENERS AND CONNECTORS", "TYPE", "NAME", "ROUTING KEY", "HOST:PORT",
                "REACHABLE");
            adaptors.forEach(a -> t.row(a.get("type"), a.get("name"), a.get("routingKey"), hostPort(a),
                reachability(a.get("reachable"))));
            t.print(out);
        }
        TextTable addresses = new TextTable("ADDRESSES", "ADDRESS", "DISTRIBUTION", "LOCAL CONSUMERS", "REMOTE ROUTERS",
            "PRODUCERS", "IN", "OUT", "CREDIT-STARVED");
        list(s, "addresses").forEach(a -> addresses.row(a.get("name"), a.get("distribution"), a.get("localConsumers"),
            a.get("remoteRouters") instanceof List<?> r && !r.isEmpty() ? String.join(", ", r.stream().map(String::valueOf).toList()) : "-",
            a.get("producers"), a.get("deliveriesIn"), a.get("deliveriesOut"), number(a.get("creditStarvedMs")) + " ms"));
        addresses.print(out);
    }

    /** A listener: some server of its key can be reached; a connector: its server took the last connection. */
    private static String reachability(Object reachable) {
        if (reachable == null) {
            return "not tried yet";
        }
        return Boolean.TRUE.equals(reachable) ? "yes" : "no";
    }

    static void printNetwork(PrintWriter out, Map<String, Object> n) {
        List<Map<String, Object>> sites = list(n, "sites");
        List<Map<String, Object>> routers = list(n, "routers");
        List<Map<String, Object>> links = list(n, "links");
        List<Map<String, Object>> services = list(n, "services");
        out.println("Network as seen from router " + n.get("router") + " at " + n.get("gatheredAt") + ": " + sites.size()
            + " sites, " + routers.size() + " routers, " + links.size() + " links, " + services.size() + " services");
        out.println();
        TextTable r = new TextTable("ROUTERS", "SITE", "ROUTER", "MODE", "COST FROM HERE", "ANSWERED");
        routers.forEach(x -> r.row(x.get("site"), x.get("id"), x.get("mode"), x.get("cost"),
            Boolean.TRUE.equals(x.get("answered")) ? "yes" : "no: " + x.get("error")));
        r.print(out);
        TextTable l = new TextTable("LINKS", "FROM", "TO", "KIND", "COST", "TRAFFIC", "DELIVERIES");
        links.forEach(x -> l.row(x.get("fromSite") + "/" + x.get("from"), x.get("toSite") + "/" + x.get("to"), x.get("kind"),
            x.get("cost"), bytes(x.get("bytes")), x.get("deliveries")));
        l.print(out);
        TextTable s = new TextTable("SERVICES (site/router, with counts)", "ADDRESS", "DISTRIBUTION", "CONSUMERS",
            "PRODUCERS", "LISTENERS", "CONNECTORS");
        services.forEach(x -> s.row(x.get("address"), x.get("distribution"), where(list(x, "consumers"), "count"),
            where(list(x, "producers"), "count"), where(list(x, "listeners"), "name"), where(list(x, "connectors"), "name")));
        s.print(out);
    }
}
