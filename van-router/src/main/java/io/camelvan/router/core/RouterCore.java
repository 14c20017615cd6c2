package io.camelvan.router.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one router shares: its identity, the address table and the counters.
 * Everything here is safe to use from any event loop.
 */
public final class RouterCore {

    /** Prefix of the addresses the router keeps for itself (control, temporary reply addresses). */
    public static final String RESERVED_PREFIX = "_van/";

    private final String routerId;
    private final String site;
    private final AddressTable addresses;
    private final RouterMetrics metrics = new RouterMetrics();
    private final AtomicLong tempCounter = new AtomicLong();
    private final String tempPrefix;
    private final int linkCapacity;

    /** @param linkCapacity the credit window of each link that sends to the router */
    public RouterCore(String routerId, String site, AddressSettings settings, int linkCapacity) {
        this.routerId = routerId;
        this.site = site;
        this.linkCapacity = linkCapacity;
        this.addresses = new AddressTable(settings);
        this.tempPrefix = RESERVED_PREFIX + routerId + "/temp/";
    }

    public String routerId() {
        return routerId;
    }

    public String site() {
        return site;
    }

    public int linkCapacity() {
        return linkCapacity;
    }

    public AddressTable addresses() {
        return addresses;
    }

    public RouterMetrics metrics() {
        return metrics;
    }

    /** A new server-named address for a dynamic link; it routes to this router by its name alone. */
    public String newTemporaryAddress() {
        return tempPrefix + tempCounter.incrementAndGet();
    }

    /** True for addresses clients may not attach to or send to by name. */
    public static boolean isReserved(String address) {
        return address.startsWith(RESERVED_PREFIX);
    }

    /** True for a temporary address this router handed out. */
    public boolean isLocalTemporary(String address) {
        return address.startsWith(tempPrefix);
    }
}
