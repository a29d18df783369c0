package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
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
