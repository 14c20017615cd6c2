package io.camelvan.router.mesh;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Shortest paths from this router over the link state: Dijkstra on summed link costs, counting a
 * link only when both of its ends list it, ties broken by router id and then by first hop, so
 * every router agrees and a route never flips between equal paths. This router's own links count
 * as soon as it lists them: it lists only neighbours whose hellos say they hear it, so the link is
 * known to work both ways before the neighbour's link state arrives to say so. Without that, a
 * request from a neighbour could arrive before the route back to it, and its reply be refused.
 */
final class RouteCalculator {

    /** The way to one router: the neighbour to send to first, and the total cost. */
    record Route(String firstHop, int cost) {
    }

    private record Step(String router, int cost, String firstHop) {
    }

    private RouteCalculator() {
    }

    /**
     * @param self this router's id
     * @param links every router's links: router → (neighbour → cost), this router's own included
     * @return a route to every reachable router other than this one
     */
    static Map<String, Route> compute(String self, Map<String, Map<String, Integer>> links) {
        Map<String, Route> routes = new HashMap<>();
        // equal paths to one router: the first hop with the lower id wins, whatever order the
        // steps were queued in, so a recomputation never flips a route (and the order of copies)
        PriorityQueue<Step> queue = new PriorityQueue<>(Comparator.comparingInt(Step::cost)
            .thenComparing(Step::router)
            .thenComparing(Step::firstHop, Comparator.nullsFirst(Comparator.naturalOrder())));
        queue.add(new Step(self, 0, null));
        Map<String, Integer> settled = new HashMap<>();
        while (!queue.isEmpty()) {
            Step step = queue.poll();
            if (settled.containsKey(step.router)) {
                continue;
            }
            settled.put(step.router, step.cost);
            if (step.firstHop != null) {
                routes.put(step.router, new Route(step.firstHop, step.cost));
            }
            Map<String, Integer> out = links.getOrDefault(step.router, Map.of());
            for (Map.Entry<String, Integer> e : out.entrySet()) {
                String next = e.getKey();
                Integer back = links.getOrDefault(next, Map.of()).get(step.router);
                if (back == null && step.router.equals(self)) {
                    back = e.getValue(); // our own link: the neighbour's hellos vouch for the way back
                }
                if (back == null || settled.containsKey(next)) {
                    continue; // one-way: not a link yet, or gone
                }
                int cost = step.cost + Math.max(e.getValue(), back);
                queue.add(new Step(next, cost, step.firstHop == null ? next : step.firstHop));
            }
        }
        return routes;
    }
}
