package io.capsa.it;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.Hierarchy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the namespaces isolate, checked the way a user would check it. */
class NamespaceIT extends ContainerTestBase {
    private static final List<String> NS = List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "user", "uts");

    @Test
    void programIsPidOneAndPsShowsOnlyTheContainersProcesses() {
        Bundle b = bundle("b", "sh", "-c", "echo $$; ps -o pid,comm; true"); // "; true": sh must not exec ps
        String out = capsa.ok("run", "--bundle", b.dir().toString(), newId());
        List<String> lines = out.lines().toList();
        assertEquals("1", lines.get(0), out);
        List<String> processes = lines.subList(2, lines.size()); // after the pid and ps's header
        assertEquals(2, processes.size(), "only sh and ps: " + out);
        assertTrue(processes.get(0).strip().matches("1 +sh"), out);
    }

    @Test
    void hostnameIsChangedInsideAndUnchangedOutside() throws IOException {
        String before = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        Bundle b = bundle("b", "hostname");
        assertEquals("capsa-test", capsa.ok("run", "--bundle", b.dir().toString(), newId()).strip());
        assertEquals(before, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip());
    }

    @Test
    void everyNewNamespaceHasAnInodeOfItsOwn() throws IOException {
        Bundle b = bundle("b", "sh", "-c", "for n in " + String.join(" ", NS) + "; do readlink /proc/self/ns/$n; done")
                .addNamespace("time", null).userNamespace(100000, 65536);
        List<String> inside = capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList();
        assertEquals(NS.size(), inside.size(), String.join("\n", inside));
        for (int i = 0; i < NS.size(); i++) {
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns", NS.get(i))).toString();
            assertTrue(inside.get(i).startsWith(NS.get(i) + ":["), inside.get(i));
            assertNotEquals(host, inside.get(i), NS.get(i) + " namespace is the host's");
        }
    }

    @Test
    void namespaceJoinedByPathIsTheTargetsOwn() throws IOException {
        String first = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("a", "sleep", "1000").dir().toString(), first);
        int pid = pidOf(capsa, first);
        Map<String, String> target = new LinkedHashMap<>();
        for (String ns : List.of("net", "ipc", "uts")) {
            target.put(ns, Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).toString());
        }
        Bundle second = bundle("b", "sh", "-c", "for n in net ipc uts; do readlink /proc/self/ns/$n; done; hostname")
                .addNamespace("network", "/proc/" + pid + "/ns/net")
                .addNamespace("ipc", "/proc/" + pid + "/ns/ipc")
                .addNamespace("uts", "/proc/" + pid + "/ns/uts").set("hostname", null);
        List<String> inside = capsa.ok("run", "--bundle", second.dir().toString(), newId()).lines().toList();
        assertEquals(List.copyOf(target.values()), inside.subList(0, 3));
        assertEquals("capsa-test", inside.get(3), "the joined uts namespace carries the first container's hostname");
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString(), target.get("net"));
    }

    /** lo's flags, then what a connect to a closed port on 127.0.0.1 meets. */
    private static final String LOOPBACK_PROBE = "cat /sys/class/net/lo/flags; nc 127.0.0.1 1 </dev/null 2>&1; true";

    @Test
    void newNetworkNamespaceHasLoopbackUp() {
        assertLoopbackUp(bundle("b", "sh", "-c", LOOPBACK_PROBE));
    }

    @Test
    void newNetworkNamespaceInANewUserNamespaceHasLoopbackUp() {
        assertLoopbackUp(bundle("b", "sh", "-c", LOOPBACK_PROBE).userNamespace(100000, 65536));
    }

    private void assertLoopbackUp(Bundle b) {
        List<String> inside = capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList();
        assertEquals("0x9", inside.getFirst(), "lo is not UP|LOOPBACK: " + inside);
        assertTrue(inside.get(1).contains("Connection refused"), inside.toString());
    }

    @Test
    void networkNamespaceJoinedByPathKeepsItsLoopbackDown() throws Exception {
        Process owner = new ProcessBuilder("unshare", "--net", "sleep", "1000").start();
        try {
            Path ns = Path.of("/proc/" + owner.pid() + "/ns/net");
            Path own = Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
            for (int i = 0; i < 100 && Files.readSymbolicLink(ns).equals(own); i++) sleep(20); // until unshare ran
            assertNotEquals(own, Files.readSymbolicLink(ns));
            Bundle b = bundle("b", "sh", "-c", LOOPBACK_PROBE).addNamespace("network", ns.toString());
            List<String> inside = capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList();
            assertEquals("0x8", inside.getFirst(), "the joined namespace's lo was changed: " + inside);
            assertTrue(inside.get(1).contains("Network is unreachable"), inside.toString());
        } finally {
            owner.destroyForcibly();
            owner.waitFor();
        }
    }

    @Test
    void withoutAMountNamespaceTheProcessIsChrootedInCapsasOwn() throws Exception {
        Bundle b = ownRootfs("own", "sh", "-c", "readlink /proc/self/ns/mnt; cat /marker");
        Files.writeString(b.dir().resolve("rootfs/marker"), "in the root filesystem\n");
        b.namespaces().removeIf(n -> n.get("type").equals("mount"));
        String refusedId = newId();
        refused(refusedId, "linux.maskedPaths: masking paths needs a mount namespace", "run", "--bundle", b.write().dir().toString(), refusedId);
        b.linux().remove("maskedPaths");
        b.linux().remove("readonlyPaths");
        b.write();
        // As runc, the mounts are made in capsa's own namespace.
        String out = runInPrivateMountNamespace(b, "readlink /proc/self/ns/mnt", "grep -c \" $2/rootfs/proc \" /proc/self/mountinfo");
        List<String> lines = out.lines().toList();
        assertEquals(lines.get(0), lines.get(1), "the process is in capsa's mount namespace: " + out);
        assertEquals(List.of("in the root filesystem", "1"), lines.subList(2, 4), "chrooted, /proc mounted in capsa's namespace: " + out);
    }

    @Test
    void capsasOwnMountNamespaceGivenByPathIsNotPivotedAway() throws Exception {
        Bundle b = ownRootfs("own", "cat", "/marker").set("mounts", List.of()).addNamespace("mount", "/proc/self/ns/mnt");
        Files.writeString(b.dir().resolve("rootfs/marker"), "in the root filesystem\n");
        b.linux().remove("maskedPaths");
        b.linux().remove("readonlyPaths");
        b.write();
        // Were that namespace pivoted, the shell's root would be the container's, without the bundle.
        assertEquals(List.of("in the root filesystem", "root kept"), runInPrivateMountNamespace(b, "true", "test -d \"$2\" && echo root kept").lines().toList());
    }

    /**
     * Runs the bundle from a shell in a private mount namespace of the test's, which takes whatever is mounted
     * in it along when it ends: the shell runs before, capsa, then after ($2 is the bundle); returns the output.
     */
    private String runInPrivateMountNamespace(Bundle b, String before, String after) throws Exception {
        Process p = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                before + "; \"$0\" --root \"$1\" run --bundle \"$2\" \"$3\" && " + after,
                Cli.CAPSA.toString(), capsa.root().toString(), b.dir().toString(), newId()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void aMountNamespaceJoinedByPathIsSetUpLikeANewOne() throws Exception {
        Process holder = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sleep", "1000").start();
        try {
            Path target = Path.of("/proc/" + holder.pid() + "/ns/mnt");
            String own = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
            for (int i = 0; i < 100 && Files.readSymbolicLink(target).toString().equals(own); i++) sleep(20); // until unshare has run
            String ns = Files.readSymbolicLink(target).toString();
            assertNotEquals(own, ns);
            // As runc: the set-up pivots that namespace's root too, so a second container could not find its rootfs there.
            Bundle b = bundle("b", "sleep", "1000").addNamespace("mount", target.toString());
            String id = newId();
            capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
            assertEquals(List.of(ns, "/bin/busybox", "1"), capsa.ok("exec", id, "sh", "-c",
                    "readlink /proc/self/ns/mnt; ls /bin/busybox; grep -c ' /proc ' /proc/self/mountinfo").lines().toList());
            capsa.ok("delete", "--force", id);
        } finally {
            holder.destroy();
            holder.waitFor();
        }
    }

    /** As runc: a hostname is set whenever the container has a uts namespace, also one joined by path. */
    @Test
    void hostnameIsSetInAUtsNamespaceJoinedByPath() {
        String first = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("a", "sleep", "1000").dir().toString(), first);
        Bundle second = bundle("b", "hostname").addNamespace("uts", "/proc/" + pidOf(capsa, first) + "/ns/uts")
                .set("hostname", "joined");
        assertEquals("joined", capsa.ok("run", "--bundle", second.dir().toString(), newId()).strip());
        assertEquals("joined", capsa.ok("exec", first, "hostname").strip(), "the namespace is the first container's");
    }

    /**
     * The container's time namespace is made before its user namespace, so an outer one owns it: exec
     * must join it before the user namespace, from where it could no longer.
     */
    @Test
    void execJoinsAUserAndATimeNamespaceWithItsOffsets() throws IOException {
        long tenDays = 864000;
        String id = newId();
        Bundle b = bundle("b", "sleep", "1000").addNamespace("time", null).userNamespace(100000, 65536);
        b.linux().put("timeOffsets", Map.of("boottime", Map.of("secs", tenDays, "nanosecs", 0)));
        b.write();
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        double inside = Double.parseDouble(capsa.ok("exec", id, "cat", "/proc/uptime").split(" ")[0]);
        double host = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertTrue(inside >= host + tenDays - 60 && inside <= host + tenDays + 60, "inside " + inside + ", host " + host);
        assertEquals("0 100000 65536", capsa.ok("exec", id, "cat", "/proc/self/uid_map").strip().replaceAll("\\s+", " "));
        int pid = pidOf(capsa, id);
        for (String ns : List.of("time", "user"))
            assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).toString(),
                    capsa.ok("exec", id, "readlink", "/proc/self/ns/" + ns).strip(), ns);
    }

    @Test
    void messageQueueMadeInsideIsInvisibleOutside() throws Exception {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        // busybox has no ipcmk: util-linux's, run in the container's ipc namespace, makes the queue.
        Process ipcmk = new ProcessBuilder("nsenter", "--ipc=/proc/" + pidOf(capsa, id) + "/ns/ipc", "ipcmk", "-Q")
                .redirectErrorStream(true).start();
        String made = new String(ipcmk.getInputStream().readAllBytes());
        assertEquals(0, ipcmk.waitFor(), made);
        String inside = capsa.ok("exec", id, "cat", "/proc/sysvipc/msg");
        List<String> queues = inside.lines().skip(1).toList();
        assertEquals(1, queues.size(), inside);
        String key = queues.getFirst().strip().split("\\s+")[0];
        String host = Files.readString(Path.of("/proc/sysvipc/msg"));
        assertFalse(host.lines().skip(1).anyMatch(l -> l.strip().split("\\s+")[0].equals(key)),
                "queue " + key + " is visible on the host:\n" + host);
    }

    @Test
    void tmpfsMountedInsideIsInvisibleOutside() {
        String id = newId();
        Bundle b = bundle("b", "sleep", "1000").addMount("/mnt/scratch", "tmpfs", "capsa-it-scratch", "size=1m");
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        assertTrue(capsa.ok("exec", id, "cat", "/proc/self/mountinfo").contains(" /mnt/scratch "));
        assertEquals(List.of(), Leaks.mountsUnder(Bundle.rootfs().toString()));
        assertTrue(Leaks.mountsUnder("/mnt/scratch").isEmpty());
    }

    @Test
    void rootInsideIsTheMappedUserOutside() throws IOException {
        String id = newId();
        Bundle b = bundle("b", "sleep", "1000").userNamespace(100000, 65536);
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        assertEquals("0", capsa.ok("exec", id, "id", "-u").strip());
        assertEquals("0 100000 65536", capsa.ok("exec", id, "cat", "/proc/self/uid_map").strip().replaceAll("\\s+", " "));
        String status = Files.readString(Path.of("/proc/" + pidOf(capsa, id) + "/status"));
        assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+100000\\s+100000\\s+100000\\s+100000")), status);
    }

    @Test
    void uptimeFollowsTheTimeNamespaceOffset() throws IOException {
        long tenDays = 864000;
        Bundle b = bundle("b", "cat", "/proc/uptime").addNamespace("time", null);
        b.linux().put("timeOffsets", Map.of("boottime", Map.of("secs", tenDays, "nanosecs", 0)));
        b.write();
        double inside = Double.parseDouble(capsa.ok("run", "--bundle", b.dir().toString(), newId()).split(" ")[0]);
        double host = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        assertTrue(inside >= host + tenDays - 60 && inside <= host + tenDays + 60, "inside " + inside + ", host " + host);
    }

    @Test
    void cgroupNamespaceShowsTheContainersCgroupAsRoot() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        List<String> inside = capsa.ok("exec", id, "cat", "/proc/1/cgroup").lines().toList();
        assertFalse(inside.isEmpty());
        for (String line : inside) assertTrue(line.endsWith(":/"), "not the namespace root: " + line);
        // Only the hierarchies mounted here: /proc/PID/cgroup also lists ones mounted in other namespaces.
        List<String> mounted = CgroupLayout.detect().hierarchies().stream().map(Hierarchy::mountOptions).toList();
        List<String> outside = Files.readAllLines(Path.of("/proc/" + pidOf(capsa, id) + "/cgroup")).stream()
                .filter(l -> mounted.contains(l.split(":")[1])).toList();
        assertEquals(mounted.size(), outside.size(), outside.toString());
        for (String line : outside) assertTrue(line.endsWith("/" + id), "not in the container's cgroup: " + line);
    }
}
