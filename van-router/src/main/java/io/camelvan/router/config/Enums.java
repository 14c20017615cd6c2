package io.camelvan.router.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** YAML spelling of enums: lower case with dashes ({@code inter-router}), parsed case-insensitively. */
final class Enums {

    private Enums() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String wanted = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E value : type.getEnumConstants()) {
            if (value.name().equals(wanted)) {
                return value;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of "
            + Arrays.stream(type.getEnumConstants()).map(Enums::yamlName).collect(Collectors.joining(", ")));
    }

    static String yamlName(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
