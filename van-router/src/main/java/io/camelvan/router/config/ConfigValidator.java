package io.camelvan.router.config;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks that a well-formed site YAML must also pass before a router will start with it. */
final class ConfigValidator {

    /** One problem: where (JSON pointer, for the line), the key as the user writes it, and why. */
    record Problem(String pointer, String key, String reason) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final SiteConfig config;
    private final List<Problem> problems = new ArrayList<>();

    ConfigValidator(SiteConfig config) {
        this.config = config;
    }

    List<Problem> problems() {
        checkNames();
        checkListeners();
        checkLinks();
        checkTls();
        checkAddresses();
        checkUsers();
        if (config.admin() != null) {
            port("/admin/port", "admin.port", config.admin().port());
            checkAdminToken(config.admin());
        }
        for (ServiceType type : ServiceType.values()) {
            checkServices(type);
        }
        checkPortClashes();
        return problems;
    }

    private void checkNames() {
        if (config.site() == null) {
            problem("/site", "site", "is required (the name of this site)");
        } else if (!NAME.matcher(config.site()).matches()) {
            problem("/site", "site", "'" + config.site() + "' must be letters, digits, '.', '_' or '-'");
        }
        RouterSettings router = config.router();
        if (router.id() != null && !NAME.matcher(router.id()).matches()) {
            problem("/router/id", "router.id", "'" + router.id() + "' must be letters, digits, '.', '_' or '-'");
        }
        if (router.workerThreads() != null && router.workerThreads() < 1) {
            problem("/router/workerThreads", "router.workerThreads", "must be at least 1");
        }
        if (router.linkCapacity() < 1) {
            problem("/router/linkCapacity", "router.linkCapacity", "must be at least 1");
        }
    }

    private void checkListeners() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            String at = "/listeners/" + i;
            String key = "listeners[" + i + "]";
            uniqueName(at, key, l.name(), names);
            port(at + "/port", key + ".port", l.port());
            boolean peerRole = l.role() != ListenerRole.NORMAL;
            TlsProfile tls = tlsProfile(at + "/tls", key + ".tls", l.tls());
            if (peerRole && l.tls() == null) {
                problem(at + "/role", key + ".tls", "a " + l.role().yamlName()
                    + " listener needs a TLS profile: inter-router and edge connections are always mutual TLS");
            }
            if (peerRole && tls != null && tls.ca() == null) {
                problem(at + "/tls", key + ".tls", "profile '" + l.tls() + "' needs 'ca' to verify peer routers");
            }
            if (l.advertise() != null) {
                try {
                    HostPort.parse(l.advertise());
                } catch (IllegalArgumentException e) {
                    problem(at + "/advertise", key + ".advertise", e.getMessage());
                }
            }
            if (l.saslMechanisms() != null) {
                if (l.saslMechanisms().contains(SaslMechanism.PLAIN) && config.users().isEmpty()) {
                    problem(at + "/saslMechanisms", key + ".saslMechanisms", "PLAIN needs at least one entry under 'users'");
                }
                if (l.saslMechanisms().contains(SaslMechanism.EXTERNAL) && (tls == null || tls.ca() == null)) {
                    problem(at + "/saslMechanisms", key + ".saslMechanisms",
                        "EXTERNAL needs a TLS profile with 'ca' (client certificates)");
                }
                if (l.saslMechanisms().isEmpty()) {
                    problem(at + "/saslMechanisms", key + ".saslMechanisms", "must name at least one mechanism");
                }
            }
            if (l.maxFrameSize() < 512) {
                problem(at + "/maxFrameSize", key + ".maxFrameSize", "must be at least 512 bytes (AMQP minimum)");
            }
            if (l.maxMessageSize() < 0) {
                problem(at + "/maxMessageSize", key + ".maxMessageSize", "must not be negative");
            }
            if (l.maxSessions() < 1 || l.maxSessions() > 65536) {
                problem(at + "/maxSessions", key + ".maxSessions", "must be between 1 and 65536");
            }
            if (l.maxConnections() < 0) {
                problem(at + "/maxConnections", key + ".maxConnections", "must not be negative (0 = no limit)");
            }
            checkPatterns(at + "/policy/send", key + ".policy.send", l.policy().send());
            checkPatterns(at + "/policy/receive", key + ".policy.receive", l.policy().receive());
        }
    }

    private void checkPatterns(String at, String key, List<String> patterns) {
        if (patterns == null) {
            return;
        }
        for (int i = 0; i < patterns.size(); i++) {
            String p = patterns.get(i);
            if (p == null || p.isEmpty()) {
                problem(at + "/" + i, key + "[" + i + "]", "an empty pattern matches nothing");
            } else if (p.indexOf('*') >= 0 && p.indexOf('*') != p.length() - 1) {
                problem(at + "/" + i, key + "[" + i + "]", "'" + p + "': '*' may only end a pattern (events.*)");
            }
        }
    }

    private void checkLinks() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.links().size(); i++) {
            LinkConfig l = config.links().get(i);
            String at = "/links/" + i;
            String key = "links[" + i + "]";
            uniqueName(at, key, l.name(), names);
            if (l.host() == null) {
                problem(at, key + ".host", "is required");
            }
            port(at + "/port", key + ".port", l.port());
            if (l.cost() < 1) {
                problem(at + "/cost", key + ".cost", "must be at least 1");
            }
            if (l.tls() == null) {
                problem(at, key + ".tls", "is required: links are always mutual TLS");
            } else {
                tlsProfile(at + "/tls", key + ".tls", l.tls());
            }
        }
    }

    private void checkTls() {
        config.tls().forEach((name, profile) -> {
            String at = "/tls/" + name;
            if (profile == null) {
                problem(at, "tls." + name, "is empty");
                return;
            }
            if ((profile.cert() == null) != (profile.key() == null)) {
                problem(at, "tls." + name, "'cert' and 'key' go together");
            }
            file(at + "/cert", "tls." + name + ".cert", profile.cert());
            file(at + "/key", "tls." + name + ".key", profile.key());
            file(at + "/ca", "tls." + name + ".ca", profile.ca());
        });
    }

    private void checkAddresses() {
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < config.addresses().size(); i++) {
            AddressConfig a = config.addresses().get(i);
            String at = "/addresses/" + i;
            if (a.prefix() == null || a.prefix().isEmpty()) {
                problem(at, "addresses[" + i + "].prefix", "is required");
            } else if (!prefixes.add(a.prefix())) {
                problem(at + "/prefix", "addresses[" + i + "].prefix", "'" + a.prefix() + "' is listed twice");
            } else if (a.prefix().startsWith("_van/")) {
                problem(at + "/prefix", "addresses[" + i + "].prefix", "'_van/' is reserved for the router's own use");
            }
        }
    }

    private void checkAdminToken(AdminConfig admin) {
        if (admin.token() == null) {
            if (!admin.isLoopback()) {
                problem("/admin/host", "admin.token", "is required when admin.host ('" + admin.host()
                    + "') is not a loopback address: the console and API would be open to the network");
            }
            return;
        }
        try {
            if (admin.resolvedToken().length() < AdminConfig.MIN_TOKEN_LENGTH) {
                problem("/admin/token", "admin.token", "must be at least " + AdminConfig.MIN_TOKEN_LENGTH + " characters");
            }
        } catch (IllegalArgumentException e) {
            problem("/admin/token", "admin.token", e.getMessage());
        }
    }

    private void checkUsers() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.users().size(); i++) {
            UserConfig u = config.users().get(i);
            String at = "/users/" + i;
            uniqueName(at, "users[" + i + "]", u.name(), names);
            if (u.password() == null || u.password().isEmpty()) {
                problem(at, "users[" + i + "].password", "is required");
            } else {
                try {
                    Secrets.resolve(u.password());
                } catch (IllegalArgumentException e) {
                    problem(at + "/password", "users[" + i + "].password", e.getMessage());
                }
            }
        }
    }

    private void checkServices(ServiceType type) {
        Set<String> names = new HashSet<>();
        List<? extends ServiceConfig> entries = config.services(type);
        for (int i = 0; i < entries.size(); i++) {
            ServiceConfig entry = entries.get(i);
            String at = "/" + type.section() + "/" + i;
            String key = type.section() + "[" + i + "]";
            if (entry == null) {
                problem(at, key, "is empty");
                continue;
            }
            for (ServiceValidator.Problem p : ServiceValidator.problems(entry)) {
                // a missing key has no line of its own: point at the entry
                boolean missing = p.reason().startsWith("is required");
                problem(missing ? at : at + "/" + p.field(), key + "." + p.field(), p.reason());
            }
            if (entry.name() != null && !names.add(entry.name())) {
                problem(at + "/name", key + ".name", "'" + entry.name() + "' is used twice");
            }
        }
    }

    /** Two sockets of this router that would listen on the same port: the second would fail to start. */
    private void checkPortClashes() {
        record Bound(String pointer, String key, String host, int port) {
            boolean clashes(Bound other) {
                return port == other.port && (host.equals(other.host) || wildcard(host) || wildcard(other.host));
            }

            static boolean wildcard(String host) {
                return host.equals("0.0.0.0") || host.equals("::");
            }
        }
        List<Bound> bound = new ArrayList<>();
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerConfig l = config.listeners().get(i);
            if (l.port() != null && l.port() > 0) {
                bound.add(new Bound("/listeners/" + i + "/port", "listeners[" + i + "]", l.host(), l.port()));
            }
        }
        for (ServiceType type : List.of(ServiceType.TCP_LISTENER, ServiceType.HTTP_LISTENER)) {
            List<? extends ServiceConfig> entries = config.services(type);
            for (int i = 0; i < entries.size(); i++) {
                ServiceConfig s = entries.get(i);
                if (s != null && s.port() != null && s.port() > 0 && s.host() != null) {
                    bound.add(new Bound("/" + type.section() + "/" + i + "/port", type.section() + "[" + i + "]", s.host(), s.port()));
                }
            }
        }
        if (config.admin() != null && config.admin().port() != null && config.admin().port() > 0) {
            bound.add(new Bound("/admin/port", "admin", config.admin().host(), config.admin().port()));
        }
        for (int i = 0; i < bound.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (bound.get(i).clashes(bound.get(j))) {
                    problem(bound.get(i).pointer(), bound.get(i).key() + ".port",
                        "port " + bound.get(i).port() + " is already used by " + bound.get(j).key());
                    break;
                }
            }
        }
    }

    private TlsProfile tlsProfile(String at, String key, String name) {
        if (name == null) {
            return null;
        }
        TlsProfile profile = config.tls().get(name);
        if (profile == null) {
            problem(at, key, "no TLS profile named '" + name + "' under 'tls'"
                + (config.tls().isEmpty() ? "" : " (have: " + String.join(", ", config.tls().keySet()) + ")"));
        }
        return profile;
    }

    private void uniqueName(String at, String key, String name, Set<String> seen) {
        if (name == null) {
            problem(at, key + ".name", "is required");
        } else if (!seen.add(name)) {
            problem(at + "/name", key + ".name", "'" + name + "' is used twice");
        }
    }

    private void port(String at, String key, Integer port) {
        if (port == null) {
            problem(at.substring(0, at.lastIndexOf('/')), key, "is required");
        } else if (port < 0 || port > 65535) {
            problem(at, key, port + " is not a port (0-65535, 0 = any free port)");
        }
    }

    private void file(String at, String key, String path) {
        if (path != null && !Files.isReadable(config.resolve(path))) {
            problem(at, key, "cannot read file " + config.resolve(path));
        }
    }

    private void problem(String pointer, String key, String reason) {
        problems.add(new Problem(pointer, key, reason));
    }
}
