package io.camelvan.router.cli;

import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.management.LinkAccess;

/** The link access of the site a command runs on, or a usage error saying why it has none. */
final class SiteAccess {

    private SiteAccess() {
    }

    static LinkAccess of(SiteConfig config) {
        try {
            return LinkAccess.of(config);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
