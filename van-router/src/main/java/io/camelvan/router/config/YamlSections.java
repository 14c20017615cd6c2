package io.camelvan.router.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The text of a block-style YAML document cut into its top-level sections, so that one section can
 * be replaced or added while every other line, comments included, stays as written.
 *
 * <p>A section runs from its {@code key:} line at column 0 through its last indented (or {@code - }
 * item) line; comments and blank lines after that belong to whatever follows. Replaced sections are
 * written in flow style, one entry per line. The caller checks the result by parsing it again: this
 * class knows YAML's layout, not its every corner.
 */
final class YamlSections {

    private static final Pattern TOP_LEVEL_KEY = Pattern.compile("^([\"']?)([A-Za-z_][A-Za-z0-9_-]*)\\1\\s*:(\\s.*)?$");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_/][A-Za-z0-9_./-]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d[\\d_]*)?(\\.\\d*)?([eE][-+]?\\d+)?|0[xXoObB][0-9A-Fa-f_]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
    private static final List<String> NOT_PLAIN = List.of("true", "false", "yes", "no", "on", "off", "y", "n", "null");

    private final List<String> lines;

    YamlSections(String text) {
        this.lines = new ArrayList<>(text.lines().toList());
    }

    /**
     * Sets a top-level section: replaces it where it is, or, when the document lacks it, inserts it
     * right after the section of {@code after} (or at the end when {@code after} is null or absent).
     */
    void put(String key, JsonNode value, String after) {
        List<String> section = render(key, value);
        int[] span = span(key);
        if (span != null) {
            replace(span, section);
            return;
        }
        int[] previous = after == null ? null : span(after);
        int at = previous == null ? lines.size() : previous[1];
        lines.addAll(at, section);
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    private void replace(int[] span, List<String> section) {
        lines.subList(span[0], span[1]).clear();
        lines.addAll(span[0], section);
    }

    /** [first line, line after the last) of a top-level section, or null when absent. */
    private int[] span(String key) {
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TOP_LEVEL_KEY.matcher(lines.get(i));
            if (m.matches() && m.group(2).equals(key)) {
                int end = i + 1;
                for (int j = i + 1; j < lines.size(); j++) {
                    String line = lines.get(j);
                    if (line.isBlank() || line.startsWith("#")) {
                        continue;
                    }
                    if (!Character.isWhitespace(line.charAt(0)) && !line.startsWith("-")) {
                        break;
                    }
                    end = j + 1;
                }
                return new int[] {i, end};
            }
        }
        return null;
    }

    private static List<String> render(String key, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isContainerNode() && value.isEmpty()) {
            out.add(scalar(key) + ": " + flow(value));
        } else if (value.isArray()) {
            out.add(scalar(key) + ":");
            value.forEach(item -> out.add("  - " + flow(item)));
        } else if (value.isObject()) {
            out.add(scalar(key) + ":");
            value.properties().forEach(e -> out.add("  " + scalar(e.getKey()) + ": " + flow(e.getValue())));
        } else {
            out.add(scalar(key) + ": " + flow(value));
        }
        return out;
    }

    private static String flow(JsonNode node) {
        if (node.isObject()) {
            List<String> fields = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                fields.add(scalar(e.getKey()) + ": " + flow(e.getValue()));
            }
            return "{" + String.join(", ", fields) + "}";
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(flow(item)));
            return "[" + String.join(", ", items) + "]";
        }
        return node.isTextual() ? scalar(node.asText()) : node.asText();
    }

    /** A string as a plain scalar when it cannot be read as anything else, else double-quoted. */
    static String scalar(String text) {
        boolean plain = PLAIN.matcher(text).matches() && !NUMBER.matcher(text).matches()
                && !NOT_PLAIN.contains(text.toLowerCase(Locale.ROOT));
        return plain ? text : quoted(text);
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
