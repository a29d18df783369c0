package io.capsa.cli.engine;

import java.time.Duration;

/** Sizes and durations as Docker prints them (its go-units package). */
final class Units {
    private Units() {}

    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    /** units.HumanSizeWithPrecision(size, 3): three significant digits, units of 1000 ("4.26MB", "812kB", "0B"). */
    static String humanSize(double size) {
        return format(size, 1000, DECIMAL, 3);
    }

    /** units.BytesSize: four significant digits, units of 1024 ("7.674GiB"). */
    static String bytesSize(double size) {
        return format(size, 1024, BINARY, 4);
    }

    /**
     * The value rounded half up to that many significant digits on its exact binary value, as BigDecimal would (and
     * Go's %g nearly), in long arithmetic: BigDecimal's class set-up alone cost `images` ~25 ms in the interpreter.
     */
    private static String format(double value, int base, String[] units, int digits) {
        int unit = 0;
        while (value >= base && unit < units.length - 1) {
            value /= base;
            unit++;
        }
        int whole = value < 1 ? 1 : (int) Math.floor(Math.log10(value)) + 1; // digits before the point
        if (whole > digits) { // 1002.6 to 3 digits: tens
            long step = (long) Math.pow(10, whole - digits);
            long k = (long) (value / step);
            return (value >= (k + 0.5) * step ? k + 1 : k) * step + units[unit];
        }
        int decimals = digits - whole;
        double scale = Math.pow(10, decimals); // exact for these few decimals
        long k = (long) Math.floor(value * scale);
        // value * scale is rounded; fma compares the exact product with k, k + 1 and the half between
        if (Math.fma(value, scale, -k) < 0) k--;
        else if (Math.fma(value, scale, -(k + 1)) >= 0) k++;
        if (Math.fma(value, scale, -(k + 0.5)) >= 0) k++;
        StringBuilder text = new StringBuilder(Long.toString(k));
        while (text.length() <= decimals) text.insert(0, '0');
        text.insert(text.length() - decimals, '.');
        int end = text.length();
        while (text.charAt(end - 1) == '0') end--;
        if (text.charAt(end - 1) == '.') end--;
        return text.substring(0, end) + units[unit];
    }

    /** go-units' HumanDuration, as docker prints ages and uptimes: "Less than a second", "5 minutes", "2 weeks". */
    static String humanDuration(Duration d) {
        long seconds = d.toSeconds(), minutes = d.toMinutes(), hours = Math.round(d.toSeconds() / 3600.0);
        if (seconds < 1) return "Less than a second";
        if (seconds == 1) return "1 second";
        if (seconds < 60) return seconds + " seconds";
        if (minutes == 1) return "About a minute";
        if (minutes < 60) return minutes + " minutes";
        if (hours == 1) return "About an hour";
        if (hours < 48) return hours + " hours";
        if (hours < 24 * 7 * 2) return hours / 24 + " days";
        if (hours < 24 * 30 * 2) return hours / 24 / 7 + " weeks";
        if (hours < 24 * 365 * 2) return hours / 24 / 30 + " months";
        return d.toHours() / 24 / 365 + " years";
    }
}
