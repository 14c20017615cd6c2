package io.camelvan.router.cli;

import java.nio.file.Path;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Option;

/** The {@code --config} option every verb takes: default {@code $VAN_CONFIG}, else {@code ./site.yaml}. */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "Site configuration file (default: $VAN_CONFIG, else ./site.yaml).")
    Path file;

    Path path() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("VAN_CONFIG");
        return Path.of(env != null && !env.isBlank() ? env : "site.yaml");
    }

    SiteConfig load() {
        return ConfigLoader.load(path());
    }
}
