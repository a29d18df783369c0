package io.capsa.runtime;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Rfc3339Test {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(ZoneOffset.UTC);

    @Test
    void agreesWithJavaTime() {
        long[] seconds = {0, 59, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 4_107_542_400L /* 2100-03-01 */,
                -1, 1_795_456_000, 253_402_300_799L /* 9999-12-31T23:59:59 */};
        for (long s : seconds) check(s, 0);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) check(random.nextLong(253_402_300_800L), random.nextInt(1_000_000_000));
    }

    private static void check(long second, int nano) {
        assertEquals(REFERENCE.format(Instant.ofEpochSecond(second, nano)), Rfc3339.format(second, nano), second + "." + nano);
    }

    @Test
    void nowIsInstantNow() {
        long before = Instant.now().getEpochSecond();
        Instant parsed = Instant.parse(Rfc3339.now());
        assertEquals(true, parsed.getEpochSecond() >= before && parsed.getEpochSecond() <= before + 5, parsed.toString());
    }
}
