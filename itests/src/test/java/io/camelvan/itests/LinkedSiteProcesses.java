package io.camelvan.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelvan.router.cli.VanRouterCli;
import io.camelvan.router.testing.FreePorts;

/**
 * Two sites made with the real CLI ({@code init}, {@code link generate}, {@code link create}: west
 * dials east over mutual TLS), each with service entries of the caller's, and their routers run as
 * processes of their own from the shaded jar ({@code java -jar van-router.jar run}). Logs go to
 * {@code target/router-logs/}. Close it to stop both routers.
 */
public final class LinkedSiteProcesses implements AutoCloseable {

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();

    private LinkedSiteProcesses(Path dir) {
        this.dir = dir;
    }

    /**
     * Makes the two site folders.
     *
     * @param routerThreads the routers' {@code workerThreads}, or 0 for their default (one per core)
     */
    public static LinkedSiteProcesses create(Path dir, int routerThreads) {
        LinkedSiteProcesses sites = new LinkedSiteProcesses(dir);
        sites.init("west", routerThreads);
        sites.init("east", routerThreads);
        Path linkFile = dir.resolve("west-to-east.link");
        cli("link", "generate", "--config", sites.file("east").toString(), "--for", "west", linkFile.toString());
        cli("link", "create", "--config", sites.file("west").toString(), linkFile.toString());
        return sites;
    }

    private void init(String site, int routerThreads) {
        cli("init", "--site", site, "--dir", dir.resolve(site).toString(), "--link-access", "127.0.0.1:" + freePort(),
            "--amqp-port", Integer.toString(freePort()), "--admin-port", Integer.toString(freePort()));
        if (routerThreads > 0) {
            edit(site, text -> text.replace("router: {id: " + site + ", mode: interior}",
                "router: {id: " + site + ", mode: interior, workerThreads: " + routerThreads + "}"));
        }
    }

    private static void cli(String... args) {
        int code = VanRouterCli.execute(args);
        if (code != 0) {
            throw new IllegalStateException("van-router " + String.join(" ", args) + " exited with " + code);
        }
    }

    /** The site file of {@code site}. */
    public Path file(String site) {
        return dir.resolve(site).resolve("site.yaml");
    }

    /** Adds YAML (for instance a {@code tcpListeners:} section) to a site's file. */
    public LinkedSiteProcesses with(String site, String yaml) {
        edit(site, text -> text + yaml + (yaml.endsWith("\n") ? "" : "\n"));
        return this;
    }

    private void edit(String site, java.util.function.UnaryOperator<String> change) {
        try {
            Files.writeString(file(site), change.apply(Files.readString(file(site))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts both routers, east first. */
    public LinkedSiteProcesses start() {
        start("east");
        start("west");
        return this;
    }

    private void start(String site) {
        try {
            Path logs = Files.createDirectories(Path.of("target", "router-logs"));
            Path log = logs.resolve(dir.getFileName() + "-" + site + ".log");
            List<String> command = new ArrayList<>(List.of(RouterProcess.javaExecutable()));
            command.addAll(RouterProcess.extraJvmArgs());
            command.addAll(List.of("-jar", RouterProcess.routerJar().toString(), "run", "--config", file(site).toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            processes.add(process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log of a site's router so far. */
    public String log(String site) {
        try {
            return Files.readString(Path.of("target", "router-logs", dir.getFileName() + "-" + site + ".log"),
                StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until a site's router log holds {@code text}. @throws IllegalStateException with the log's tail when it does not */
    public void awaitLog(String site, String text, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (!log(site).contains(text)) {
            if (Instant.now().isAfter(end) || processes.stream().anyMatch(p -> !p.isAlive())) {
                String log = log(site);
                throw new IllegalStateException("router " + site + " did not log '" + text + "':\n"
                    + log.substring(Math.max(0, log.length() - 3000)));
            }
            try {
                processes.get(0).waitFor(200, TimeUnit.MILLISECONDS); // a poll interval that wakes early if a router dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The process ids of the routers (east, west), to read their CPU time. */
    public List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    @Override
    public void close() {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }

    /** A port free now on loopback. */
    public static int freePort() {
        return FreePorts.next();
    }
}
