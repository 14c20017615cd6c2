package io.camelvan.router.core;

import java.util.Comparator;
import java.util.List;

import io.camelvan.router.config.AddressConfig;
import io.camelvan.router.config.Distribution;

/** Distribution by address prefix, longest prefix first; {@code balanced} when none matches. */
public final class AddressSettings {

    private final List<AddressConfig> byLongestPrefix;

    public AddressSettings(List<AddressConfig> addresses) {
        this.byLongestPrefix = addresses.stream()
            .sorted(Comparator.comparingInt((AddressConfig a) -> a.prefix().length()).reversed())
            .toList();
    }

    public Distribution distributionOf(String address) {
        for (AddressConfig a : byLongestPrefix) {
            if (address.startsWith(a.prefix())) {
                return a.distribution();
            }
        }
        return Distribution.BALANCED;
    }
}
