package io.camelvan.router.management;

import static io.camelvan.router.management.PrometheusText.labels;
import static io.camelvan.router.management.PrometheusText.with;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.AddressMetrics;
import io.camelvan.router.core.PeerTraffic;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.RouterMetrics;
import io.camelvan.router.mesh.MeshSnapshot;

/**
 * The router's counters in the Prometheus text format (version 0.0.4): the router, its links to
 * other routers, its addresses, the flows of its listeners by routing key and by pair of sites, and
 * memory. Every metric is listed, with its type, labels and meaning, in docs/operations.md.
 */
public final class PrometheusMetrics {

    private final RouterCore core;
    private final Supplier<MeshSnapshot> mesh;
    private final FlowLog flows;
    private final String version;

    public PrometheusMetrics(RouterCore core, Supplier<MeshSnapshot> mesh, FlowLog flows, String version) {
        this.core = core;
        this.mesh = mesh;
        this.flows = flows;
        this.version = version;
    }

    public String render() {
        PrometheusText out = new PrometheusText(labels("router", core.routerId(), "site", core.site()));
        router(out);
        links(out);
        addresses(out);
        routingKeys(out);
        sitePairs(out);
        memory(out);
        return out.toString();
    }

    private void router(PrometheusText out) {
        out.family("van_router_info", "gauge", "always 1: the router's mode and version in labels")
            .sample("van_router_info", labels("mode", core.mode().yamlName(), "version", version), 1);
        out.single("van_router_start_time_seconds", "gauge", "when the router started, in seconds since the epoch",
            core.instance() / 1000);
        out.single("van_routers_reachable", "gauge", "other routers this one can reach through the mesh now",
            mesh.get().routers().size() - 1);
        out.single("van_router_joined", "gauge", "1 once the router has joined its network since it started (as /readyz)",
            core.join().isJoined() ? 1 : 0);
        RouterMetrics m = core.metrics();
        out.single("van_connections_active", "gauge", "AMQP connections open now", m.connectionsActive.sum());
        out.single("van_connections_opened_total", "counter", "AMQP connections accepted since start", m.connectionsOpened.sum());
        out.single("van_connections_refused_total", "counter",
            "connections refused before AMQP open (not AMQP, TLS or SASL required)", m.connectionsRefused.sum());
        out.single("van_auth_failures_total", "counter", "failed SASL authentications", m.authFailures.sum());
        out.single("van_tls_failures_total", "counter", "TLS handshakes that failed, on either side", m.tlsFailures.sum());
        out.single("van_links_active", "gauge", "links attached now, both directions", m.linksActive.sum());
        out.single("van_links_refused_total", "counter",
            "link attaches refused (unknown or forbidden address, bad terminus)", m.linksRefused.sum());
        out.single("van_deliveries_too_large_total", "counter", "messages rejected for exceeding maxMessageSize",
            m.deliveriesRejectedTooLarge.sum());
        out.single("van_flow_records_total", "counter", "flow records made here (TCP flows and HTTP requests ended)",
            flows.total());
    }

    private void links(PrometheusText out) {
        Map<String, PeerTraffic> peers = new TreeMap<>(core.peerTraffic());
        out.family("van_link_up", "gauge", "1 while a connection to the peer router is open, else 0");
        peers.forEach((id, p) -> out.sample("van_link_up", peer(id, p), p.openConnections() > 0 ? 1 : 0));
        out.family("van_link_cost", "gauge", "the cost of the link to the peer router (its last connection's)");
        peers.forEach((id, p) -> out.sample("van_link_cost", peer(id, p), p.cost()));
        out.family("van_link_connects_total", "counter", "connections to the peer router that opened");
        peers.forEach((id, p) -> out.sample("van_link_connects_total", peer(id, p), p.connectionsUp()));
        out.family("van_link_disconnects_total", "counter", "connections to the peer router that closed");
        peers.forEach((id, p) -> out.sample("van_link_disconnects_total", peer(id, p), p.connectionsDown()));
        out.family("van_link_bytes_total", "counter", "AMQP bytes exchanged with the peer router (inside TLS), by direction");
        peers.forEach((id, p) -> {
            out.sample("van_link_bytes_total", with(peer(id, p), "direction", "in"), p.bytesIn());
            out.sample("van_link_bytes_total", with(peer(id, p), "direction", "out"), p.bytesOut());
        });
        out.family("van_link_deliveries_total", "counter", "deliveries exchanged with the peer router, by direction");
        peers.forEach((id, p) -> {
            out.sample("van_link_deliveries_total", with(peer(id, p), "direction", "in"), p.deliveriesIn());
            out.sample("van_link_deliveries_total", with(peer(id, p), "direction", "out"), p.deliveriesOut());
        });
    }

    private static Map<String, String> peer(String id, PeerTraffic p) {
        return labels("peer", id, "peer_site", p.site());
    }

    private void addresses(PrometheusText out) {
        List<Address> addresses = core.addresses().all().stream().sorted(Comparator.comparing(Address::name)).toList();
        out.family("van_address_consumers", "gauge", "consumers of the address: local links, and routers with consumers");
        for (Address a : addresses) {
            out.sample("van_address_consumers", address(a.name()), a.consumers().length);
        }
        Map<String, AddressMetrics> counters = new TreeMap<>(core.addresses().metrics());
        out.family("van_address_producers", "gauge", "client links sending to the address now");
        counters.forEach((name, c) -> out.sample("van_address_producers", address(name), c.producers()));
        out.family("van_address_deliveries_in_total", "counter", "deliveries received for the address");
        counters.forEach((name, c) -> out.sample("van_address_deliveries_in_total", address(name), c.in()));
        out.family("van_address_deliveries_out_total", "counter", "deliveries sent to consumers of the address");
        counters.forEach((name, c) -> out.sample("van_address_deliveries_out_total", address(name), c.out()));
        out.family("van_address_outcomes_total", "counter", "outcomes given to producers of the address, by outcome");
        counters.forEach((name, c) -> {
            out.sample("van_address_outcomes_total", with(address(name), "outcome", "accepted"), c.accepted());
            out.sample("van_address_outcomes_total", with(address(name), "outcome", "released"), c.released());
            out.sample("van_address_outcomes_total", with(address(name), "outcome", "rejected"), c.rejected());
            out.sample("van_address_outcomes_total", with(address(name), "outcome", "modified"), c.modified());
        });
        long now = System.nanoTime();
        out.family("van_address_credit_starved_seconds_total", "counter",
            "time producer links of the address had no credit because no consumer was reachable, summed over links");
        counters.forEach((name, c) -> out.sample("van_address_credit_starved_seconds_total", address(name),
            c.starvedNanos(now) / 1e9));
        out.family("van_address_starved_producers", "gauge", "producer links of the address waiting for a consumer now");
        counters.forEach((name, c) -> out.sample("van_address_starved_producers", address(name), c.starvedProducers()));
    }

    private static Map<String, String> address(String name) {
        return labels("address", name);
    }

    private void routingKeys(PrometheusText out) {
        Map<FlowLog.KeySeries, FlowCounters> keys = new TreeMap<>(Comparator
            .comparing((FlowLog.KeySeries k) -> k.routingKey()).thenComparing(k -> k.protocol()));
        keys.putAll(flows.byKey());
        out.family("van_flows_opened_total", "counter", "flows (TCP connections, HTTP requests) begun at listeners here, by routing key");
        keys.forEach((k, c) -> out.sample("van_flows_opened_total", key(k), c.opened.sum()));
        out.family("van_flows_active", "gauge", "flows of the routing key under way now");
        keys.forEach((k, c) -> out.sample("van_flows_active", key(k), c.active.sum()));
        out.family("van_flows_failed_total", "counter", "flows of the routing key that did not complete (no server, or broken)");
        keys.forEach((k, c) -> out.sample("van_flows_failed_total", key(k), c.failed.sum()));
        out.family("van_flow_bytes_total", "counter", "payload bytes of the routing key's flows, by direction");
        keys.forEach((k, c) -> bytes(out, "van_flow_bytes_total", key(k), c));
        out.family("van_http_requests_total", "counter", "HTTP requests of the routing key by response status class");
        keys.forEach((k, c) -> {
            if (k.protocol() == FlowRecord.Protocol.HTTP) {
                statusClasses(out, "van_http_requests_total", key(k), c);
            }
        });
        out.family("van_http_request_duration_seconds", "histogram",
            "time from an HTTP request's start to its complete response, at the listener's router");
        keys.forEach((k, c) -> {
            if (k.protocol() == FlowRecord.Protocol.HTTP) {
                histogram(out, "van_http_request_duration_seconds", key(k), c.latency);
            }
        });
    }

    private static Map<String, String> key(FlowLog.KeySeries k) {
        return labels("protocol", k.protocol().label(), "routing_key", k.routingKey());
    }

    private void sitePairs(PrometheusText out) {
        Map<FlowLog.SitePair, FlowCounters> pairs = new TreeMap<>(Comparator
            .comparing((FlowLog.SitePair p) -> p.sourceSite()).thenComparing(p -> p.destinationSite())
            .thenComparing(p -> p.protocol()));
        pairs.putAll(flows.bySites());
        out.family("van_site_flows_total", "counter", "flows that came in at a site and were served at another, by site pair");
        pairs.forEach((p, c) -> out.sample("van_site_flows_total", pair(p), c.ended.sum()));
        out.family("van_site_flows_failed_total", "counter", "flows between the two sites that did not complete");
        pairs.forEach((p, c) -> out.sample("van_site_flows_failed_total", pair(p), c.failed.sum()));
        out.family("van_site_bytes_total", "counter", "payload bytes of the flows between the two sites, by direction");
        pairs.forEach((p, c) -> bytes(out, "van_site_bytes_total", pair(p), c));
        out.family("van_site_http_requests_total", "counter", "HTTP requests between the two sites by response status class");
        pairs.forEach((p, c) -> {
            if (p.protocol() == FlowRecord.Protocol.HTTP) {
                statusClasses(out, "van_site_http_requests_total", pair(p), c);
            }
        });
    }

    private static Map<String, String> pair(FlowLog.SitePair p) {
        return labels("protocol", p.protocol().label(), "source_site", p.sourceSite(), "destination_site", p.destinationSite());
    }

    private static void bytes(PrometheusText out, String name, Map<String, String> labels, FlowCounters c) {
        out.sample(name, with(labels, "direction", "from_client"), c.bytesFromClient.sum());
        out.sample(name, with(labels, "direction", "from_server"), c.bytesFromServer.sum());
    }

    private static void statusClasses(PrometheusText out, String name, Map<String, String> labels, FlowCounters c) {
        for (int i = 1; i <= 5; i++) {
            out.sample(name, with(labels, "status_class", i + "xx"), c.statusClasses[i].sum());
        }
        out.sample(name, with(labels, "status_class", "none"), c.statusClasses[0].sum());
    }

    private static void histogram(PrometheusText out, String name, Map<String, String> labels, LatencyHistogram h) {
        long[] cumulative = h.cumulative();
        for (int i = 0; i < LatencyHistogram.BOUNDS.length; i++) {
            out.sample(name + "_bucket", with(labels, "le", Double.toString(LatencyHistogram.BOUNDS[i])), cumulative[i]);
        }
        long count = cumulative[cumulative.length - 1];
        out.sample(name + "_bucket", with(labels, "le", "+Inf"), count);
        out.sample(name + "_sum", labels, h.sumSeconds());
        out.sample(name + "_count", labels, count);
    }

    private static void memory(PrometheusText out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        out.single("van_jvm_heap_used_bytes", "gauge", "JVM heap in use", memory.getHeapMemoryUsage().getUsed());
        out.single("van_jvm_heap_committed_bytes", "gauge", "JVM heap committed (reserved from the OS)",
            memory.getHeapMemoryUsage().getCommitted());
        out.single("van_jvm_heap_max_bytes", "gauge", "the most heap the JVM may use (-Xmx); -1 when unbounded",
            memory.getHeapMemoryUsage().getMax());
        out.single("van_jvm_nonheap_used_bytes", "gauge", "JVM non-heap memory in use (metaspace, code cache)",
            memory.getNonHeapMemoryUsage().getUsed());
        out.single("van_direct_memory_used_bytes", "gauge", "direct memory held by Netty's pooled buffers",
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        out.single("van_jvm_threads", "gauge", "live JVM threads", ManagementFactory.getThreadMXBean().getThreadCount());
        long rss = ProcessMemory.residentBytes();
        if (rss >= 0) {
            out.single("van_process_resident_memory_bytes", "gauge",
                "resident set size of the process (VmRSS from /proc/self/status)", rss);
        }
    }
}
