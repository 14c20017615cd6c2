package io.camelvan.router.amqp;

import java.util.HashMap;
import java.util.Map;

import org.apache.qpid.protonj2.types.Symbol;

import io.camelvan.router.config.RouterMode;
import io.camelvan.router.core.RouterCore;

/**
 * Who a router at the other end of an inter-router or edge connection says it is, from the
 * properties of its AMQP open (its TLS certificate says it may join at all).
 *
 * @param instance changes every time the router starts, so a restarted router is told from its past self
 * @param cost the link cost the dialling side announced
 */
public record PeerInfo(String routerId, String site, long instance, RouterMode mode, int cost) {

    static final Symbol ROUTER_ID = Symbol.valueOf("van-router-id");
    static final Symbol SITE = Symbol.valueOf("van-site");
    static final Symbol INSTANCE = Symbol.valueOf("van-instance");
    static final Symbol MODE = Symbol.valueOf("van-mode");
    static final Symbol COST = Symbol.valueOf("van-cost");

    /**
     * What this router says of itself in the open of a client connection: its id and site, so that
     * a {@code van:} consumer can say where it served a flow (docs/wire-protocol.md).
     */
    static Map<Symbol, Object> identity(RouterCore core) {
        Map<Symbol, Object> p = new HashMap<>();
        p.put(ROUTER_ID, core.routerId());
        p.put(SITE, core.site());
        return p;
    }

    /** The properties this router puts in its own open to another router. */
    static Map<Symbol, Object> ownProperties(RouterCore core, int cost) {
        Map<Symbol, Object> p = new HashMap<>();
        p.put(ROUTER_ID, core.routerId());
        p.put(SITE, core.site());
        p.put(INSTANCE, core.instance());
        p.put(MODE, core.mode().yamlName());
        p.put(COST, cost);
        return p;
    }

    /**
     * @param fallbackCost the cost to use when the peer announced none (we dialled, so ours counts)
     * @throws IllegalArgumentException when the open does not come from a router
     */
    static PeerInfo from(Map<Symbol, Object> properties, int fallbackCost) {
        if (properties == null || !(properties.get(ROUTER_ID) instanceof String id) || id.isEmpty()) {
            throw new IllegalArgumentException("the peer did not say which router it is (no van-router-id): not a Camel VAN router");
        }
        Object instance = properties.get(INSTANCE);
        Object mode = properties.get(MODE);
        Object cost = properties.get(COST);
        return new PeerInfo(id, String.valueOf(properties.getOrDefault(SITE, id)),
            instance instanceof Number n ? n.longValue() : 0,
            mode == null ? RouterMode.INTERIOR : RouterMode.parse(String.valueOf(mode)),
            cost instanceof Number c ? c.intValue() : fallbackCost);
    }
}
