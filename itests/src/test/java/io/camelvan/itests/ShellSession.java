package io.camelvan.itests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code bash} that runs commands one after the other, as a user types them into a terminal: {@code cd}, aliases,
 * variables and background jobs carry over from one command to the next. Each command's output (stdout and stderr)
 * and exit code are read back by a marker line the session prints after it. Closing the session kills its background
 * jobs and whatever they started.
 */
final class ShellSession implements AutoCloseable {

    /** What a command printed and how it exited. */
    record Result(int exitCode, List<String> output) {
    }

    private static final String MARKER = "@@shell-session-end";
    private static final Pattern END = Pattern.compile("^" + MARKER + " (\\d+)@@$");
    private static final String EOF = "\u0000eof";

    private final Process bash;
    private final Writer input;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private ShellSession(Process bash) {
        this.bash = bash;
        this.input = new OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "shell-session-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A bash in {@code dir}, with aliases expanded as in an interactive shell and stderr merged into stdout, and
     * {@code environment} added to its own.
     */
    static ShellSession start(Path dir, Map<String, String> environment) {
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc").directory(dir.toFile())
                .redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process bash = builder.start();
            ShellSession session = new ShellSession(bash);
            session.send("exec 2>&1; shopt -s expand_aliases\n");
            return session;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start bash", e);
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the session was closed
        }
        lines.add(EOF);
    }

    /**
     * Runs one command line (stdin from /dev/null, so that it cannot swallow the commands after it) and returns its
     * output and exit code. @throws AssertionError when it does not end within {@code timeout}
     */
    Result run(String command, Duration timeout) {
        // the marker keeps the command's exit code for the next command's $? (echo $? in a page shows it)
        send("{ " + command + "\n} < /dev/null\nsession_exit=$?; printf '\\n" + MARKER + " %s@@\\n' \"$session_exit\";"
            + " (exit $session_exit)\n");
        List<String> output = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String line;
            try {
                line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null || line.equals(EOF)) {
                throw new AssertionError("'" + command + "' " + (line == null ? "did not end within " + timeout.toSeconds()
                    + " s" : "ended the shell") + "; its output so far:\n" + String.join("\n", output));
            }
            Matcher end = END.matcher(line);
            if (end.matches()) {
                // the marker's own leading newline ends a last line that had none, or adds an empty one
                if (!output.isEmpty() && output.get(output.size() - 1).isEmpty()) {
                    output.remove(output.size() - 1);
                }
                return new Result(Integer.parseInt(end.group(1)), output);
            }
            output.add(line);
        }
    }

    private void send(String text) {
        try {
            input.write(text);
            input.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the shell is gone", e);
        }
    }

    /** Kills the background jobs, ends the shell, and kills anything of theirs still running. */
    @Override
    public void close() {
        try {
            send("kill $(jobs -p) 2>/dev/null; wait; exit\n");
            if (!bash.waitFor(30, TimeUnit.SECONDS)) {
                bash.descendants().forEach(ProcessHandle::destroyForcibly);
                bash.destroyForcibly();
            }
        } catch (UncheckedIOException e) {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        }
    }
}
