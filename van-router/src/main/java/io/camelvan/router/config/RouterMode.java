package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a router takes part in the link state ({@code interior}) or is a leaf with one uplink ({@code edge}). */
public enum RouterMode {
    INTERIOR, EDGE;

    @JsonCreator
    public static RouterMode parse(String text) {
        return Enums.parse(RouterMode.class, text);
    }

    @JsonValue
    public String yamlName() {
        return Enums.yamlName(this);
    }
}
