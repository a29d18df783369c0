package io.capsa.cli.engine;

import java.math.BigDecimal;
import java.math.MathContext;

/** Sizes as Docker prints them (its go-units package). */
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

    private static String format(double value, int base, String[] units, int digits) {
        int unit = 0;
        while (value >= base && unit < units.length - 1) {
            value /= base;
            unit++;
        }
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString() + units[unit];
    }
}
