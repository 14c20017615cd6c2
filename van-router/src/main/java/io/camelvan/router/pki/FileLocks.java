package io.camelvan.router.pki;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Mutual exclusion for a read-modify-write of a file shared by several threads and processes
 * (the running router and a CLI command).
 *
 * <p>The OS lock is taken on a hidden sidecar {@code .<file>.lock}, not on the file itself, because the
 * file is replaced by rename: a lock on the old inode would not exclude a writer of the new one.
 * The JVM-wide lock per path is needed as well because an OS file lock is held per process and
 * a second lock attempt from the same JVM fails instead of waiting.
 */
final class FileLocks {

    private static final ConcurrentMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private FileLocks() {
    }

    static <T> T withLock(Path file, Supplier<T> action) {
        Path absolute = file.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(absolute, p -> new ReentrantLock());
        local.lock();
        try {
            Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
            Files.createDirectories(absolute.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new PkiException("cannot lock " + file + ": " + e, e);
        } finally {
            local.unlock();
        }
    }
}
