package io.camelvan.examples.hybridorders;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What crossed which link and where each address was consumed, from the routers' own counters: a snapshot of every
 * site's {@code /metrics}, and the difference between two snapshots.
 */
final class NetworkTraffic {

    private final Map<String, Long> linkDeliveries = new LinkedHashMap<>();
    private final Map<String, Long> linkBytes = new LinkedHashMap<>();
    private final Map<String, Long> consumed = new LinkedHashMap<>();

    /** Reads the counters of every site's router now. */
    static NetworkTraffic snapshot(List<Site> sites, List<String> addresses) {
        NetworkTraffic traffic = new NetworkTraffic();
        for (Site site : sites) {
            RouterMetrics metrics = RouterMetrics.read(site.adminPort());
            for (Site peer : sites) {
                if (peer != site) {
                    String link = site.name() + " -> " + peer.name();
                    traffic.linkDeliveries.put(link, metrics.value("van_link_deliveries_total",
                        "peer_site", peer.name(), "direction", "out"));
                    traffic.linkBytes.put(link, metrics.value("van_link_bytes_total",
                        "peer_site", peer.name(), "direction", "out"));
                }
            }
            for (String address : addresses) {
                traffic.consumed.put(address + " @ " + site.name(),
                    metrics.value("van_address_deliveries_out_total", "address", address));
            }
        }
        return traffic;
    }

    /** Prints what was counted between {@code before} and this snapshot. */
    void printSince(NetworkTraffic before, PrintStream out) {
        out.printf("  %-20s %11s %10s%n", "LINK (sender)", "DELIVERIES", "BYTES");
        linkDeliveries.forEach((link, deliveries) -> out.printf("  %-20s %11d %10d%n", link,
            deliveries - before.linkDeliveries.getOrDefault(link, 0L),
            linkBytes.get(link) - before.linkBytes.getOrDefault(link, 0L)));
        out.println();
        out.printf("  %-36s %s%n", "ADDRESS @ SITE", "DELIVERED TO CONSUMERS THERE");
        consumed.forEach((where, count) -> {
            long since = count - before.consumed.getOrDefault(where, 0L);
            if (since > 0) {
                out.printf("  %-36s %d%n", where, since);
            }
        });
    }

    /** Deliveries sent over a link ({@code "cloud-b -> on-prem"}) between {@code before} and this snapshot. */
    long deliveriesSince(NetworkTraffic before, String link) {
        return linkDeliveries.getOrDefault(link, 0L) - before.linkDeliveries.getOrDefault(link, 0L);
    }
}
