package io.camelvan.router.cli;

import java.util.List;
import java.util.Map;

/** Small formatting helpers for the tables of the query verbs. */
final class Formats {

    private Formats() {
    }

    static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** Bytes as B, KiB, MiB or GiB with one decimal. */
    static String bytes(Object o) {
        double v = number(o);
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? (long) v + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** Seconds as "3d 4h", "2h 5m", "4m 10s" or "12s". */
    static String duration(long seconds) {
        if (seconds >= 86_400) {
            return seconds / 86_400 + "d " + seconds % 86_400 / 3600 + "h";
        }
        if (seconds >= 3600) {
            return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
        }
        return seconds >= 60 ? seconds / 60 + "m " + seconds % 60 + "s" : seconds + "s";
    }

    static String hostPort(Map<String, Object> e) {
        return e.get("host") + ":" + e.get("port");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return m.get(key) instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** "router@site" and the count when there is one: where a service is consumed or exposed. */
    static String where(List<Map<String, Object>> places, String detailKey) {
        if (places.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (Map<String, Object> p : places) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(p.get("site")).append('/').append(p.get("router"));
            Object detail = p.get(detailKey);
            if (detail != null) {
                b.append(" (").append(detail).append(')');
            }
        }
        return b.toString();
    }
}
