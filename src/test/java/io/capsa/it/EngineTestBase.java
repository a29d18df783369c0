package io.capsa.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An engine test on roots of its own, whose containers are all removed after each test, with nothing left mounted. */
abstract class EngineTestBase {
    @TempDir
    Path dir;
    EngineCli capsa;

    @BeforeEach
    void makeEngine() {
        capsa = new EngineCli(dir.resolve("data"));
    }

    @AfterEach
    void removeAll() {
        capsa.removeAll(dir);
    }

    /** The command fails as capsa's own errors do: exit 125, this one line on stderr, nothing on stdout. */
    void assertRefused(String expected, String... args) {
        Cli.Result r = capsa.run(args);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    /** The container's init as the host numbers it. */
    int pid(String name) {
        return Integer.parseInt(capsa.ok("inspect", "-f", "{{.State.Pid}}", name).strip());
    }
}
