package io.camelvan.router.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One site's configuration, as in the site YAML file (see docs/config-reference.md).
 * Lists and maps are never null; defaults are applied by the nested records.
 *
 * @param file where it was read from, to resolve relative paths and to write changes back (not a YAML key)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SiteConfig(
        String site,
        RouterSettings router,
        List<ListenerConfig> listeners,
        List<LinkConfig> links,
        Map<String, TlsProfile> tls,
        List<AddressConfig> addresses,
        List<UserConfig> users,
        List<TcpListenerConfig> tcpListeners,
        List<TcpConnectorConfig> tcpConnectors,
        List<HttpListenerConfig> httpListeners,
        List<HttpConnectorConfig> httpConnectors,
        AdminConfig admin,
        @JsonIgnore Path file) {

    public SiteConfig {
        router = router == null ? new RouterSettings(null, null, null, null) : router;
        listeners = listeners == null ? List.of() : List.copyOf(listeners);
        links = links == null ? List.of() : List.copyOf(links);
        tls = tls == null ? Map.of() : Map.copyOf(tls);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        users = users == null ? List.of() : List.copyOf(users);
        tcpListeners = tcpListeners == null ? List.of() : List.copyOf(tcpListeners);
        tcpConnectors = tcpConnectors == null ? List.of() : List.copyOf(tcpConnectors);
        httpListeners = httpListeners == null ? List.of() : List.copyOf(httpListeners);
        httpConnectors = httpConnectors == null ? List.of() : List.copyOf(httpConnectors);
    }

    /** The router id: configured, else the site name (unique per site is enough for one router per site). */
    public String routerId() {
        return router.id() != null ? router.id() : site;
    }

    /** The same configuration, remembering the file it came from. */
    public SiteConfig withFile(Path source) {
        return new SiteConfig(site, router, listeners, links, tls, addresses, users, tcpListeners, tcpConnectors,
            httpListeners, httpConnectors, admin, source);
    }

    /** The entries of one service section. */
    public List<? extends ServiceConfig> services(ServiceType type) {
        return switch (type) {
            case TCP_LISTENER -> tcpListeners;
            case TCP_CONNECTOR -> tcpConnectors;
            case HTTP_LISTENER -> httpListeners;
            case HTTP_CONNECTOR -> httpConnectors;
        };
    }

    /** A path from the configuration, resolved against the configuration file's folder. */
    public Path resolve(String path) {
        Path p = Path.of(path);
        if (p.isAbsolute() || file == null || file.toAbsolutePath().getParent() == null) {
            return p;
        }
        return file.toAbsolutePath().getParent().resolve(p);
    }
}
