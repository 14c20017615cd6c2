package io.camelvan.router.management;

import java.util.function.UnaryOperator;

import io.camelvan.router.config.ConfigEditor;
import io.camelvan.router.config.ConfigException;
import io.camelvan.router.config.SiteConfig;

/**
 * Changes to the running router's site: written to its site file first (so they survive a
 * restart), then applied. Implemented by the router.
 */
public interface SiteChanges {

    /** The configuration the router runs with now. */
    SiteConfig config();

    /**
     * Edits the site file, checks the result, writes it and applies it.
     *
     * @throws IllegalStateException when the router runs without a site file
     * @throws ConfigException when the change would make the file invalid (nothing is written)
     */
    SiteConfig change(UnaryOperator<ConfigEditor> edit);

    /** Runs a change and reports its failures as management errors (409 without a file, 400 for a bad result). */
    static SiteConfig apply(SiteChanges site, UnaryOperator<ConfigEditor> edit) {
        try {
            return site.change(edit);
        } catch (IllegalStateException e) {
            throw ManagementException.conflict(e.getMessage());
        } catch (ConfigException e) {
            throw ManagementException.badRequest(e.getMessage());
        }
    }
}
