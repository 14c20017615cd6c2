package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The SASL mechanisms the router can answer as a server. */
public enum SaslMechanism {
    ANONYMOUS, PLAIN, EXTERNAL;

    @JsonCreator
    public static SaslMechanism parse(String text) {
        return Enums.parse(SaslMechanism.class, text);
    }

    @JsonValue
    public String yamlName() {
        return name();
    }
}
