package io.camelvan.camel;

import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Which Java values AMQP 1.0 (as protonj2 encodes them) can carry as a body or an application-property. */
final class AmqpTypes {

    private AmqpTypes() {
    }

    /** A value allowed in application-properties: a simple (non-compound) AMQP type. */
    static boolean isSimple(Object value) {
        return value == null || value instanceof String || value instanceof Boolean || value instanceof Character
            || value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
            || value instanceof Float || value instanceof Double || value instanceof UUID || value instanceof Date
            || value instanceof byte[];
    }

    /** A value allowed as an AMQP body or inside one: simple values, and maps and lists of such values. */
    static boolean isEncodable(Object value) {
        if (isSimple(value)) {
            return true;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!isEncodable(e.getKey()) || !isEncodable(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (value instanceof List<?> list) {
            for (Object o : list) {
                if (!isEncodable(o)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
