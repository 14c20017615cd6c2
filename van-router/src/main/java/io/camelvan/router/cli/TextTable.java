package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A plain-text table: a title, column headings and rows, each column as wide as its widest cell. */
final class TextTable {

    private final String title;
    private final List<String> headings;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String title, String... headings) {
        this.title = title;
        this.headings = List.of(headings);
    }

    TextTable row(Object... cells) {
        rows.add(Arrays.stream(cells).map(c -> c == null ? "-" : String.valueOf(c)).toList());
        return this;
    }

    void print(PrintWriter out) {
        out.println(title);
        if (rows.isEmpty()) {
            out.println("  (none)");
            out.println();
            return;
        }
        int[] widths = new int[headings.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headings.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        line(out, headings, widths);
        rows.forEach(row -> line(out, row, widths));
        out.println();
    }

    private static void line(PrintWriter out, List<String> cells, int[] widths) {
        StringBuilder b = new StringBuilder("  ");
        for (int i = 0; i < cells.size(); i++) {
            b.append(cells.get(i));
            if (i < cells.size() - 1) {
                b.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
            }
        }
        out.println(b);
    }
}
