package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How deliveries to an address are spread over its consumers. */
public enum Distribution {
    /** Anycast to the consumer with the fewest outstanding deliveries plus path cost. */
    BALANCED,
    /** Anycast to the nearest consumer: local first, then the cheapest remote. */
    CLOSEST,
    /** A copy to every consumer. */
    MULTICAST;

    @JsonCreator
    public static Distribution parse(String text) {
        return Enums.parse(Distribution.class, text);
    }

    @JsonValue
    public String yamlName() {
        return Enums.yamlName(this);
    }

    public boolean isAnycast() {
        return this != MULTICAST;
    }
}
