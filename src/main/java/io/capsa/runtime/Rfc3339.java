package io.capsa.runtime;

import java.time.Instant;

/**
 * Times as RFC 3339 in UTC with nanoseconds, as runc writes them ("2026-11-23T17:44:40.571969881Z").
 * Arithmetic rather than java.time's formatters, which cost 2-4 ms of a fresh JVM to set up.
 */
public final class Rfc3339 {
    private Rfc3339() {}

    public static String now() {
        Instant now = Instant.now();
        return format(now.getEpochSecond(), now.getNano());
    }

    static String format(long epochSecond, int nano) {
        long days = Math.floorDiv(epochSecond, 86_400);
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        // Days since 1970-01-01 to year, month and day: Howard Hinnant's civil_from_days.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long shiftedMonth = (5 * dayOfYear + 2) / 153; // March is 0
        long day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1;
        long month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        StringBuilder s = new StringBuilder(30);
        pad(s, year, 4).append('-');
        pad(s, month, 2).append('-');
        pad(s, day, 2).append('T');
        pad(s, secondOfDay / 3600, 2).append(':');
        pad(s, secondOfDay / 60 % 60, 2).append(':');
        pad(s, secondOfDay % 60, 2).append('.');
        return pad(s, nano, 9).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder s, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) s.append('0');
        return s.append(digits);
    }
}
