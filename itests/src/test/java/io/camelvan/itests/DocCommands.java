package io.camelvan.itests;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runnable commands of a Markdown page: every line that starts with {@code $ } inside a {@code ```console} block,
 * with the output shown under it (up to the next {@code $ } line or the block's end). A line ending in {@code \}
 * continues on the next. Other blocks ({@code ```bash}, {@code ```sh}, {@code ```yaml}, ...) are not commands to run.
 */
record DocCommands(String page, List<Command> commands) {

    /** One command as shown, its expected output lines, and where it is (for messages). */
    record Command(String text, List<String> expectedOutput, int line) {

        /** Whether the next command may see a non-zero exit code: it is {@code echo $?}, which shows it. */
        boolean showsExitCode() {
            return text.equals("echo $?");
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");

    static DocCommands parse(String page, String markdown) {
        List<Command> commands = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        boolean inConsole = false;
        boolean inOther = false;
        StringBuilder command = null;
        List<String> output = new ArrayList<>();
        int commandLine = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches() && !inOther && !inConsole) {
                inConsole = fence.group(1).equals("console");
                inOther = !inConsole;
                continue;
            }
            if (line.startsWith("```") && (inConsole || inOther)) {
                if (command != null) {
                    commands.add(new Command(command.toString(), List.copyOf(output), commandLine));
                    command = null;
                }
                inConsole = false;
                inOther = false;
                continue;
            }
            if (!inConsole) {
                continue;
            }
            if (line.startsWith("$ ")) {
                if (command != null) {
                    commands.add(new Command(command.toString(), List.copyOf(output), commandLine));
                }
                command = new StringBuilder(line.substring(2));
                output.clear();
                commandLine = i + 1;
                while (command.toString().endsWith("\\") && i + 1 < lines.length) {
                    String head = command.substring(0, command.length() - 1).stripTrailing();
                    command.setLength(0);
                    command.append(head).append(' ').append(lines[++i].strip());
                }
            } else if (command != null) {
                output.add(line);
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException(page + ":" + (i + 1) + ": output before the first '$ ' command of a"
                    + " console block");
            }
        }
        if (inConsole || inOther) {
            throw new IllegalArgumentException(page + ": a code block is not closed");
        }
        return new DocCommands(page, List.copyOf(commands));
    }

    /**
     * An expected output line as a pattern for an actual line: the parts that differ from run to run match any value
     * of their kind — numbers (and the size units {@code B}, {@code KiB}, {@code MiB}, {@code GiB}), hexadecimal ids,
     * UUIDs, {@code mktemp -d} folders (shown as {@code /tmp/tmp.XXXXXXXXXX}) — and {@code …} in the page stands for
     * anything. Runs of spaces match any run of spaces (table columns widen with their values).
     */
    static Pattern outputPattern(String expected) {
        String[] tokens = expected.strip().split("\\s+");
        StringBuilder regex = new StringBuilder();
        for (String token : tokens) {
            if (!regex.isEmpty()) {
                regex.append("\\s+");
            }
            regex.append(tokenPattern(token));
        }
        return Pattern.compile(regex.toString());
    }

    private static final Pattern VARIABLE = Pattern.compile(
        "(?<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
            + "|(?<mktemp>/tmp/tmp\\.[A-Za-z0-9]{10})"
            + "|(?<hex>(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,})"
            + "|(?<number>\\d+(?:\\.\\d+)?)"
            + "|(?<any>…)");

    private static String tokenPattern(String token) {
        if (token.matches("B|KiB|MiB|GiB")) {
            return "(?:B|KiB|MiB|GiB)"; // "980 B" one run, "1.2 KiB" the next
        }
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(token);
        int at = 0;
        while (m.find()) {
            regex.append(Pattern.quote(token.substring(at, m.start())));
            if (m.group("uuid") != null) {
                regex.append("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
            } else if (m.group("mktemp") != null) {
                regex.append("/\\S*tmp\\.[A-Za-z0-9]+"); // wherever $TMPDIR points
            } else if (m.group("hex") != null) {
                regex.append("[0-9a-f]+");
            } else if (m.group("any") != null) {
                regex.append(".*");
            } else {
                regex.append("\\d+(?:\\.\\d+)?");
            }
            at = m.end();
        }
        regex.append(Pattern.quote(token.substring(at)));
        return regex.toString();
    }
}
