package io.camelvan.router.adaptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code curl} (Debian package curl) and gives back what it printed. */
final class Curl {

    /** What one curl run printed on stdout, and its exit code. */
    record Result(int exitCode, String out, String err) {
    }

    private Curl() {
    }

    static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.add("--silent");
        command.add("--show-error");
        command.add("--max-time");
        command.add("30");
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "curl", ".out");
        Path err = Files.createTempFile(dir, "curl", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl did not finish: " + command);
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
            Files.readString(err, StandardCharsets.UTF_8));
    }
}
