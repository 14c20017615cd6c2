package io.camelvan.router.config;

import java.util.Objects;

/**
 * The configuration {@code van-router init} writes for a new site, with a short comment on each
 * section: an AMQP listener for applications on loopback, an inter-router listener on all
 * interfaces with the site's TLS profile (advertised as {@code linkAccess}), no links yet, and the
 * admin port on loopback.
 *
 * @param site       the site name
 * @param routerId   the router id
 * @param amqpPort   the port of the listener for applications
 * @param linkAccess how other sites reach the inter-router listener; it listens on the same port
 * @param adminPort  the admin HTTP port
 * @param siteTls    the files of the site's own certificate, key and CA, relative to the configuration file
 */
public record InitialSiteConfig(String site, String routerId, int amqpPort, HostPort linkAccess, int adminPort, TlsProfile siteTls) {

    /** The name of the TLS profile of the site's own certificate. */
    public static final String SITE_TLS_PROFILE = "site";

    public InitialSiteConfig {
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(routerId, "routerId");
        Objects.requireNonNull(linkAccess, "linkAccess");
        Objects.requireNonNull(siteTls, "siteTls");
    }

    /** The YAML text. */
    public String yaml() {
        return """
                # Camel VAN site %1$s, written by `van-router init`. Paths are relative to this file.
                # Reference: docs/config-reference.md

                # This site's name.
                site: %1$s
                # This router: its id (unique in the network) and mode (interior routers take part in routing).
                router: {id: %2$s, mode: interior}
                # Where this router accepts AMQP connections.
                listeners:
                  - {name: amqp, host: 127.0.0.1, port: %3$d}    # applications
                  - {name: peers, host: 0.0.0.0, port: %4$d, role: inter-router, tls: %6$s, advertise: "%5$s"}    # other sites (mutual TLS), which reach it at 'advertise'
                # Outgoing links to other sites: added by `van-router token redeem` and `van-router link create`.
                links: []
                # TLS profiles: certificate, key and trusted CA files. 'site' is this site's own, made by init.
                tls:
                  %6$s: {cert: %8$s, key: %9$s, ca: %10$s}
                # The admin HTTP port (/healthz, /metrics), on loopback.
                admin: {host: 127.0.0.1, port: %7$d}
                """.formatted(YamlSections.scalar(site), YamlSections.scalar(routerId), amqpPort, linkAccess.port(),
                linkAccess, SITE_TLS_PROFILE, adminPort, YamlSections.scalar(siteTls.cert()), YamlSections.scalar(siteTls.key()),
                YamlSections.scalar(siteTls.ca()));
    }
}
