package io.camelvan.router.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when the site file changes (the CLI adds and removes links in it while the router runs)
 * and hands over the new configuration once it is valid. A file that does not load is reported and
 * otherwise ignored: the router keeps running on what it has.
 */
public final class ConfigWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Consumer<SiteConfig> onChange;
    private String stamp;

    public ConfigWatcher(Path file, Consumer<SiteConfig> onChange) {
        this.file = file;
        this.onChange = onChange;
        this.stamp = stamp();
    }

    /** Looks once; cheap enough to call every second or two. */
    public void check() {
        String now = stamp();
        if (now == null || now.equals(stamp)) {
            return;
        }
        stamp = now;
        try {
            SiteConfig config = ConfigLoader.load(file);
            LOG.info("configuration {} changed; applying it", file);
            onChange.accept(config);
        } catch (ConfigException e) {
            LOG.error("configuration {} changed but cannot be used; keeping the running one:\n{}", file, e.getMessage());
        }
    }

    private String stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + ":" + a.size() + ":" + a.fileKey();
        } catch (IOException e) {
            return null;
        }
    }
}
