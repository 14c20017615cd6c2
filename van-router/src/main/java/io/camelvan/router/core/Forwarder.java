package io.camelvan.router.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.camelvan.router.config.Distribution;

/**
 * Decides where the copies of one delivery go. A delivery from a client (or an edge router) is
 * routed here: anycast picks one consumer anywhere in the network, multicast makes one copy per
 * local consumer and one per next hop. A delivery from another router names the routers it is for;
 * this router serves its own share and passes the rest on along the shortest paths. Routers in the
 * delivery's trace are never sent to, so no delivery loops.
 */
public final class Forwarder {

    private static final Predicate<Consumer> ANY = c -> true;

    private final RouterCore core;

    public Forwarder(RouterCore core) {
        this.core = core;
    }

    /**
     * @param address the routing address
     * @param in what the previous router said of the delivery, or null when it comes from a client
     * @return the copies to make; empty when no consumer can be reached
     */
    public List<CopyPlan> plan(String address, VanAnnotations in) {
        List<String> trace = in == null ? List.of() : in.trace();
        String owner = RouterCore.owner(address);
        if (owner != null && !owner.equals(core.routerId())) {
            return toRouters(List.of(owner), trace);
        }
        Address entry = core.addresses().lookup(address);
        if (in != null && in.dests() != null && owner == null) {
            List<CopyPlan> plans = new ArrayList<>();
            if (in.dests().contains(core.routerId()) && entry != null) {
                plans.addAll(servedHere(entry, trace));
            }
            List<String> others = new ArrayList<>(in.dests());
            others.remove(core.routerId());
            plans.addAll(toRouters(others, trace));
            return plans;
        }
        if (entry == null) {
            return List.of();
        }
        Predicate<Consumer> allowed = trace.isEmpty() ? ANY : c -> c.routerId() == null || !trace.contains(c.routerId());
        if (entry.distribution() == Distribution.MULTICAST) {
            List<CopyPlan> plans = new ArrayList<>(servedHere(entry, trace));
            List<String> remote = new ArrayList<>();
            for (Consumer c : entry.consumers()) {
                if (!c.isServedHere() && allowed.test(c)) {
                    remote.add(c.routerId());
                }
            }
            plans.addAll(toRouters(remote, trace));
            return plans;
        }
        Consumer chosen = entry.choose(allowed);
        return chosen == null ? List.of() : List.of(planFor(chosen));
    }

    /** The share of this router: its client links and its edge routers' consumers. */
    private List<CopyPlan> servedHere(Address entry, List<String> trace) {
        Predicate<Consumer> here = c -> c.isServedHere() && (c.routerId() == null || !trace.contains(c.routerId()));
        if (entry.distribution() != Distribution.MULTICAST) {
            Consumer chosen = entry.choose(here);
            return chosen == null ? List.of() : List.of(planFor(chosen));
        }
        List<CopyPlan> plans = new ArrayList<>();
        for (Consumer c : entry.consumers()) {
            if (here.test(c)) {
                plans.add(planFor(c));
            }
        }
        return plans;
    }

    private static CopyPlan planFor(Consumer consumer) {
        return new CopyPlan(consumer, consumer.dests());
    }

    /** One copy per next hop, each naming the routers reached through it. */
    private List<CopyPlan> toRouters(List<String> routers, List<String> trace) {
        Map<Consumer, List<String>> byHop = new LinkedHashMap<>();
        for (String router : routers) {
            Consumer hop = core.nextHop(router);
            if (hop != null && !trace.contains(hop.routerId())) {
                byHop.computeIfAbsent(hop, h -> new ArrayList<>()).add(router);
            }
        }
        List<CopyPlan> plans = new ArrayList<>(byHop.size());
        byHop.forEach((hop, dests) -> plans.add(new CopyPlan(hop, dests)));
        return plans;
    }
}
