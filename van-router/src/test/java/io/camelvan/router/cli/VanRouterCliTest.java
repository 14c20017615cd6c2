package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


/** The command line: help, version, and exit code 2 with a clear message for a bad configuration. */
class VanRouterCliTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    @Test
    void helpListsTheVerbs() {
        CliRun r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: van-router").contains("run");
        CliRun runHelp = run("run", "--help");
        assertThat(runHelp.out()).contains("--config");
    }

    @Test
    void versionIsPrinted() {
        CliRun r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("van-router ");
    }

    @Test
    void aBadConfigurationExitsWithTwoAndSaysWhere() throws Exception {
        Path file = dir.resolve("site.yaml");
        Files.writeString(file, "site: west\nlisteners:\n  - {name: amqp, port: 99999}\n");
        CliRun r = run("run", "--config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("bad configuration").contains(file + ":3: listeners[0].port: 99999 is not a port");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun r = run("run", "--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
    }
}
