package io.camelvan.router.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The checks of one service entry on its own (the site file's checks add uniqueness and port
 * clashes). Shared by the configuration loader and by the management endpoint, which creates
 * entries at run time.
 */
public final class ServiceValidator {

    /** One problem: the entry's field ({@code port}, or the entry itself when empty) and why. */
    public record Problem(String field, String reason) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ServiceValidator() {
    }

    public static List<Problem> problems(ServiceConfig entry) {
        List<Problem> problems = new ArrayList<>();
        if (entry.name() == null) {
            problems.add(new Problem("name", "is required"));
        } else if (!NAME.matcher(entry.name()).matches()) {
            problems.add(new Problem("name", "'" + entry.name() + "' must be letters, digits, '.', '_' or '-'"));
        }
        String key = entry.routingKey();
        if (key == null || key.isBlank()) {
            problems.add(new Problem("routingKey", "is required (the address of the service in the network)"));
        } else if (key.startsWith("_van/") || key.startsWith("$")) {
            problems.add(new Problem("routingKey", "'" + key + "': addresses under '_van/' and '$' are the router's own"));
        }
        if (entry.host() == null || entry.host().isBlank() || entry.host().contains(" ")) {
            problems.add(new Problem("host", "'" + entry.host() + "' is not a host"));
        }
        int lowest = entry.type().isListener() ? 0 : 1;
        if (entry.port() == null) {
            problems.add(new Problem("port", "is required"));
        } else if (entry.port() < lowest || entry.port() > 65535) {
            problems.add(new Problem("port", entry.port() + " is not a port ("
                + (entry.type().isListener() ? "0-65535, 0 = any free port" : "1-65535") + ")"));
        }
        if (entry instanceof HttpListenerConfig http) {
            if (http.maxRequestSize() < 0) {
                problems.add(new Problem("maxRequestSize", "must not be negative (0 = no limit)"));
            }
            if (http.maxHeaderSize() < 1024 || http.maxHeaderSize() > Integer.MAX_VALUE) {
                problems.add(new Problem("maxHeaderSize", http.maxHeaderSize() + " is not between 1KiB and 2GiB"));
            }
            if (http.headerTimeout().isNegative()) {
                problems.add(new Problem("headerTimeout", "must not be negative (0 = none)"));
            }
            if (http.maxConnections() < 0) {
                problems.add(new Problem("maxConnections", "must not be negative (0 = no limit)"));
            }
        }
        if (entry instanceof TcpListenerConfig tcp && tcp.maxConnections() < 0) {
            problems.add(new Problem("maxConnections", "must not be negative (0 = no limit)"));
        }
        if (entry instanceof HttpConnectorConfig http && http.maxConnections() < 1) {
            problems.add(new Problem("maxConnections", "must be at least 1"));
        }
        return problems;
    }
}
