package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Each test gets its own state root and bundle directory; afterwards every container it left is
 * force-deleted, and the test fails if anything of it remains: state, cgroups or processes.
 */
abstract class ContainerTestBase {
    /** Unique to this run of the suite, so that the leak check counts only what this run made. */
    static final String RUN = UUID.randomUUID().toString().substring(0, 4);
    static final String ID_PREFIX = "it-" + RUN + "-";
    static final String WORK_PREFIX = "capsa-it-" + RUN + "-";
    Path work;
    Cli capsa;

    @BeforeEach
    void setUpWork(TestInfo info) throws IOException {
        work = Files.createTempDirectory(WORK_PREFIX + info.getTestMethod().map(m -> m.getName()).orElse("test") + "-");
        capsa = new Cli(work.resolve("state"));
        Bundle.rootfs();
    }

    /** A fresh container id, unique across the suite. */
    static String newId() {
        return ID_PREFIX + UUID.randomUUID().toString().substring(0, 6);
    }

    Bundle bundle(String name, String... args) {
        return Bundle.create(work.resolve(name), args);
    }

    /** A bundle with a root filesystem of its own (bin/make-busybox-bundle), which the test may change. */
    Bundle ownRootfs(String name, String... args) {
        Path dir = work.resolve(name);
        List<String> command = new ArrayList<>(List.of(Cli.HOME.resolve("bin/make-busybox-bundle").toString(), dir.toString()));
        command.addAll(List.of(args));
        try {
            assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor(), String.join(" ", command));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return Bundle.load(dir);
    }

    @AfterEach
    void cleanUpAndCheckForLeaks() throws IOException {
        List<String> left = capsa.ok("list", "-q").lines().filter(l -> !l.isBlank()).toList();
        for (String id : left) capsa.run("delete", "--force", id);
        assertEquals("", capsa.ok("list", "-q").strip(), "containers left after delete --force");
        for (String id : left) assertTrue(Leaks.cgroupDirs(id).isEmpty(), "cgroups left: " + Leaks.cgroupDirs(id));
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Runs a command that must fail with one error line containing expected, and leave no trace of id. */
    void refused(String id, String expected, String... args) {
        refused(id, expected, capsa.run(args));
    }

    void refused(String id, String expected, Cli.Result r) {
        assertNotEquals(0, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), "one error line expected:\n" + r);
        assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in:\n" + r);
        if (id != null) assertNothingLeftOf(id);
    }

    void assertNothingLeftOf(String id) {
        assertFalse(Files.exists(capsa.root().resolve(id)), "state directory left for " + id);
        assertEquals(List.of(), Leaks.cgroupDirs(id), "cgroups left for " + id);
        assertEquals(List.of(), Leaks.processesInCgroups(id), "processes left for " + id);
    }

    /** Polls until the container reports the status, or fails after a few seconds. */
    void awaitStatus(String id, String status) {
        for (int i = 0; i < 200; i++) {
            Cli.Result r = capsa.run("state", id);
            if (r.exit() == 0 && status.equals(state(r.out()).get("status"))) return;
            sleep(50);
        }
        fail("container " + id + " never reached status " + status + ": " + capsa.run("state", id));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int pidOf(Cli capsa, String id) {
        return ((Number) state(capsa.ok("state", id)).get("pid")).intValue();
    }

    String statusOf(String id) {
        return (String) state(capsa.ok("state", id)).get("status");
    }

    /** The state document, read as an engine reads it. */
    static Map<String, Object> state(String json) {
        try {
            return JSON.std.mapFrom(json);
        } catch (IOException e) {
            throw new AssertionError("state is not JSON: " + json, e);
        }
    }
}
