package io.camelvan.router.management;

import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.HostPort;
import io.camelvan.router.config.ListenerConfig;
import io.camelvan.router.config.ListenerRole;
import io.camelvan.router.config.SiteConfig;

/**
 * How other sites reach a site: the advertised address of its first inter-router listener. Links
 * connect there, and access tokens are redeemed there at {@link #grantUrl()}.
 *
 * @param listener the name of that listener
 * @param address  its {@code advertise} address, else its {@code host:port}
 */
public record LinkAccess(String listener, HostPort address) {

    /** The path of the grant endpoint on the inter-router listener. */
    public static final String GRANT_PATH = "/grant";

    /**
     * The link access of a site.
     *
     * @throws ConfigException when the site has no inter-router listener, or no address another site could dial
     */
    public static LinkAccess of(SiteConfig config) {
        ListenerConfig listener = config.listeners().stream()
                .filter(l -> l.role() == ListenerRole.INTER_ROUTER)
                .findFirst()
                .orElseThrow(() -> new ConfigException(config.file() + ": site '" + config.site()
                        + "' has no inter-router listener, so other sites cannot link to it"
                        + " (add a listener with role: inter-router, tls: site and advertise: HOST:PORT)"));
        String where = config.file() + ": listener '" + listener.name() + "'";
        HostPort address;
        try {
            address = listener.advertisedAddress();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage() + "; set advertise: HOST:PORT, the address other sites dial");
        }
        if (address.isWildcard()) {
            throw new ConfigException(where + " listens on " + address.host() + ", which other sites cannot dial;"
                    + " set advertise: HOST:PORT to the name or address they reach it by");
        }
        return new LinkAccess(listener.name(), address);
    }

    /** Where access tokens of this site are redeemed: {@code https://HOST:PORT/grant}. */
    public String grantUrl() {
        return "https://" + address + GRANT_PATH;
    }
}
