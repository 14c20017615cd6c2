package io.camelvan.router.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelvan.router.pki.PemFiles;
import io.camelvan.router.pki.PkiException;
import io.camelvan.router.pki.RevocationList;
import io.camelvan.router.pki.TlsCredentials;

/**
 * The files of a TLS profile, re-read when their content changes, and what is built from them (a
 * Netty context). Each new connection asks for {@link #current()}, so a certificate or trust bundle
 * replaced on disk ({@code van-router ca rotate}) applies to the next handshake, while established
 * connections keep the TLS session they have.
 *
 * <p>Files are compared by content: they are a few kilobytes, and a rotation may rewrite one within
 * the resolution of file times.
 */
final class ReloadingProfile<T> {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingProfile.class);

    private final String name;
    private final PemFiles files;
    private final RevocationList revocations;
    private final Function<TlsCredentials, T> build;
    private List<byte[]> loadedContent = List.of();
    // files that did not load: tried (and reported) again only once they change again
    private List<byte[]> failedContent = List.of();
    private T current;

    /** Loads the files now, so that a bad profile is reported when the router starts. */
    ReloadingProfile(String name, PemFiles files, RevocationList revocations, Function<TlsCredentials, T> build) {
        this.name = name;
        this.files = files;
        this.revocations = revocations;
        this.build = build;
        current();
    }

    /**
     * What is built from the files as they are now. While they are being replaced (a certificate
     * written, its key not yet) they may not load: the previous ones then stay in use until they do.
     */
    synchronized T current() {
        List<byte[]> content = readAll();
        if (current != null && (same(content, loadedContent) || same(content, failedContent))) {
            return current;
        }
        try {
            T next = build.apply(TlsCredentials.load(files, revocations));
            boolean reload = current != null;
            current = next;
            loadedContent = content;
            if (reload) {
                LOG.info("TLS profile '{}' reloaded: its files changed; new connections use them", name);
            }
        } catch (PkiException e) {
            if (current == null) {
                throw e;
            }
            failedContent = content;
            LOG.warn("TLS profile '{}' changed but cannot be loaded ({}); new connections keep the previous files", name, e.getMessage());
        }
        return current;
    }

    private static boolean same(List<byte[]> content, List<byte[]> other) {
        if (content.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < content.size(); i++) {
            if (!Arrays.equals(content.get(i), other.get(i))) {
                return false;
            }
        }
        return true;
    }

    private List<byte[]> readAll() {
        List<byte[]> content = new ArrayList<>();
        for (Path file : Arrays.asList(files.cert(), files.key(), files.ca())) {
            try {
                content.add(file == null ? new byte[0] : Files.readAllBytes(file));
            } catch (IOException e) {
                // a missing file is a change too; loading reports it
                content.add(null);
            }
        }
        return content;
    }
}
