package io.camelvan.router.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who may connect to a listener: applications ({@code normal}), peer interior routers, or edge routers. */
public enum ListenerRole {
    NORMAL, INTER_ROUTER, EDGE;

    @JsonCreator
    public static ListenerRole parse(String text) {
        return Enums.parse(ListenerRole.class, text);
    }

    @JsonValue
    public String yamlName() {
        return Enums.yamlName(this);
    }
}
