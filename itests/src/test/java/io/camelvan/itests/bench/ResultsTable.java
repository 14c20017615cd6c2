package io.camelvan.itests.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The results: one row per scenario figure with the median of each target's measured runs, the
 * ratio subject / baseline, and whether the figure's goal is met. Renders as aligned text for the
 * console and as Markdown for the results file.
 */
public final class ResultsTable {

    /** One row. {@code subjectRuns}/{@code baselineRuns} hold every measured run (NaN for a failed one). */
    public record Row(String scenario, Figure figure, double[] subjectRuns, double[] baselineRuns) {

        public double subject() {
            return Stats.median(subjectRuns);
        }

        public double baseline() {
            return Stats.median(baselineRuns);
        }

        public double ratio() {
            return subject() / baseline();
        }

        /** "yes", "NO", or "-" when the figure has no goal. */
        public String met() {
            if (figure.goal() == null) {
                return "-";
            }
            return figure.goal().isMetBy(ratio()) ? "yes" : "NO";
        }
    }

    private final String subjectName;
    private final String baselineName;
    private final List<Row> rows = new ArrayList<>();

    public ResultsTable(String subjectName, String baselineName) {
        this.subjectName = subjectName;
        this.baselineName = baselineName;
    }

    public void add(Row row) {
        rows.add(row);
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    /** True when every row with a goal meets it. */
    public boolean allGoalsMet() {
        return rows.stream().filter(r -> r.figure().goal() != null).allMatch(r -> "yes".equals(r.met()));
    }

    private List<String[]> cells() {
        List<String[]> out = new ArrayList<>();
        out.add(new String[] {"scenario", "figure", subjectName, baselineName,
            "ratio " + subjectName + "/" + baselineName, "target", "met"});
        for (Row r : rows) {
            Figure f = r.figure();
            out.add(new String[] {
                r.scenario(),
                f.label() + " (" + f.unit() + ")",
                Format.number(r.subject()),
                Format.number(r.baseline()),
                Format.ratio(r.ratio()),
                f.goal() == null ? "-" : f.goal().toString(),
                r.met()});
        }
        return out;
    }

    /** Aligned plain text for the console. */
    public String toText() {
        List<String[]> cells = cells();
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            String[] line = cells.get(n);
            for (int i = 0; i < line.length; i++) {
                boolean numeric = i >= 2 && i <= 4;
                String format = "%" + (numeric ? "" : "-") + widths[i] + "s";
                sb.append(String.format(format, line[i]));
                sb.append(i < line.length - 1 ? "  " : "");
            }
            sb.append('\n');
            if (n == 0) {
                int total = Arrays.stream(widths).sum() + 2 * (widths.length - 1);
                sb.append("-".repeat(total)).append('\n');
            }
        }
        return sb.toString();
    }

    /** The summary as a Markdown table. */
    public String toMarkdown() {
        List<String[]> cells = cells();
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < cells.size(); n++) {
            sb.append("| ").append(String.join(" | ", cells.get(n))).append(" |\n");
            if (n == 0) {
                sb.append("|---|---|---:|---:|---:|---|---|\n");
            }
        }
        return sb.toString();
    }

    /** Every measured run, as a Markdown table, so the medians can be checked against the spread. */
    public String runsToMarkdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | figure | ").append(subjectName).append(" runs | ")
            .append(baselineName).append(" runs |\n|---|---|---|---|\n");
        for (Row r : rows) {
            sb.append("| ").append(r.scenario()).append(" | ").append(r.figure().label()).append(" (")
                .append(r.figure().unit()).append(") | ").append(join(r.subjectRuns())).append(" | ")
                .append(join(r.baselineRuns())).append(" |\n");
        }
        return sb.toString();
    }

    private static String join(double[] values) {
        return Arrays.stream(values).mapToObj(Format::number).collect(Collectors.joining(", "));
    }
}
