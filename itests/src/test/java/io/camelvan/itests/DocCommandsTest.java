package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class DocCommandsTest {

    private static final String PAGE = String.join("\n",
        "# A page",
        "```sh",
        "$ mvn package   # a build: not a console block, not run",
        "```",
        "",
        "```console",
        "$ van-router init --site west \\",
        "    --dir west",
        "Created site 'west' in /tmp/tmp.BXdOy2jbzD/west:",
        "",
        "$ van-router status --config nowhere.yaml",
        "error: bad configuration:",
        "$ echo $?",
        "2",
        "```",
        "```yaml",
        "$ not: a command",
        "```");

    @Test
    void takesTheDollarLinesOfConsoleBlocksWithTheOutputUnderThem() {
        DocCommands doc = DocCommands.parse("page.md", PAGE);

        assertThat(doc.commands()).extracting(DocCommands.Command::text).containsExactly(
            "van-router init --site west --dir west", "van-router status --config nowhere.yaml", "echo $?");
        assertThat(doc.commands().get(0).expectedOutput()).containsExactly("Created site 'west' in /tmp/tmp.BXdOy2jbzD/west:", "");
        assertThat(doc.commands().get(0).line()).isEqualTo(7);
        assertThat(doc.commands().get(2).showsExitCode()).isTrue();
        assertThat(doc.commands().get(1).showsExitCode()).isFalse();
    }

    @Test
    void refusesOutputWithoutACommandAndBlocksLeftOpen() {
        assertThatThrownBy(() -> DocCommands.parse("p.md", "```console\nsome output\n$ ls\n```"))
            .hasMessageContaining("p.md:2: output before the first '$ ' command");
        assertThatThrownBy(() -> DocCommands.parse("p.md", "```console\n$ ls\n"))
            .hasMessageContaining("p.md: a code block is not closed");
    }

    @Test
    void outputMatchesUpToWhatDiffersBetweenRuns() {
        assertMatches("Issued token 6203ecfaff548eda of site west: redeemable 1 time until 2026-11-29T01:13:53Z, at https://127.0.0.1:55671/grant.",
            "Issued token 0badc0ffee123456 of site west: redeemable 1 time until 2027-01-02T03:04:05Z, at https://127.0.0.1:40123/grant.");
        assertMatches("  west    west  interior  1     1.9 KiB   2.1 KiB    0              0",
            "west west interior 1 980 B 12.5 KiB 10 3");
        assertMatches("Created site 'west' in /tmp/tmp.BXdOy2jbzD/west:", "Created site 'west' in /tmp/tmp.Zz09aaBBcc/west:");
        assertMatches("Created site 'west' in /tmp/tmp.BXdOy2jbzD/west:", "Created site 'west' in /tmp/junit-42/tmp.Zz09aaBBcc/west:");
        assertMatches("Router east of site east (interior, version 0.1.0-SNAPSHOT, up …)",
            "Router east of site east (interior, version 0.1.0-SNAPSHOT, up 1m 2s)");
        assertMatches("AMQP connection (container 'van-router-cli-6f9013bc-e83b-48c7-b17b-4980742bb367')",
            "AMQP connection (container 'van-router-cli-00000000-1111-2222-3333-444444444444')");

        assertNoMatch("Created site 'west' in /tmp/tmp.BXdOy2jbzD/west:", "Created site 'east' in /tmp/tmp.BXdOy2jbzD/east:");
        assertNoMatch("  west  127.0.0.1:55671  1     up     west         west", "west 127.0.0.1:55671 1 down west west");
        assertNoMatch("hello from east", "hello from west");
    }

    private static void assertMatches(String expected, String actual) {
        assertThat(DocCommands.outputPattern(expected).matcher(actual.strip()).matches()).as(expected + " ~ " + actual).isTrue();
    }

    private static void assertNoMatch(String expected, String actual) {
        assertThat(DocCommands.outputPattern(expected).matcher(actual.strip()).matches()).as(expected + " !~ " + actual).isFalse();
    }

    @Test
    void aPageWithoutConsoleBlocksHasNoCommands() {
        assertThat(DocCommands.parse("p.md", "text\n```bash\n$ kubectl apply -f x.yaml\n```\n").commands()).isEqualTo(List.of());
    }
}
