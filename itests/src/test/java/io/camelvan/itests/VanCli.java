package io.camelvan.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code van-router} command line as an operator would: the jar, in a process of its own. */
public final class VanCli {

    /** What a command printed and how it exited. */
    public record Result(int exitCode, String out) {
    }

    private VanCli() {
    }

    public static Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(RouterProcess.javaExecutable(), "-jar", RouterProcess.routerJar().toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("van-router " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command that must succeed; fails with its output otherwise. */
    public static String ok(String... args) {
        Result r = run(args);
        if (r.exitCode() != 0) {
            throw new AssertionError("van-router " + String.join(" ", args) + " exited " + r.exitCode() + ":\n" + r.out());
        }
        return r.out();
    }

    public static Path siteFile(Path dir, String site) {
        return dir.resolve(site).resolve("site.yaml");
    }
}
