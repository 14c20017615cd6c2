package io.camelvan.router.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.camelvan.router.config.ConfigEditor;
import io.camelvan.router.config.LinkConfig;
import io.camelvan.router.config.SiteConfig;
import io.camelvan.router.config.TlsProfile;
import io.camelvan.router.pki.IssuedCertificate;
import io.camelvan.router.pki.LinkCredentials;
import io.camelvan.router.pki.Pem;
import io.camelvan.router.pki.PemFiles;

/**
 * The outgoing links of a site as {@code token redeem}, {@code link create} and {@code link delete}
 * change them: each is an entry under {@code links:}, a TLS profile {@code link-<name>} and its
 * PEM files in the site's {@code certs/} folder.
 */
final class SiteLinks {

    private static final Pattern LINK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final SiteConfig config;
    private final SiteFolder folder;

    SiteLinks(SiteConfig config) {
        this.config = config;
        this.folder = SiteFolder.of(config);
    }

    /** The TLS profile of a link added here. */
    static String profileOf(String linkName) {
        return "link-" + linkName;
    }

    /**
     * Refuses a link name that is malformed or taken (by a link, a TLS profile or PEM files), before
     * anything is asked of another site.
     */
    void requireFree(String name) {
        if (!LINK_NAME.matcher(name).matches()) {
            throw new UsageException("'" + name + "' is not a valid link name (letters, digits, '.', '_' or '-', at most 63)");
        }
        String howTo = "; choose another name with --name, or delete it first with `van-router link delete " + name + "`";
        for (LinkConfig link : config.links()) {
            if (link.name().equals(name)) {
                throw new UsageException("site " + config.site() + " already has a link named '" + name + "' (to "
                        + link.host() + ":" + link.port() + ")" + howTo);
            }
        }
        if (config.tls().containsKey(profileOf(name))) {
            throw new UsageException("site " + config.site() + " already has a TLS profile named '" + profileOf(name) + "'" + howTo);
        }
        PemFiles pem = LinkCredentials.pemFiles(folder.certs(), name);
        for (Path file : List.of(pem.cert(), pem.key(), pem.ca())) {
            if (Files.exists(file)) {
                throw new UsageException(file + " exists (left from an earlier link?); remove it, or choose another name with --name");
            }
        }
    }

    /**
     * Adds a link: its PEM files, its TLS profile and its entry. If the configuration cannot be
     * changed, the PEM files are removed again.
     *
     * @return the configuration as now on file
     */
    SiteConfig add(LinkCredentials credentials) {
        requireFree(credentials.name());
        PemFiles files = credentials.writePemFiles(folder.certs());
        String profile = profileOf(credentials.name());
        try {
            return ConfigEditor.open(config.file())
                    .addTlsProfile(profile, new TlsProfile(folder.relative(files.cert()), folder.relative(files.key()),
                            folder.relative(files.ca())))
                    .addLink(new LinkConfig(credentials.name(), credentials.host(), credentials.port(), credentials.cost(), profile))
                    .save();
        } catch (RuntimeException e) {
            delete(List.of(files.cert(), files.key(), files.ca()));
            throw e;
        }
    }

    /**
     * Gives an existing link new credentials by rewriting the files of its TLS profile in place:
     * the configuration does not change, so a running router keeps the link's connection and uses
     * the new files when it dials again.
     */
    void replace(LinkCredentials credentials) {
        LinkConfig link = find(credentials.name());
        if (!link.host().equals(credentials.host()) || link.port() != credentials.port()) {
            throw new UsageException("link '" + link.name() + "' dials " + link.host() + ":" + link.port() + ", the link file is for "
                    + credentials.host() + ":" + credentials.port() + "; delete the link and create it instead");
        }
        TlsProfile profile = config.tls().get(link.tls());
        if (profile == null || profile.ca() == null) {
            throw new UsageException("link '" + link.name() + "' has no TLS profile with a 'ca' to replace (tls: " + link.tls() + ")");
        }
        // the CAs first: a link file made during a rotation holds the old CA too, so the peer's
        // certificate verifies whichever of the files a reconnection reads
        Pem.writeCertificates(config.resolve(profile.ca()), credentials.cas());
        new IssuedCertificate(credentials.certificate(), credentials.key(), credentials.ca())
                .save(config.resolve(profile.cert()), config.resolve(profile.key()));
    }

    /**
     * Removes a link, its TLS profile unless something else uses it, and the profile's files unless
     * another profile names them.
     */
    Removed remove(String name) {
        LinkConfig link = find(name);
        boolean profileShared = config.links().stream().anyMatch(l -> l != link && link.tls().equals(l.tls()))
                || config.listeners().stream().anyMatch(l -> link.tls().equals(l.tls()));
        ConfigEditor editor = ConfigEditor.open(config.file()).removeLink(name);
        if (!profileShared) {
            editor.removeTlsProfile(link.tls());
        }
        SiteConfig after = editor.save();
        List<Path> deleted = new ArrayList<>();
        if (!profileShared) {
            List<Path> stillUsed = after.tls().values().stream().flatMap(SiteLinks::files).map(after::resolve).map(Path::normalize).toList();
            List<Path> unused = files(config.tls().get(link.tls())).map(config::resolve).map(Path::normalize)
                    .filter(file -> !stillUsed.contains(file)).toList();
            deleted.addAll(delete(unused));
        }
        return new Removed(link, profileShared ? null : link.tls(), deleted.stream().map(folder::relative).toList());
    }

    private LinkConfig find(String name) {
        return config.links().stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException("site " + config.site() + " has no link named '" + name + "'"
                        + (config.links().isEmpty() ? "" : " (links: "
                        + config.links().stream().map(LinkConfig::name).collect(Collectors.joining(", ")) + ")")));
    }

    /**
     * What {@link #remove} removed.
     *
     * @param profile the TLS profile removed, or {@code null} when another link or listener still uses it
     * @param files   the files deleted, as written in the configuration
     */
    record Removed(LinkConfig link, String profile, List<String> files) {
    }

    private static Stream<String> files(TlsProfile profile) {
        return profile == null ? Stream.empty() : Stream.of(profile.cert(), profile.key(), profile.ca()).filter(Objects::nonNull);
    }

    private static List<Path> delete(List<Path> files) {
        List<Path> deleted = new ArrayList<>();
        for (Path file : files) {
            try {
                if (Files.deleteIfExists(file)) {
                    deleted.add(file);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
            }
        }
        return deleted;
    }
}
