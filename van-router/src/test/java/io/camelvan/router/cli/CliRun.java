package io.camelvan.router.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

import picocli.CommandLine;

/** One run of the {@code van-router} command line in the test's JVM: its exit code and what it printed. */
public record CliRun(int code, String out, String err) {

    public static CliRun of(String... args) {
        return run(VanRouterCli.commandLine(), args);
    }

    /** A run whose commands see {@code clock} as the time (token expiry, certificate validity). */
    public static CliRun at(Clock clock, String... args) {
        return run(VanRouterCli.commandLine(clock), args);
    }

    private static CliRun run(CommandLine cli, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        cli.setOut(new PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
