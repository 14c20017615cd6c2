package io.camelvan.router.core;

import java.util.List;

/**
 * One copy the forwarder decided to make: where it goes and, for a copy crossing to another
 * router, which routers it is for.
 *
 * @param target a client link of this router, or the next hop towards other routers
 * @param dests null for a client link (annotations stripped); the destination routers otherwise,
 *        empty when the next router is to decide
 */
public record CopyPlan(Consumer target, List<String> dests) {

    public boolean crossesRouters() {
        return dests != null;
    }
}
