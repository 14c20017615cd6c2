package io.camelvan.router.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial numbers of the certificates a site no longer accepts, kept in a text file of the
 * site folder ({@code revoked.txt}): one hex serial per line, text after {@code #} is a comment
 * (who revoked it, when, why).
 *
 * <p>Several processes share the file: the CLI revokes while the router runs. Revocations are
 * merged into the current file under a file lock and written by atomic rename, and
 * {@link #reloadIfChanged()} lets the running router pick them up at the cost of one {@code stat}.
 * A missing file is an empty list. Thread-safe.
 */
public final class RevocationList {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationList.class);
    private static final String HEADER = """
            # Revoked certificates of this site: one hex serial number per line; text after '#' is a comment.
            # A running router rereads this file when it changes.
            """;

    private final Path file;
    private volatile Snapshot snapshot;

    private RevocationList(Path file, Snapshot snapshot) {
        this.file = file;
        this.snapshot = snapshot;
    }

    /** The revocation list of a file; a missing file is an empty list, created on the first revocation. */
    public static RevocationList load(Path file) {
        return new RevocationList(file, read(file));
    }

    /** An empty list kept in memory only: for TLS contexts that need no revocation, and for tests. */
    public static RevocationList inMemory() {
        return new RevocationList(null, new Snapshot(Map.of(), FileStamp.ABSENT));
    }

    /**
     * Revokes a certificate and, for a file-backed list, adds it to the file (keeping what other
     * processes added meanwhile). Revoking a revoked serial again changes nothing.
     *
     * @param reason free text kept as the line's comment, after the time of revocation
     */
    public void revoke(BigInteger serial, String reason) {
        Objects.requireNonNull(serial, "serial");
        String comment = Instant.now().truncatedTo(ChronoUnit.SECONDS) + (reason == null || reason.isBlank() ? "" : " " + oneLine(reason));
        if (file == null) {
            synchronized (this) {
                snapshot = snapshot.with(serial, comment);
            }
            return;
        }
        FileLocks.withLock(file, () -> {
            Snapshot current = read(file).with(serial, comment);
            AtomicFiles.write(file, format(current.entries()).getBytes(StandardCharsets.UTF_8), false);
            snapshot = read(file);
            return null;
        });
    }

    public boolean isRevoked(BigInteger serial) {
        return snapshot.entries().containsKey(serial);
    }

    /** The revoked serials with the comment of each (time and reason), in file order. */
    public Map<BigInteger, String> entries() {
        return snapshot.entries();
    }

    /**
     * Rereads the file if it was replaced, changed or removed since it was last read. Cheap enough
     * to call before every check: one {@code stat} when nothing changed. If the new content is
     * malformed, the previous list stays in force and a warning is logged.
     *
     * @return whether the list was reread
     */
    public boolean reloadIfChanged() {
        if (file == null || FileStamp.of(file).equals(snapshot.stamp())) {
            return false;
        }
        synchronized (this) {
            FileStamp stamp = FileStamp.of(file);
            if (stamp.equals(snapshot.stamp())) {
                return false;
            }
            try {
                snapshot = read(file);
                return true;
            } catch (PkiException e) {
                LOG.warn("keeping the previous revocation list: {}", e.getMessage());
                snapshot = new Snapshot(snapshot.entries(), stamp);
                return false;
            }
        }
    }

    private static Snapshot read(Path file) {
        // stamp first: if the file changes while being read, the next check sees a newer stamp and rereads
        FileStamp stamp = FileStamp.of(file);
        if (stamp == FileStamp.ABSENT) {
            return new Snapshot(Map.of(), stamp);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Snapshot(Map.of(), FileStamp.ABSENT);
        } catch (IOException e) {
            throw new PkiException("revocation list " + file + ": cannot read: " + e, e);
        }
        Map<BigInteger, String> entries = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String serial = (hash < 0 ? line : line.substring(0, hash)).trim();
            if (serial.isEmpty()) {
                continue;
            }
            try {
                entries.putIfAbsent(Certificates.parseSerial(serial), hash < 0 ? "" : line.substring(hash + 1).trim());
            } catch (PkiException e) {
                throw new PkiException("revocation list " + file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new Snapshot(Collections.unmodifiableMap(entries), stamp);
    }

    private static String format(Map<BigInteger, String> entries) {
        StringBuilder text = new StringBuilder(HEADER);
        entries.forEach((serial, comment) -> {
            text.append(Certificates.serialHex(serial));
            if (!comment.isEmpty()) {
                text.append("  # ").append(comment);
            }
            text.append('\n');
        });
        return text.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ").trim();
    }

    private record Snapshot(Map<BigInteger, String> entries, FileStamp stamp) {

        Snapshot with(BigInteger serial, String comment) {
            if (entries.containsKey(serial)) {
                return this;
            }
            Map<BigInteger, String> more = new LinkedHashMap<>(entries);
            more.put(serial, comment);
            return new Snapshot(Collections.unmodifiableMap(more), stamp);
        }
    }

    /** What identifies a version of the file: the inode changes on every atomic rename, mtime and size on edits in place. */
    private record FileStamp(Object fileKey, FileTime modified, long size) {

        static final FileStamp ABSENT = new FileStamp(null, null, -1);

        static FileStamp of(Path file) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                return new FileStamp(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
            } catch (NoSuchFileException e) {
                return ABSENT;
            } catch (IOException e) {
                throw new PkiException("revocation list " + file + ": cannot read: " + e, e);
            }
        }
    }
}
