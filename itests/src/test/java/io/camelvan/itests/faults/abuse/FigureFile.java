package io.camelvan.itests.faults.abuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The figures one test of the abuse and load suite measured, written to
 * {@code target/faults/NAME.txt} (one {@code key: value} line each, in the order given) and
 * echoed on stdout, for docs/reliability.md.
 */
final class FigureFile {

    private final String name;
    private final List<String> lines = new ArrayList<>();

    FigureFile(String name) {
        this.name = name;
    }

    FigureFile add(String key, String format, Object... args) {
        lines.add(key + ": " + String.format(Locale.ROOT, format, args));
        return this;
    }

    /** Writes the file (replacing an older one) and prints it. */
    void write() {
        Path dir = Paths.get("target", "faults");
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".txt"), lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("== " + name + "\n" + String.join("\n", lines));
    }
}
