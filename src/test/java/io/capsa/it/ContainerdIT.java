package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** containerd (containerd-shim-runc-v2) running capsa, driven by ctr: the core of a container's life. */
class ContainerdIT extends EngineIT<Containerd> {
    @Override
    Containerd engine() {
        return new Containerd();
    }

    @Test
    void runPrintsTheOutputAndReturnsTheExitCode() {
        check(rt -> {
            Cli.Result r = engine.run(rt, List.of("--rm"), "box", List.of("sh", "-c", "echo hello; exit 3"));
            assertExit(3, r);
            assertEquals("hello", r.text(), r.toString());
        });
    }

    @Test
    void homeIsTheUsersFromTheImagesPasswd() {
        check(rt -> {
            Cli.Result r = engine.run(rt, List.of("--rm"), "box", List.of("sh", "-c", "echo $HOME"));
            assertExit(0, r);
            assertEquals("/root", r.text(), r.toString());
        });
    }

    @Test
    void detachedTaskIsListedAndLogs() {
        check(rt -> {
            engine.runDetached(rt, "box");
            assertEquals("RUNNING", engine.task("box").get(1));
            awaitLog("box", "up");
        });
    }

    @Test
    void execRunsInTheContainer() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Cli.Result r = engine.cli("task", "exec", "--exec-id", "e1", "box", "sh", "-c", "echo in; cat /proc/1/cmdline; exit 4");
            assertExit(4, r);
            assertTrue(r.out().startsWith("in\nsh\0-c\0echo up"), r.toString());
        });
    }

    @Test
    void sigtermRunsTheContainersTrap() {
        check(rt -> {
            engine.runDetached(rt, "box");
            awaitLog("box", "up");
            engine.ok("task", "kill", "--signal", "TERM", "box");
            awaitStopped("box");
            awaitLog("box", "term");
            assertExitCode(7, "box");
        });
    }

    @Test
    void sigkillEndsTheTask() {
        check(rt -> {
            engine.runDetached(rt, "box");
            engine.ok("task", "kill", "--signal", "KILL", "box");
            awaitStopped("box");
            assertExitCode(137, "box");
        });
    }

    @Test
    void deleteRemovesTheTaskTheContainerAndItsCgroup() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Path cgroup = ContainerCgroup.of(Long.parseLong(engine.task("box").get(0)), "memory");
            assertTrue(Files.isDirectory(cgroup), cgroup.toString());
            engine.ok("task", "delete", "--force", "box");
            engine.ok("containers", "delete", "box");
            assertEquals("", engine.ok("containers", "ls", "-q").strip());
            assertFalse(Files.exists(cgroup), "cgroup left: " + cgroup);
        });
    }

    @Test
    void pauseFreezesAndResumeThaws() {
        check(rt -> {
            engine.runDetached(rt, "box");
            long pid = Long.parseLong(engine.task("box").get(0));
            engine.ok("task", "pause", "box");
            assertEquals("PAUSED", engine.task("box").get(1));
            assertEquals(ContainerCgroup.V2 ? "1" : "FROZEN", ContainerCgroup.read(pid, "freezer", "freezer.state", "cgroup.freeze"));
            engine.ok("task", "resume", "box");
            assertEquals("RUNNING", engine.task("box").get(1));
        });
    }

    private void awaitLog(String id, String line) {
        Path log = Path.of(engine.log(id));
        await(() -> Files.exists(log) && read(log).lines().anyMatch(line::equals),
                () -> "no \"" + line + "\" in the log of " + id + ": " + (Files.exists(log) ? read(log) : "(none)"));
    }

    /** ctr task delete tells a non-zero exit code in a warning (and exits 0 itself). */
    private void assertExitCode(int expected, String id) {
        Cli.Result r = engine.cli("task", "delete", id);
        assertExit(0, r);
        assertTrue(r.err().contains("exit code " + expected + "\""), r.toString());
    }

    private void awaitStopped(String id) {
        await(() -> engine.task(id).get(1).equals("STOPPED"), () -> id + " never stopped: " + engine.task(id));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
