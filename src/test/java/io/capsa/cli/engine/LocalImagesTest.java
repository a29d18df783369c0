package io.capsa.cli.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sizes, ages and names as docker's image commands print them (go-units, distribution/reference). */
class LocalImagesTest {
    @Test
    void sizesHaveThreeSignificantDigitsInUnitsOf1000() {
        assertEquals("0B", Units.humanSize(0));
        assertEquals("999B", Units.humanSize(999));
        assertEquals("1kB", Units.humanSize(1000));
        assertEquals("1.54kB", Units.humanSize(1536));
        assertEquals("4.26MB", Units.humanSize(4_261_550));
        assertEquals("77.8MB", Units.humanSize(77_812_345));
        assertEquals("1.2GB", Units.humanSize(1_200_000_000));
        // rounded on the exact binary value, as Go's %g does: 21150 / 1000 is 21.149999...
        assertEquals("21.1kB", Units.humanSize(21_150));
        assertEquals("2.57kB", Units.humanSize(2_566));
        assertEquals("1000kB", Units.humanSize(999_500));
    }

    private static String ago(Duration d) {
        return LocalImages.since(Instant.now().minus(d));
    }

    @Test
    void agesAreGoUnitsHumanDuration() {
        assertEquals("30 seconds ago", ago(Duration.ofSeconds(30).plusMillis(500)));
        assertEquals("About a minute ago", ago(Duration.ofSeconds(100)));
        assertEquals("2 hours ago", ago(Duration.ofMinutes(90)));
        assertEquals("3 days ago", ago(Duration.ofDays(3).plusHours(1)));
        assertEquals("2 weeks ago", ago(Duration.ofDays(20)));
        assertEquals("3 months ago", ago(Duration.ofDays(100)));
        assertEquals("2 years ago", ago(Duration.ofDays(800)));
    }

    @Test
    void namesAreShownInDockersShortForm() {
        assertEquals("busybox:latest", LocalImages.familiar("docker.io/library/busybox:latest"));
        assertEquals("user/app:1", LocalImages.familiar("docker.io/user/app:1"));
        assertEquals("localhost:5000/x@sha256:" + "a".repeat(64), LocalImages.familiar("localhost:5000/x@sha256:" + "a".repeat(64)));
    }
}
