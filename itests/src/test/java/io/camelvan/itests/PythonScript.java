package io.camelvan.itests;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python Qpid Proton scripts under {@code src/test/resources/python/} as processes.
 * Their stdout and stderr go to {@code target/python-logs/NAME.out} and {@code NAME.err}.
 * The interpreter is {@code /usr/bin/python3} (Debian's, which has {@code python3-qpid-proton}),
 * or the system property {@code van.python}.
 */
final class PythonScript {

    static final String PYTHON = System.getProperty("van.python", "/usr/bin/python3");

    private PythonScript() {
    }

    /** Fails (never skips) when the interpreter cannot import proton. */
    static void requireProton() {
        String problem;
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import proton; print(proton.VERSION)")
                .redirectErrorStream(true).start();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                problem = "'" + PYTHON + " -c \"import proton\"' did not finish in 30 s";
            } else if (check.exitValue() != 0) {
                problem = "'" + PYTHON + " -c \"import proton\"' failed: "
                    + new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            } else {
                return;
            }
        } catch (IOException e) {
            problem = "cannot run " + PYTHON + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        fail("Python Qpid Proton is required for these tests and is missing (" + problem + ")."
            + " Install it with: apt-get install python3-qpid-proton"
            + " (or point -Dvan.python at a python3 that can 'import proton').");
    }

    /** Starts {@code python/SCRIPT} with the arguments; {@code name} names its output files. */
    static Running start(String name, String script, String... args) {
        try {
            Path logs = RouterProcess.logDirectory().resolveSibling("python-logs");
            Files.createDirectories(logs);
            Path out = logs.resolve(name + ".out");
            Path err = logs.resolve(name + ".err");
            List<String> command = new ArrayList<>(List.of(PYTHON, "-u", scriptPath(script).toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
            return new Running(name, command, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script, e);
        }
    }

    private static Path scriptPath(String script) {
        URL url = PythonScript.class.getResource("/python/" + script);
        if (url == null) {
            throw new IllegalStateException("no python/" + script + " on the test classpath");
        }
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A running script. Closing it kills it if it still runs. */
    static final class Running implements AutoCloseable {
        private final String name;
        private final List<String> command;
        private final Process process;
        private final Path out;
        private final Path err;

        private Running(String name, List<String> command, Process process, Path out, Path err) {
            this.name = name;
            this.command = command;
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** What the script printed so far. */
        List<String> stdout() {
            return read(out).lines().toList();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Waits for the script to exit (killing it after {@code timeout}) and returns what it did. */
        Result await(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    fail(name + " did not finish within " + timeout + "; stdout ends with "
                        + tail(read(out)) + "\nstderr: " + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return new Result(name, String.join(" ", command), process.exitValue(), stdout(), read(err));
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        private static String tail(String text) {
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
        }
    }

    /** How a script ended: its exit code, stdout lines and stderr. */
    record Result(String name, String command, int exitCode, List<String> stdout, String stderr) {

        /** The words after {@code PREFIX } of each line that starts with it, e.g. all {@code MSG} lines. */
        List<String> lines(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1))
                .toList();
        }

        /** The {@code key=value} pairs of the {@code RESULT} line. */
        Map<String, Integer> summary() {
            List<String> result = lines("RESULT");
            if (result.size() != 1) {
                throw new AssertionError(name + " printed no RESULT line: " + describe());
            }
            Map<String, Integer> values = new LinkedHashMap<>();
            for (String pair : result.get(0).trim().split("\\s+")) {
                String[] kv = pair.split("=", 2);
                values.put(kv[0], Integer.valueOf(kv[1]));
            }
            return values;
        }

        String describe() {
            List<String> tail = stdout.subList(Math.max(0, stdout.size() - 5), stdout.size());
            return name + " exited " + exitCode + "\n  command: " + command + "\n  stdout ends: " + tail
                + "\n  stderr: " + stderr.trim();
        }
    }
}
