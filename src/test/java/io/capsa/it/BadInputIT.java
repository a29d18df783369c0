package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each mistake gets one clear error line and a non-zero exit, and leaves nothing behind. */
class BadInputIT extends ContainerTestBase {

    @Test
    void missingBundle() {
        String id = newId();
        refused(id, "is not a directory", "create", "--bundle", work.resolve("nowhere").toString(), id);
    }

    @Test
    void bundleWithoutConfig() throws IOException {
        String id = newId();
        Path dir = Files.createDirectories(work.resolve("empty"));
        refused(id, "config.json: no such file", "create", "--bundle", dir.toString(), id);
    }

    @Test
    void malformedJson() throws IOException {
        String id = newId();
        Bundle b = bundle("b", "true");
        Files.writeString(b.dir().resolve("config.json"), "{\"ociVersion\": \"1.2.0\", \"process\": {");
        refused(id, "malformed JSON", "create", "--bundle", b.dir().toString(), id);
    }

    @Test
    void unknownNamespaceType() {
        String id = newId();
        Bundle b = bundle("b", "true").addNamespace("bogus", null);
        refused(id, "linux.namespaces[6].type: unknown namespace type \"bogus\"", "create", "--bundle", b.dir().toString(), id);
    }

    @Test
    void wrongTypeNamesTheField() {
        String id = newId();
        Bundle b = bundle("b", "true");
        b.process().put("args", "not-a-list");
        b.write();
        refused(id, "process.args: expected an array", "run", "--bundle", b.dir().toString(), id);
    }

    @Test
    void missingProgram() {
        String id = newId();
        refused(id, "exec: \"no-such-program\": executable file not found in $PATH",
                "run", "--bundle", bundle("b", "no-such-program").dir().toString(), id);
    }

    @Test
    void mountThatFailsNamesTheMount() {
        String id = newId();
        Bundle b = bundle("b", "true").addMount("/mnt/x", "no-such-fs", "none");
        refused(id, "mount no-such-fs on /mnt/x: No such device (ENODEV)", "run", "--bundle", b.dir().toString(), id);
    }

    @Test
    void joinedNamespacePathThatDoesNotExist() {
        String id = newId();
        Bundle b = bundle("b", "true").addNamespace("network", "/proc/999999999/ns/net");
        refused(id, "does not exist", "run", "--bundle", b.dir().toString(), id);
    }

    @Test
    void duplicateId() {
        String id = newId();
        capsa.ok("create", "--bundle", bundle("a", "sleep", "1000").dir().toString(), id);
        refused(null, "container with id exists: " + id, "create", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        assertEquals("created", statusOf(id), "the first container was harmed");
    }

    @Test
    void idsThatCouldEscapeTheStateRoot() {
        for (String id : List.of("../x", "a/b", "..", ".hidden", "x".repeat(300))) {
            refused(null, "container id", "create", "--bundle", bundle("b", "true").dir().toString(), id);
        }
        assertFalse(Files.exists(capsa.root().getParent().resolve("x")));
    }

    @Test
    void idsAreCheckedEvenWhenForceForgivesAMissingContainer() {
        for (String id : List.of("..", ".", "/", "a/b", "", "a\nb", "a\u0001b")) {
            refused(null, "container id", "delete", "--force", id);
        }
        assertFalse(Files.exists(capsa.root().getParent().resolve("a")));
    }

    @Test
    void echoedInputIsEscapedAndCut() {
        refused(null, "invalid container id \"a\\nb\"", "state", "a\nb");
        String huge = "x".repeat(100_000); // near the 128 KiB a single argument can be
        Cli.Result r = capsa.run("kill", "it-none", huge);
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().length() < 300, "a long value is cut: " + r.err().length() + " characters");
        assertTrue(r.err().contains("unknown signal \"xxxx"), r.toString());
    }

    @Test
    void logFormatIsTextOrJson() {
        refused(null, "--log-format: unknown format \"bogus\"", "--log-format", "bogus", "list");
    }

    @Test
    void resourcesFileThatDoesNotExist() {
        Path missing = work.resolve("missing.json");
        refused(null, "open " + missing + ": no such file or directory", "update", "--resources", missing.toString(), "it-none");
    }

    @Test
    void signalNumberOutOfRange() {
        refused(null, "invalid signal \"1099511627776\"", "kill", "it-none", "1099511627776");
    }

    @Test
    void endlessOrHugeJsonIsRefusedBySize() throws IOException {
        String id = newId();
        Bundle b = bundle("b", "true");
        Path config = b.dir().resolve("config.json");
        Files.delete(config);
        Files.createSymbolicLink(config, Path.of("/dev/zero"));
        refused(id, "config.json: larger than 16 MiB", "create", "--bundle", b.dir().toString(), id);
        Files.delete(config);
        try (RandomAccessFile sparse = new RandomAccessFile(config.toFile(), "rw")) {
            sparse.setLength(3L << 30); // 3 GB that take no disk
        }
        refused(id, "config.json: larger than 16 MiB", "create", "--bundle", b.dir().toString(), id);
        refused(null, "/dev/zero: larger than 16 MiB", "exec", "--process", "/dev/zero", "it-none");
        refused(null, "/dev/zero: larger than 16 MiB", "update", "--resources", "/dev/zero", "it-none");
    }

    @Test
    void cgroupsPathNoKernelTakesIsRefusedAtOnce() {
        String id = newId();
        Bundle b = bundle("b", "true");
        b.linux().put("cgroupsPath", "/" + id + "/x".repeat(500_000)); // 1 MB: the clean-up used to fail on it
        long start = System.nanoTime();
        refused(id, "is longer than a path can be", "create", "--bundle", b.write().dir().toString(), id);
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "refused before any work");
        b.linux().put("cgroupsPath", "/" + id + "/" + "y".repeat(256));
        refused(id, "has a name longer than 255 bytes", "run", "--bundle", b.write().dir().toString(), id);
        b.linux().put("cgroupsPath", "/" + id + "/a\nb");
        refused(id, "/a\\nb\" must not contain control characters", "run", "--bundle", b.write().dir().toString(), id);
    }

    @Test
    void deleteForceRemovesACreateThatOlderVersionsLeftOnAPathTooLong() throws IOException {
        String id = newId(), stuck = newId();
        capsa.ok("create", "--bundle", bundle("b", "true").dir().toString(), id);
        Map<String, Object> state = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(Files.readString(capsa.root().resolve(id).resolve("state.json")));
        state.put("id", stuck);
        state.put("pid", 0); // still creating, as a create that failed in its clean-up left it
        state.put("cgroupDirs", List.of("/sys/fs/cgroup/" + stuck + "/x".repeat(5000)));
        Path dir = Files.createDirectory(capsa.root().resolve(stuck));
        Files.writeString(dir.resolve("state.json"), com.fasterxml.jackson.jr.ob.JSON.std.asString(state));
        long start = System.nanoTime();
        capsa.ok("delete", "--force", stuck);
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "no retries on a path that cannot exist");
        assertNothingLeftOf(stuck);
    }

    @Test
    void startOfARunningContainer() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        refused(null, "cannot start an already running container", "start", id);
        assertEquals("running", statusOf(id));
    }

    @Test
    void deleteOfARunningContainerWithoutForce() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        refused(null, "cannot delete container " + id + " that is not stopped: running", "delete", id);
        assertEquals("running", statusOf(id));
        capsa.ok("delete", "--force", id);
        assertNothingLeftOf(id);
    }

    @Test
    void commandsOnAContainerThatDoesNotExist() {
        for (String[] args : List.of(new String[] {"state", "it-none"}, new String[] {"start", "it-none"},
                new String[] {"kill", "it-none"}, new String[] {"exec", "it-none", "true"},
                new String[] {"delete", "it-none"})) {
            refused(null, "container \"it-none\" does not exist", args);
        }
        assertEquals(0, capsa.run("delete", "--force", "it-none").exit(), "delete --force of nothing succeeds, as in runc");
    }

    @Test
    void execAndKillOnAStoppedContainer() {
        String id = newId();
        capsa.ok("create", "--bundle", bundle("b", "true").dir().toString(), id);
        capsa.ok("start", id);
        awaitStatus(id, "stopped");
        refused(null, "cannot exec in a stopped container", "exec", id, "true");
        refused(null, "container not running", "kill", id);
        refused(null, "cannot start a container that has stopped", "start", id);
        capsa.ok("delete", id);
        assertNothingLeftOf(id);
    }

    @Test
    void unknownSignal() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        refused(null, "unknown signal \"SIGNOPE\"", "kill", id, "SIGNOPE");
        assertEquals("running", statusOf(id));
    }

    @Test
    void commandCapsaLacksIsNamed() { // engines report our message as "OCI runtime checkpoint failed: ..."
        refused(null, "unknown command \"checkpoint\"", "checkpoint", "it-none");
    }

    @Test
    void systemdCgroupIsRefusedClearly() {
        String id = newId();
        Cli.Result r = new Cli(capsa.root()).run("--systemd-cgroup", "list");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("systemd cgroup driver is not supported"), r.toString());
        assertNothingLeftOf(id);
    }

    @Test
    void errorsGoToTheLogFileAsJsonLines() throws IOException {
        Path log = work.resolve("log.json");
        Cli.Result r = capsa.run("--log", log.toString(), "--log-format", "json", "state", "it-none");
        assertNotEquals(0, r.exit());
        String line = Files.readAllLines(log).getLast();
        Map<String, Object> entry = com.fasterxml.jackson.jr.ob.JSON.std.mapFrom(line);
        assertEquals("error", entry.get("level"));
        assertEquals("container \"it-none\" does not exist", entry.get("msg"));
        assertTrue(entry.containsKey("time"));
    }
}
