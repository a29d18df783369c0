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
