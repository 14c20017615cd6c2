package io.camelvan.itests.bench;

import java.util.Locale;

/** Number formatting shared by the tables. */
final class Format {

    private Format() {
    }

    static String number(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (Math.abs(value) >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    static String bytes(int n) {
        return n % 1024 == 0 ? (n / 1024) + " KiB" : n + " B";
    }

    static String ratio(double value) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.2fx", value);
    }
}
