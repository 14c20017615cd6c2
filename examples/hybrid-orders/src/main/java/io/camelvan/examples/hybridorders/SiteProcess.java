package io.camelvan.examples.hybridorders;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A site running as a JVM of its own ({@link SiteApp}, from this demo's class path). Its output is shown with the
 * site's name in front and kept, so that the demo can wait for a line and count lines.
 */
final class SiteProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private volatile boolean stopping;

    private SiteProcess(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    static SiteProcess start(Site site, PrintStream console) {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            // three of these share the machine: a small heap, and the quick JIT only (they start in half the time)
            "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-cp", System.getProperty("java.class.path"), SiteApp.class.getName(), site.name(), site.config().toString());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            SiteProcess started = new SiteProcess(site.name(), process);
            Thread relay = new Thread(() -> started.relay(console), "output-of-" + site.name());
            relay.setDaemon(true);
            relay.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the JVM of site " + site.name(), e);
        }
    }

    private void relay(PrintStream console) {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                console.println("[" + name + "] " + line);
                synchronized (this) {
                    lines.add(line);
                    notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream is closed when the demo stops the site; otherwise say that the rest is not shown
            if (!stopping) {
                console.println("[" + name + "] (no more output shown: " + e.getMessage() + ")");
            }
        }
        synchronized (this) {
            notifyAll(); // the process ended: wake whoever waits for a line
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** How many lines the site printed so far contain {@code text}. */
    synchronized long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** Waits until the site printed a line containing {@code text}, at most {@code timeout}. */
    void awaitLine(String text, Duration timeout) {
        awaitLines(text, 1, timeout);
    }

    /** Waits until the site printed {@code count} lines containing {@code text}. */
    synchronized void awaitLines(String text, long count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Predicate<String> matches = l -> l.contains(text);
        while (lines.stream().filter(matches).count() < count) {
            long left = deadline - System.nanoTime();
            if (!process.isAlive()) {
                throw new DemoFailure("site " + name + " exited with " + process.exitValue() + " before printing '"
                    + text + "'");
            }
            if (left <= 0) {
                throw new DemoFailure("site " + name + " did not print '" + text + "' " + count + " times within "
                    + timeout.toSeconds() + " s");
            }
            try {
                wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 500)); // woken by each line; checks liveness
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DemoFailure("interrupted while waiting for site " + name);
            }
        }
    }

    /** Stops the site (SIGTERM: Camel stops its routes, then its router) and waits for it. */
    @Override
    public void close() {
        stopping = true;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
