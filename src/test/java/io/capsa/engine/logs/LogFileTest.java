package io.capsa.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFileTest {
    @TempDir
    Path dir;

    private static final String LOG = """
            2026-11-26T03:04:01.000000001Z stdout F one
            2026-11-26T03:04:02.000000002Z stderr F err one
            2026-11-26T03:04:03.000000003Z stdout P tw
            2026-11-26T03:04:03.500000000Z stderr F err two
            2026-11-26T03:04:04.000000004Z stdout P o
            2026-11-26T03:04:05.000000005Z stdout F  two
            2026-11-26T03:04:06.000000006Z stdout F\s
            not a record
            yesterday stderr F no time
            2026-11-26T03:04:07.000000007Z stdout P no newline
            """;

    private Path log(String text) throws IOException {
        Path file = dir.resolve("ctr.log");
        Files.writeString(file, text);
        return file;
    }

    /** stdout, then stderr, as copy wrote them. */
    private String[] copy(Path file, Instant since, Instant until, int tail, boolean timestamps) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        LogFile.copy(file, new LogFile.ReadOptions(since, until, tail, timestamps, false), () -> true, out, err);
        return new String[] {out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void partialRecordsAreJoinedIntoTheirLineAndStreamsSeparated() throws IOException {
        String[] r = copy(log(LOG), null, null, -1, false);
        assertEquals("one\ntwo two\n\nno newline", r[0]);
        assertEquals("err one\nerr two\nno time\n", r[1]);
    }

    @Test
    void timestampsAreTheFirstRecordsOfEachLine() throws IOException {
        String[] r = copy(log(LOG), null, null, -1, true);
        assertEquals("2026-11-26T03:04:01.000000001Z one\n2026-11-26T03:04:03.000000003Z two two\n"
                + "2026-11-26T03:04:06.000000006Z \n2026-11-26T03:04:07.000000007Z no newline", r[0]);
    }

    @Test
    void tailCountsLinesNotRecords() throws IOException {
        // The lines as they end: one, err one, err two, two two (three records), "", no time, no newline.
        String[] r = copy(log(LOG), null, null, 3, false);
        assertEquals("\nno newline", r[0]);
        assertEquals("no time\n", r[1]);
        r = copy(log(LOG), null, null, 4, false);
        assertEquals("two two\n\nno newline", r[0]);
        r = copy(log(LOG), null, null, 5, false);
        assertEquals("err two\nno time\n", r[1]);
        r = copy(log(LOG), null, null, 0, false);
        assertEquals("", r[0] + r[1]);
    }

    @Test
    void sinceAndUntilSelectByTheTimeALineBegan() throws IOException {
        String[] r = copy(log(LOG), Instant.parse("2026-11-26T03:04:02Z"), Instant.parse("2026-11-26T03:04:05Z"), -1, false);
        assertEquals("two two\n", r[0]);
        assertEquals("err one\nerr two\n", r[1]);
    }

    @Test
    void aMissingLogIsEmpty() {
        assertEquals("", copy(dir.resolve("none"), null, null, -1, false)[0]);
    }

    @Test
    void followReadsWhatIsAppendedUntilEndedSaysTrue() throws Exception {
        Path file = log("2026-11-26T03:04:01.000000001Z stdout F before\n2026-11-26T03:04:02.000000001Z stdout F half"); // a record not yet ended
        AtomicBoolean ended = new AtomicBoolean();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                Files.writeString(file, " done\n2026-11-26T03:04:03.000000001Z stdout P a\n"
                        + "2026-11-26T03:04:03.000000001Z stderr F late\n2026-11-26T03:04:04.000000001Z stdout F fter\n", StandardOpenOption.APPEND);
                ended.set(true); // after the last write: copy must still drain it
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        long start = System.nanoTime();
        LogFile.copy(file, new LogFile.ReadOptions(null, null, 1, false, true), ended::get, out, err);
        writer.join();
        assertTrue(System.nanoTime() - start > 300_000_000L, "returned before the log ended");
        // tail 1 of the backlog: "before"; the record the log ended in the middle of, completed; P a and F fter joined.
        assertEquals("before\nhalf done\nafter\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("late\n", err.toString(StandardCharsets.UTF_8));
    }
}
