package io.camelvan.router.management;

import java.util.Map;

/** Reads the attributes of a CREATE or UPDATE request, refusing wrong types with a 400 that names the attribute. */
final class Attributes {

    private final Map<String, Object> values;

    Attributes(Map<String, Object> values) {
        this.values = values == null ? Map.of() : values;
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name, String fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw ManagementException.badRequest("attribute '" + name + "' must be a non-empty string");
        }
        return s;
    }

    String requiredString(String name) {
        String s = string(name, null);
        if (s == null) {
            throw ManagementException.badRequest("attribute '" + name + "' is required");
        }
        return s;
    }

    Integer integer(String name, Integer fallback) {
        Object v = values.get(name);
        if (v == null) {
            return fallback;
        }
        if (v instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw ManagementException.badRequest("attribute '" + name + "' must be a whole number, not '" + v + "'");
    }

    /** Refuses attributes the type does not know, so a typo is not silently ignored. */
    void onlyKnown(String type, String... known) {
        for (String key : values.keySet()) {
            if (!java.util.List.of(known).contains(key)) {
                throw ManagementException.badRequest("unknown attribute '" + key + "' for a " + type + " (known: "
                    + String.join(", ", known) + ")");
            }
        }
    }
}
