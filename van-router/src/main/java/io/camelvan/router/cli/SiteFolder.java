package io.camelvan.router.cli;

import java.nio.file.Path;

import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.pki.SitePki;

/**
 * The folder of a site: its configuration file, and beside it the PKI files {@code van-router init}
 * made ({@link SitePki}).
 *
 * @param dir the folder, absolute
 */
record SiteFolder(Path dir) {

    /** The folder of the configuration file a site was loaded from. */
    static SiteFolder of(SiteConfig config) {
        return new SiteFolder(config.resolve(".").normalize());
    }

    SitePki pki() {
        return SitePki.open(dir);
    }

    Path certs() {
        return dir.resolve("certs");
    }

    /** A path as written in the configuration: relative to the folder when inside it, with '/' separators. */
    String relative(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(dir) ? dir.relativize(absolute).toString().replace('\\', '/') : absolute.toString();
    }
}
