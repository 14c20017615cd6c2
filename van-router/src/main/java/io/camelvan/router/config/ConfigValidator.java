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
