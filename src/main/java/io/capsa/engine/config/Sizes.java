package io.capsa.engine.config;

import java.math.BigDecimal;
import java.util.Locale;

/** Sizes as Docker's flags take them (go-units' RAMInBytes): "64m", "1.5g", "512k", "100", "2GiB"; units of 1024. */
public final class Sizes {
    private Sizes() {}

    private static final String UNITS = "bkmgtp";

    /** The size in bytes; throws IllegalArgumentException ("invalid size") for anything else. */
    public static long ramInBytes(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) end++;
        String number = s.substring(0, end), unit = s.substring(end).strip();
        if (unit.endsWith("b")) unit = unit.substring(0, unit.length() - 1);
        if (unit.endsWith("i") && unit.length() == 2) unit = unit.substring(0, 1);
        int power = unit.isEmpty() ? 0 : UNITS.indexOf(unit);
        if (number.isEmpty() || number.startsWith(".") || number.endsWith(".") || power < 0 || unit.length() > 1)
            throw new IllegalArgumentException("invalid size");
        BigDecimal bytes;
        try {
            bytes = new BigDecimal(number).multiply(BigDecimal.valueOf(1024).pow(power));
        } catch (NumberFormatException e) { // "1.2.3"
            throw new IllegalArgumentException("invalid size");
        }
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) throw new IllegalArgumentException("size too large");
        return bytes.longValue(); // a fraction of a byte dropped, as Go's int64()
    }
}
