package io.capsa.cli.engine;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ListingTest {
    @Test
    void createdAtInUtcWrittenByHandIsWhatJavaTimeFormats() {
        DateTimeFormatter docker = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z").withZone(ZoneId.of("UTC"));
        for (String t : new String[] {"2026-11-26T03:04:05.123456789Z", "2026-01-02T00:00:00Z", "1999-12-31T23:59:00.5Z", "2026-11-26T03:04:59Z"}) {
            Instant time = Instant.parse(t);
            assertEquals(docker.format(time), Listing.createdAtUtc(time), t);
        }
    }
}
