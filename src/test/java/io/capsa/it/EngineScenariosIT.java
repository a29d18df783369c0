package io.capsa.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorials' namespace scenarios, typed as their readers type them with docker: containers sharing
 * another's PID, IPC, UTS or network namespace, the host's PID namespace, nsenter from the host into a
 * container found by inspect, and capsa's time namespace.
 */
class EngineScenariosIT {
    @TempDir
    Path dir;
    private EngineCli capsa;

    @BeforeEach
    void setUp() {
        capsa = new EngineCli(dir.resolve("data"));
    }

    @AfterEach
    void removeAll() {
        for (String id : capsa.ok("ps", "-a", "-q", "--no-trunc").lines().toList()) capsa.run("rm", "-f", id);
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }

    private int pid(String name) {
        return Integer.parseInt(capsa.ok("inspect", "-f", "{{.State.Pid}}", name).strip());
    }

    private static String ns(int pid, String type) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
    }

    @Test
    void aContainerInAnothersPidNamespaceSeesItsProcesses() {
        capsa.ok("run", "-d", "--name", "db", "busybox", "top");
        String ps = capsa.ok("run", "--rm", "--pid=container:db", "busybox", "ps", "-o", "pid,comm");
        assertTrue(ps.lines().anyMatch(l -> l.strip().equals("1 top")), ps);
    }

    @Test
    void sharedIpcNetworkAndUtsNamespacesAreTheSameInodes() throws IOException {
        capsa.ok("run", "-d", "--name", "xx", "--ipc", "shareable", "--cap-add", "SYS_ADMIN", "busybox", "sleep", "1000");
        int x = pid("xx");
        assertEquals(ns(x, "ipc") + "\n", capsa.ok("run", "--rm", "--ipc=container:xx", "busybox", "readlink", "/proc/self/ns/ipc"));
        assertEquals(ns(x, "net") + "\n", capsa.ok("run", "--rm", "--net=container:xx", "busybox", "readlink", "/proc/self/ns/net"));
        capsa.ok("exec", "xx", "hostname", "changed-in-x");
        assertEquals("changed-in-x\n", capsa.ok("run", "--rm", "--uts=container:xx", "busybox", "hostname"));
        assertNotEquals(ns(x, "ipc") + "\n", capsa.ok("run", "--rm", "busybox", "readlink", "/proc/self/ns/ipc"), "private by default");
    }

    @Test
    void aShareableContainersSharedMemoryIsSeenByOneJoiningItsIpcNamespaceAndUnmountedWhenItEnds() {
        capsa.ok("run", "-d", "--name", "shm-x", "--network", "none", "--ipc", "shareable", "--shm-size", "8m", "busybox", "sleep", "1000");
        capsa.ok("exec", "shm-x", "sh", "-c", "echo from-x > /dev/shm/note");
        assertTrue(capsa.ok("exec", "shm-x", "df", "-k", "/dev/shm").contains(" 8192 "), "--shm-size");
        List<String> mounted = Leaks.mountsUnder(dir.toString());
        assertEquals(1, mounted.stream().filter(m -> m.contains("/mounts/shm ")).count(), "its /dev/shm, on the host as Docker's: " + mounted);
        assertEquals("from-x\n", capsa.ok("run", "--rm", "--network", "none", "--ipc", "container:shm-x", "busybox", "cat", "/dev/shm/note"));
        capsa.ok("run", "-d", "--name", "shm-y", "--network", "none", "--ipc", "container:shm-x", "busybox", "sleep", "1000");
        capsa.ok("exec", "shm-y", "sh", "-c", "echo from-y > /dev/shm/reply");
        assertEquals("from-y\n", capsa.ok("exec", "shm-x", "cat", "/dev/shm/reply"));
        assertEquals("", capsa.ok("run", "--rm", "--network", "none", "busybox", "ls", "/dev/shm"), "a private one has its own");
        assertEquals("none\n", capsa.ok("run", "--rm", "--network", "none", "--ipc", "none", "busybox", "sh", "-c", "test -e /dev/shm || echo none"));
        capsa.ok("rm", "-f", "shm-x", "shm-y");
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()), "rm -f unmounts it");
        // the other ways a container ends: by itself (the exit command or wait), --rm, a start that fails
        capsa.ok("run", "-d", "--name", "shm-z", "--network", "none", "--ipc", "shareable", "busybox", "true");
        capsa.ok("wait", "shm-z");
        capsa.ok("run", "--rm", "--network", "none", "--ipc", "shareable", "busybox", "true");
        assertEquals(127, capsa.run("run", "--network", "none", "--ipc", "shareable", "busybox", "/no/such/program").exit());
        capsa.ok("create", "--name", "shm-stopped", "busybox", "true");
        assertEquals(125, capsa.run("run", "--network", "none", "--ipc", "shareable", "--pid", "container:shm-stopped", "busybox", "true").exit());
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()));
    }

    @Test
    void theTutorialsIpcDonorRunWithoutFlagsCanBeJoined() throws IOException {
        capsa.ok("run", "-dit", "--name", "ipc1", "--network", "none", "busybox", "sleep", "1000");
        assertEquals(ns(pid("ipc1"), "ipc") + "\n", capsa.ok("run", "--rm", "--network", "none", "--ipc=container:ipc1", "busybox",
                "readlink", "/proc/self/ns/ipc"));
    }

    @Test
    void theCgroupNamespaceIsTheHostsByDefaultOnCgroupV1AndHybridHostsAsDockers() throws IOException {
        boolean pureV2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")).toString();
        capsa.ok("run", "-d", "--name", "cg", "--network", "none", "busybox", "sleep", "1000");
        assertEquals(pureV2 ? "private" : "host", capsa.ok("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", "cg").strip());
        assertEquals(!pureV2, host.equals(ns(pid("cg"), "cgroup")), host + " " + ns(pid("cg"), "cgroup"));
        assertNotEquals(host + "\n", capsa.ok("run", "--rm", "--network", "none", "--cgroupns", "private", "busybox", "readlink", "/proc/self/ns/cgroup"));
        assertEquals(host + "\n", capsa.ok("run", "--rm", "--network", "none", "--cgroupns", "host", "busybox", "readlink", "/proc/self/ns/cgroup"));
    }

    @Test
    void theHostsPidNamespaceShowsTheHostsProcesses() throws IOException {
        long self = ProcessHandle.current().pid(); // this test's JVM, a host process
        String inside = capsa.ok("run", "--rm", "--pid=host", "busybox", "sh", "-c", "readlink /proc/self/ns/pid; cat /proc/" + self + "/comm");
        List<String> lines = inside.lines().toList();
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(), lines.get(0));
        assertEquals(Files.readString(Path.of("/proc/self/comm")).strip(), lines.get(1));
    }

    @Test
    void nsenterFromTheHostEntersTheContainerThatInspectNames() throws Exception {
        capsa.ok("run", "-d", "--name", "web", "--hostname", "webhost", "busybox", "sleep", "1000");
        int pid = pid("web");
        String out = Command.ok(dir, java.util.Map.of(), List.of("nsenter", "--target", Integer.toString(pid), "--uts", "--pid", "--mount",
                "--", "sh", "-c", "hostname; cat /proc/1/comm"));
        assertEquals("webhost\nsleep", out.strip());
    }

    @Test
    void joiningAStoppedContainerIsOneClearErrorAndCreatesNothing() {
        capsa.ok("create", "--name", "stopped", "busybox", "true");
        Cli.Result r = capsa.run("run", "--rm", "--pid=container:stopped", "busybox", "true");
        assertEquals(125, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("stopped"), r.err());
        assertEquals(1, capsa.ok("ps", "-a", "-q").lines().count(), "only the created container");
    }

    @Test
    void aTimeNamespaceShiftsTheContainersMonotonicClock() throws IOException {
        double hostUptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        String inside = capsa.ok("run", "--rm", "--time-offset", "monotonic=86400", "--time-offset", "boottime=86400",
                "busybox", "cat", "/proc/uptime");
        double uptime = Double.parseDouble(inside.split(" ")[0]);
        assertTrue(uptime >= hostUptime + 86400 && uptime < hostUptime + 86400 + 600, inside);
    }
}
