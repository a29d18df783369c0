package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bin/capsa's container life cycle, end to end as a Docker user types it: run in the foreground and
 * detached, ps, inspect, logs, exec, stop, kill, rm, names, --rm and --restart done by the monitor's exit
 * command after the CLI has gone, and what is left after each (nothing).
 */
class EngineContainersIT extends EngineTestBase {
    /** Polls ps until the container's status matches (the monitor's exit command works after the CLI returned). */
    private void awaitStatus(String name, String prefix) throws InterruptedException {
        String status = "";
        for (int i = 0; i < 300; i++) {
            status = capsa.ok("ps", "-a", "--filter", "name=" + name, "--format", "{{.Status}}").strip();
            if (status.startsWith(prefix)) return;
            Thread.sleep(50);
        }
        throw new AssertionError(name + ": status " + status + ", expected " + prefix);
    }

    @Test
    void aForegroundRunPrintsBothStreamsAndReturnsTheExitCode() {
        Cli.Result r = capsa.run("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; echo $$; exit 3");
        assertEquals(3, r.exit(), r.toString());
        assertEquals("out\n1\n", r.out());
        assertEquals("err\n", r.err());
        assertEquals("", capsa.ok("ps", "-a", "-q"), "--rm removed it before run returned");
    }

    @Test
    void aRootRemovedOnExitIsMountedVolatile() {
        // overlay's volatile option, as Podman mounts the roots of --rm: its unmount syncs no file system
        assertEquals("1\n", capsa.ok("run", "--rm", "busybox", "grep", "-c", "volatile", "/proc/self/mountinfo"));
        assertEquals("0\n", capsa.run("run", "busybox", "grep", "-c", "volatile", "/proc/self/mountinfo").out());
    }

    @Test
    void aDetachedContainerRunsWithoutTheCliAndShowsInPsInspectAndLogs() throws Exception {
        String id = capsa.ok("run", "-d", "--name", "web", "busybox", "sh", "-c", "echo started; exec sleep 1000").strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        awaitLog("web", "started\n");
        String ps = capsa.ok("ps");
        assertTrue(ps.startsWith("CONTAINER ID   IMAGE     COMMAND"), ps);
        assertTrue(ps.contains(id.substring(0, 12)) && ps.contains(" Up ") && ps.contains("web"), ps);
        int pid = Integer.parseInt(capsa.ok("inspect", "-f", "{{.State.Pid}}", "web").strip());
        assertEquals("sleep", Files.readString(Path.of("/proc/" + pid + "/comm")).strip());
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")), Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")));
        assertEquals("running true 0", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.Running}} {{.State.ExitCode}}", id.substring(0, 5)).strip());
        assertEquals("/web", capsa.ok("inspect", "-f", "{{.Name}}", id).strip());
        // sleep, as PID 1, ignores SIGTERM: stop escalates to SIGKILL after -t
        capsa.ok("stop", "-t", "1", "web");
        assertEquals("exited 137", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "web").strip());
        assertTrue(capsa.ok("ps", "-a").contains("Exited (137)"));
        assertEquals("", capsa.ok("ps", "-q"));
        assertEquals("started\n", capsa.ok("logs", "web"), "logs outlive the container");
        capsa.ok("rm", "web");
        assertRefused("Error: No such container: web", "inspect", "--type", "container", "web");
    }

    private void awaitLog(String name, String expected) throws InterruptedException {
        String logs = "";
        for (int i = 0; i < 200 && !logs.equals(expected); i++) {
            logs = capsa.ok("logs", name);
            Thread.sleep(50);
        }
        assertEquals(expected, logs);
    }

    @Test
    void aStoppedContainerOfRmIsGoneWhenStopReturns() {
        String id = capsa.ok("run", "-d", "--rm", "busybox", "sleep", "1000").strip();
        capsa.ok("stop", "-t", "0", id);
        assertEquals("", capsa.ok("ps", "-a", "-q"), "stop removed it, as Docker's does");
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()));
    }

    @Test
    void aDetachedRunWithRmIsRemovedByItsMonitorsExitCommand() throws InterruptedException {
        capsa.ok("run", "-d", "--rm", "--name", "brief", "busybox", "true");
        for (int i = 0; i < 300 && !capsa.ok("ps", "-a", "-q").isEmpty(); i++) Thread.sleep(50);
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }

    @Test
    void aRestartPolicyRestartsAFailingContainerNTimesThenLeavesItExited() throws InterruptedException {
        capsa.ok("run", "-d", "--restart", "on-failure:2", "--name", "crash", "busybox", "sh", "-c", "echo run; exit 4");
        for (int i = 0; i < 400; i++) {
            String s = capsa.ok("inspect", "-f", "{{.State.Status}} {{.RestartCount}}", "crash").strip();
            if (s.equals("exited 2")) break;
            Thread.sleep(50);
        }
        assertEquals("exited 2 4", capsa.ok("inspect", "-f", "{{.State.Status}} {{.RestartCount}} {{.State.ExitCode}}", "crash").strip());
        assertEquals("run\nrun\nrun\n", capsa.ok("logs", "crash"), "the first run and two restarts");
    }

    @Test
    void execRunsInTheContainersNamespaces() throws Exception {
        capsa.ok("run", "-d", "--name", "box", "busybox", "sleep", "1000");
        int pid = Integer.parseInt(capsa.ok("inspect", "-f", "{{.State.Pid}}", "box").strip());
        Cli.Result r = capsa.run("exec", "box", "sh", "-c", "readlink /proc/self/ns/pid; exit 5");
        assertEquals(5, r.exit(), r.toString());
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString() + "\n", r.out());
        assertEquals(127, capsa.run("exec", "box", "nosuch").exit());
        assertEquals("65534 65534\n", capsa.ok("exec", "-u", "nobody", "box", "sh", "-c", "echo $(id -u) $(id -g)"), "a name from the container's passwd");
        assertEquals("7 8\n", capsa.ok("exec", "-u", "7:8", "box", "sh", "-c", "echo $(id -u) $(id -g)"));
        assertRefused("Error: unable to find user nosuch: no matching entries in passwd file", "exec", "-u", "nosuch", "box", "true");
    }

    @Test
    void infoCountsTheContainersByState() {
        capsa.ok("run", "-d", "--name", "up", "busybox", "sleep", "1000");
        capsa.ok("create", "--name", "new", "busybox", "true");
        String info = capsa.ok("info");
        assertTrue(info.contains("Containers: 2\n Running: 1\n Paused: 0\n Stopped: 1\n"), info);
    }

    @Test
    void aTakenNameIsRefusedAndNothingIsCreated() {
        capsa.ok("create", "--name", "db", "busybox", "true");
        Cli.Result r = capsa.run("create", "--name", "db", "busybox", "true");
        assertEquals(125, r.exit(), r.toString());
        assertTrue(r.err().startsWith("Error: Conflict. The container name \"/db\" is already in use by container \""), r.err());
        assertEquals(1, capsa.ok("ps", "-a", "-q").lines().count());
    }

    @Test
    void aRunningContainerIsRemovedOnlyWithForce() {
        capsa.ok("run", "-d", "--name", "up", "busybox", "sleep", "1000");
        Cli.Result r = capsa.run("rm", "up");
        assertEquals(125, r.exit(), r.toString());
        assertTrue(r.err().startsWith("Error: You cannot remove a running container "), r.err());
        assertEquals("up\n", capsa.ok("rm", "-f", "up"));
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }

    @Test
    void aCommandThatCannotBeFoundExits127AndLeavesNothing() {
        Cli.Result r = capsa.run("run", "--name", "missing", "busybox", "nosuch-command");
        assertEquals(127, r.exit(), r.toString());
        assertTrue(r.err().contains("nosuch-command"), r.err());
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }

    @Test
    void unknownContainersAndImagesAreOneClearError() {
        assertRefused("Error: No such container: nosuch", "rm", "nosuch");
        assertRefused("Error: No such container: nosuch", "stop", "nosuch");
        assertRefused("Error: No such object: nosuch", "inspect", "nosuch");
        Cli.Result r = capsa.run("run", "127.0.0.1:1/nosuch");
        assertEquals(125, r.exit(), r.toString());
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }

    @Test
    void aContainerWhoseMonitorWasKilledIsReportedExitedAndCanBeRemoved() throws Exception {
        capsa.ok("run", "-d", "--name", "orphan", "busybox", "sleep", "1000");
        int pid = Integer.parseInt(capsa.ok("inspect", "-f", "{{.State.Pid}}", "orphan").strip());
        int monitor = parentOf(pid);
        new ProcessBuilder("kill", "-9", Integer.toString(monitor)).start().waitFor();
        awaitStatus("orphan", "Exited");
        String error = capsa.ok("inspect", "-f", "{{.State.Error}}", "orphan");
        assertTrue(error.contains("monitor"), error);
        assertTrue(!Files.exists(Path.of("/proc/" + pid)) || Files.readString(Path.of("/proc/" + pid + "/stat")).contains(") Z"));
        capsa.ok("rm", "orphan");
    }

    private static int parentOf(int pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    @Test
    void anonymousVolumesGoWithRmVAndRmButStayWithRmAlone() throws IOException {
        Path volumes = dir.resolve("data/volumes");
        capsa.ok("run", "--name", "kept", "--network", "none", "-v", "/data", "busybox", "sh", "-c", "echo x > /data/f");
        assertEquals(1, count(volumes), "made at start");
        capsa.ok("rm", "kept");
        assertEquals(1, count(volumes), "rm alone keeps it, as Docker's");
        capsa.ok("run", "--name", "gone", "--network", "none", "-v", "/data", "busybox", "true");
        capsa.ok("rm", "-v", "gone");
        assertEquals(1, count(volumes), "rm -v takes it");
        capsa.ok("run", "--rm", "--network", "none", "-v", "/data", "busybox", "true");
        assertEquals(1, count(volumes), "--rm takes it");
    }

    private static long count(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void anImageAContainerUsesIsKeptByRmiAndPrune() {
        capsa.ok("create", "--name", "user", "busybox", "true");
        Cli.Result r = capsa.run("rmi", "busybox");
        assertEquals(125, r.exit(), r.toString());
        assertTrue(r.err().startsWith("Error: conflict: unable to remove repository reference \"busybox\" (must force) - container "), r.err());
        capsa.ok("image", "prune", "-a", "-f");
        assertTrue(capsa.ok("images", "-q").strip().matches("[0-9a-f]{12}"), "prune -a leaves an image in use");
        capsa.ok("rmi", "-f", "busybox");
        assertEquals("", capsa.ok("images", "-q"), "untagged");
        capsa.ok("start", "-a", "user"); // its layers are still there
        capsa.ok("rm", "user");
    }
}
