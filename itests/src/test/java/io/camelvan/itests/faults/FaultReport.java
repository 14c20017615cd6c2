package io.camelvan.itests.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The figures of one fault scenario: printed as they come and written to
 * {@code target/faults/NAME.txt}, whence docs/reliability.md takes them.
 */
final class FaultReport {

    private final String name;
    private final List<String> lines = new ArrayList<>();

    FaultReport(String name) {
        this.name = name;
    }

    FaultReport line(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(name + ": " + line);
        lines.add(line);
        return this;
    }

    /** Writes the figures so far (call it before the assertions, so a failing run leaves them too). */
    void write() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "faults"));
            Files.write(dir.resolve(name + ".txt"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
