package io.camelvan.router.core;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelvan.router.config.Distribution;

/**
 * Every address some link currently refers to. Lookups are lock-free; an entry lives while
 * something holds it ({@link #acquire}/{@link #release}) so abandoned names don't pile up.
 */
public final class AddressTable {

    /** Counters outlive their address entry (consumers come and go); at most this many names are kept. */
    static final int MAX_KEPT_METRICS = 10_000;

    private final ConcurrentHashMap<String, Address> addresses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AddressMetrics> metrics = new ConcurrentHashMap<>();
    private volatile AddressSettings settings;
    private volatile Address.LocalConsumerListener localListener = Address.LocalConsumerListener.NONE;

    public AddressTable(AddressSettings settings) {
        this.settings = settings;
    }

    /** The entry for {@code name}, created if needed, held until {@link #release}. */
    public Address acquire(String name) {
        return addresses.compute(name, (key, existing) -> {
            Address a = existing != null ? existing : new Address(key, settings.distributionOf(key), metricsOf(key),
                (address, present) -> localListener.localConsumersChanged(address, present));
            a.references++;
            return a;
        });
    }

    public void release(Address address) {
        addresses.computeIfPresent(address.name(), (key, existing) ->
            existing == address && --existing.references == 0 ? null : existing);
    }

    /**
     * The counters of an address: kept across the entry's comings and goings, except for the
     * router's own addresses (one per reply address would pile up) and past {@link #MAX_KEPT_METRICS}.
     */
    private AddressMetrics metricsOf(String name) {
        if (RouterCore.isReserved(name) || metrics.size() >= MAX_KEPT_METRICS) {
            AddressMetrics kept = metrics.get(name);
            return kept != null ? kept : new AddressMetrics();
        }
        return metrics.computeIfAbsent(name, n -> new AddressMetrics());
    }

    /** Counters by address name, for every address that has had an entry (within the bound). */
    public Map<String, AddressMetrics> metrics() {
        return metrics;
    }

    /** The entry for {@code name} if anything holds it, else null. */
    public Address lookup(String name) {
        return addresses.get(name);
    }

    public Collection<Address> all() {
        return addresses.values();
    }

    /** Who hears of addresses gaining their first, or losing their last, client consumer here. */
    public void localConsumerListener(Address.LocalConsumerListener listener) {
        this.localListener = listener;
    }

    public AddressSettings settings() {
        return settings;
    }

    /**
     * New distribution settings. They apply to addresses whose entry is created from now on: an
     * address in use keeps the distribution it was created with until its last link goes.
     */
    public void settings(AddressSettings next) {
        this.settings = next;
    }

    /** How deliveries to {@code name} are spread: its entry's distribution, else what the settings say. */
    public Distribution distributionOf(String name) {
        Address entry = addresses.get(name);
        return entry != null ? entry.distribution() : settings.distributionOf(name);
    }
}
