package io.camelvan.router.config;

/** One entry of {@code addresses:}: the distribution of every address that starts with {@code prefix}. */
public record AddressConfig(String prefix, Distribution distribution) {

    public AddressConfig {
        distribution = distribution == null ? Distribution.BALANCED : distribution;
    }
}
