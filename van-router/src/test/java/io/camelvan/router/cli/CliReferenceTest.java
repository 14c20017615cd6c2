package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;

/**
 * docs/cli-reference.md is the help of every verb, as the command itself prints it. This test
 * fails when they drift apart; run it with {@code -Dupdate.docs=true} to write the page anew.
 */
class CliReferenceTest {

    private static final Path PAGE = Path.of("..", "docs", "cli-reference.md");

    @Test
    void theCliReferenceIsTheCommandsOwnHelp() throws Exception {
        StringBuilder page = new StringBuilder("""
            # `van-router` command reference

            Generated from the command's own `--help` by `CliReferenceTest` (run it with
            `-Dupdate.docs=true` to refresh this page). Every verb takes `--config FILE` where it reads
            a site (default `$VAN_CONFIG`, else `./site.yaml`). Exit codes: 0 success, 1 failure at run
            time, 2 bad usage or bad configuration.
            """);
        describe(VanRouterCli.commandLine(), "van-router", page);
        String expected = page.toString();
        if (Boolean.getBoolean("update.docs")) {
            Files.writeString(PAGE, expected);
        }
        assertThat(Files.readString(PAGE))
            .as("docs/cli-reference.md is out of date: run CliReferenceTest with -Dupdate.docs=true")
            .isEqualTo(expected);
    }

    private static void describe(CommandLine cli, String path, StringBuilder page) {
        page.append("\n## `").append(path).append("`\n\n```\n")
            .append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
        cli.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                describe(sub, path + " " + name, page);
            }
        });
    }
}
