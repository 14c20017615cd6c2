package io.camelvan.router.core;

import java.util.List;

/**
 * What routers tell each other about a delivery, carried in message annotations with the
 * {@code x-opt-van.} prefix on inter-router links and stripped before a client sees the message.
 *
 * @param to the address the delivery is routed on
 * @param ingress the router where it entered the network
 * @param trace every router it has passed, ingress first; a router never forwards to one in it
 * @param dests the routers it is for; null when the receiving router is to decide (a delivery
 *        from an edge router, which does not know the network)
 */
public record VanAnnotations(String to, String ingress, List<String> trace, List<String> dests) {

    public static final String TO = "x-opt-van.to";
    public static final String INGRESS = "x-opt-van.ingress";
    public static final String TRACE = "x-opt-van.trace";
    public static final String DESTS = "x-opt-van.dests";
    public static final String PREFIX = "x-opt-van.";

    public VanAnnotations {
        trace = trace == null ? List.of() : List.copyOf(trace);
        dests = dests == null ? null : List.copyOf(dests);
    }
}
