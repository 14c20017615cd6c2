package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line: help, version, and exit code 2 with a clear message for a bad configuration. */
class VanRouterCliTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = VanRouterCli.commandLine();
        cli.setOut(new java.io.PrintWriter(new PrintStream(out, true, StandardCharsets.UTF_8), true));
        cli.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        int code = cli.execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsTheVerbs() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: van-router").contains("run");
        Run runHelp = run("run", "--help");
        assertThat(runHelp.out()).contains("--config");
    }

    @Test
    void versionIsPrinted() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("van-router ");
    }

    @Test
    void aBadConfigurationExitsWithTwoAndSaysWhere() throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "site: west\nlisteners:\n  - {name: amqp, port: 99999}\n");
        Run r = run("run", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad configuration").contains(file + ":3: listeners[0].port: 99999 is not a port");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        Run r = run("run", "--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
    }
}
