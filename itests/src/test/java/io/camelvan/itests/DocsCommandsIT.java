package io.camelvan.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the commands the docs show, in order, as a user would type them: every {@code $ } line of a {@code ```console}
 * block (see {@link DocCommands}), in one bash per page started in the repository's root, against real router
 * processes from {@code van-router/target/van-router.jar}. Each command must exit 0 (unless the next one is
 * {@code echo $?}, which then shows its code), and every line of output the page shows under it must be among the
 * lines it printed, up to what differs between runs (see {@link DocCommands#outputPattern}).
 *
 * <p>The fixed ports a page uses (its examples use the defaults, 5672, 9090...) are replaced in the commands by ports
 * free on this machine, so that the test does not depend on them being free. Blocks other than {@code console} (for
 * instance the kubectl commands of docs/kubernetes.md, and the build) are not run.
 */
class DocsCommandsIT {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(120);
    /**
     * For every java the pages start: C1 only, and the serial GC. The commands are short-lived JVMs (about twenty per
     * page), and on a busy machine this halves their start-up; each prints a "Picked up JAVA_TOOL_OPTIONS" line the
     * pages do not show (output is checked line by line, extra lines are allowed).
     */
    private static final String QUICK_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    static Stream<Arguments> pages() {
        return Stream.of(
            Arguments.of("docs/getting-started.md", List.of(5672, 5673, 9090, 9091, 55671, 55672, 8080, 18080)),
            Arguments.of("docs/operations.md", List.of(5674, 5675, 9092, 9093, 55673, 55674, 18081, 18082)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void everyCommandOfThePageRunsAndPrintsWhatThePageShows(String page, List<Integer> pagePorts, @TempDir Path tmp)
        throws IOException {
        assertThat(ROOT.resolve("van-router/target/van-router.jar"))
            .as("the router jar (mvn -pl itests -am package builds it)").isRegularFile();
        DocCommands doc = DocCommands.parse(page, Files.readString(ROOT.resolve(page)));
        assertThat(doc.commands()).as("runnable ($ lines in console blocks) commands of " + page).isNotEmpty();
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        pagePorts.forEach(p -> ports.put(p, LinkedSiteProcesses.freePort()));

        // the pages' `mktemp -d` folders go under the test's own, deleted after it
        try (ShellSession shell = ShellSession.start(ROOT, Map.of("JAVA_TOOL_OPTIONS", QUICK_JVM, "TMPDIR", tmp.toString()))) {
            List<DocCommands.Command> commands = doc.commands();
            for (int i = 0; i < commands.size(); i++) {
                DocCommands.Command command = commands.get(i);
                String where = page + ":" + command.line() + ": $ " + command.text();
                ShellSession.Result result = shell.run(withPorts(command.text(), ports), COMMAND_TIMEOUT);
                String printed = String.join("\n", result.output());
                boolean nextShowsCode = i + 1 < commands.size() && commands.get(i + 1).showsExitCode();
                if (!nextShowsCode) {
                    assertThat(result.exitCode()).as("exit code of %s; it printed:\n%s", where, printed).isZero();
                }
                if (command.showsExitCode()) {
                    assertThat(printed.strip()).as(where).isEqualTo(String.join("\n", command.expectedOutput()).strip());
                    continue;
                }
                for (String expected : command.expectedOutput()) {
                    if (expected.isBlank()) {
                        continue;
                    }
                    Pattern pattern = DocCommands.outputPattern(withPorts(expected, ports));
                    assertThat(result.output().stream().anyMatch(line -> pattern.matcher(line.strip()).matches()))
                        .as("%s printed a line like\n  %s\nbut printed:\n%s", where, expected, printed).isTrue();
                }
            }
        }
    }

    /** The command with each of the page's ports replaced by its free stand-in. */
    private static String withPorts(String text, Map<Integer, Integer> ports) {
        String result = text;
        for (Map.Entry<Integer, Integer> port : ports.entrySet()) {
            result = result.replaceAll("(?<![0-9])" + port.getKey() + "(?![0-9])", Integer.toString(port.getValue()));
        }
        return result;
    }
}
