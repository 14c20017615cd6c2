package io.camelvan.router.management;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.camelvan.router.core.Address;
import io.camelvan.router.core.AddressMetrics;
import io.camelvan.router.core.RouterCore;
import io.camelvan.router.core.RouterMetrics;

/**
 * The router's counters in the Prometheus text format (version 0.0.4). Every metric is listed,
 * with its meaning, in docs/operations.md.
 */
public final class PrometheusMetrics {

    private final RouterCore core;

    public PrometheusMetrics(RouterCore core) {
        this.core = core;
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        String router = "router=\"" + escape(core.routerId()) + "\",site=\"" + escape(core.site()) + "\"";
        RouterMetrics m = core.metrics();
        gauge(out, "van_connections_active", "AMQP connections open now", router, m.connectionsActive.sum());
        counter(out, "van_connections_opened_total", "AMQP connections accepted since start", router, m.connectionsOpened.sum());
        counter(out, "van_connections_refused_total", "connections refused before AMQP open (not AMQP, TLS or SASL required)", router, m.connectionsRefused.sum());
        counter(out, "van_auth_failures_total", "failed SASL authentications", router, m.authFailures.sum());
        counter(out, "van_tls_failures_total", "TLS handshakes that failed, either side", router, m.tlsFailures.sum());
        gauge(out, "van_links_active", "links attached now, both directions", router, m.linksActive.sum());
        counter(out, "van_links_refused_total", "link attaches refused (unknown or forbidden address, bad terminus)", router, m.linksRefused.sum());
        counter(out, "van_deliveries_too_large_total", "messages rejected for exceeding maxMessageSize", router, m.deliveriesRejectedTooLarge.sum());

        List<Address> addresses = core.addresses().all().stream()
            .sorted(Comparator.comparing(Address::name)).toList();
        header(out, "van_address_consumers", "gauge", "consumers of the address: local links, and routers with consumers");
        for (Address a : addresses) {
            sample(out, "van_address_consumers", labels(router, a.name()), a.consumers().length);
        }
        Map<String, AddressMetrics> counters = new TreeMap<>(core.addresses().metrics());
        header(out, "van_address_deliveries_in_total", "counter", "deliveries received for the address");
        counters.forEach((name, c) -> sample(out, "van_address_deliveries_in_total", labels(router, name), c.in()));
        header(out, "van_address_deliveries_out_total", "counter", "deliveries sent to consumers of the address");
        counters.forEach((name, c) -> sample(out, "van_address_deliveries_out_total", labels(router, name), c.out()));
        header(out, "van_address_outcomes_total", "counter", "outcomes given to producers of the address, by outcome");
        counters.forEach((name, c) -> {
            String l = labels(router, name);
            sample(out, "van_address_outcomes_total", l + ",outcome=\"accepted\"", c.accepted());
            sample(out, "van_address_outcomes_total", l + ",outcome=\"released\"", c.released());
            sample(out, "van_address_outcomes_total", l + ",outcome=\"rejected\"", c.rejected());
            sample(out, "van_address_outcomes_total", l + ",outcome=\"modified\"", c.modified());
        });

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        gauge(out, "van_jvm_heap_used_bytes", "JVM heap in use", router, memory.getHeapMemoryUsage().getUsed());
        gauge(out, "van_jvm_nonheap_used_bytes", "JVM non-heap memory in use", router, memory.getNonHeapMemoryUsage().getUsed());
        gauge(out, "van_direct_memory_used_bytes", "direct memory held by Netty's pooled buffers", router,
            io.netty.buffer.PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
        return out.toString();
    }

    private static String labels(String router, String address) {
        return router + ",address=\"" + escape(address) + "\"";
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, long value) {
        header(out, name, "gauge", help);
        sample(out, name, labels, value);
    }

    private static void counter(StringBuilder out, String name, String help, String labels, long value) {
        header(out, name, "counter", help);
        sample(out, name, labels, value);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, long value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
