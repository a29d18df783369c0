package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.Hierarchy;
import io.capsa.plan.Op;
import io.capsa.plan.Plan;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The security properties a runtime must prove, each against a real container. */
class SecurityIT extends ContainerTestBase {

    private static String status(String out, String field) {
        return out.lines().filter(l -> l.startsWith(field + ":")).findFirst().orElseThrow().split("\\s+")[1];
    }

    @Test
    void capabilitiesAreExactlyTheConfiguredOnesAndInheritableIsEmpty() {
        // The default config: CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10).
        String out = capsa.ok("run", "--bundle", bundle("b", "cat", "/proc/self/status").dir().toString(), newId());
        assertEquals("0000000020000420", status(out, "CapBnd"));
        assertEquals("0000000020000420", status(out, "CapEff"));
        assertEquals("0000000020000420", status(out, "CapPrm"));
        assertEquals("0000000000000000", status(out, "CapInh"));
        assertEquals("0000000000000000", status(out, "CapAmb"));
    }

    @Test
    void ambientCapabilitiesReachANonRootProgram() {
        Bundle b = bundle("b", "cat", "/proc/self/status");
        List<String> bind = List.of("CAP_NET_BIND_SERVICE");
        b.process().put("capabilities", Map.of("bounding", bind, "effective", bind, "permitted", bind,
                "inheritable", bind, "ambient", bind));
        b.process().put("user", Map.of("uid", 1000, "gid", 1000));
        String out = capsa.ok("run", "--bundle", b.write().dir().toString(), newId());
        assertEquals("0000000000000400", status(out, "CapAmb"));
        assertEquals("0000000000000400", status(out, "CapEff"), "uid 1000 keeps the ambient capability across exec");
        assertEquals("1000", status(out, "Uid"));
    }

    @Test
    void execAddsCapabilitiesWithCap() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        String out = capsa.ok("exec", "--cap", "CAP_SYS_ADMIN", id, "cat", "/proc/self/status");
        assertEquals("0000000020200420", status(out, "CapEff"));
    }

    @Test
    void helperCannotBeReachedOrOverwrittenFromInsideTheContainer() throws Exception {
        Path helper = Cli.HOME.resolve("target/capsa-helper");
        String before = sha256(helper);
        String id = newId();
        capsa.ok("create", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        // Until start, the container's pid 1 is still the helper: it runs from a sealed memfd, and is not dumpable.
        String exe = Files.readSymbolicLink(Path.of("/proc/" + pidOf(capsa, id) + "/exe")).toString();
        assertTrue(exe.startsWith("/memfd:capsa-helper"), exe);
        Cli.Result read = capsa.run("exec", id, "readlink", "/proc/1/exe");
        assertNotEquals(0, read.exit(), "the helper's exe was reachable: " + read);
        Cli.Result write = capsa.run("exec", id, "sh", "-c", "echo overwritten > /proc/1/exe");
        assertNotEquals(0, write.exit(), write.toString());
        capsa.ok("start", id);
        assertEquals(before, sha256(helper), "the helper binary changed");
    }

    @Test
    void noDescriptorOfTheCallerReachesTheContainer() throws Exception {
        Bundle b = bundle("b", "sh", "-c", "readlink /proc/self/cwd; exec ls /proc/self/fd");
        // The caller holds fds 3 to 9; without --preserve-fds none of them may reach the container.
        Process p = new ProcessBuilder("bash", "-c", "for fd in 3 4 5 6 7 8 9; do eval \"exec $fd</etc/hostname\"; done; exec \"$@\"",
                "x", Cli.CAPSA.toString(), "--root", capsa.root().toString(), "run", "--bundle", b.dir().toString(), newId())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        // ls holds fd 3 on the directory it lists.
        assertEquals(List.of("/", "0", "1", "2", "3"), out.lines().toList());
    }

    /**
     * CVE-2024-21626: a caller holding fd 8 on the host's / must not give the container a working directory
     * there, neither through an inherited descriptor nor one it passes on purpose (--preserve-fds).
     */
    @Test
    void aWorkingDirectoryThroughADescriptorOfTheCallerIsRefused() throws IOException {
        Path pwned = work.resolve("pwned");
        String escape = "cat ../../../etc/hostname; touch ../../.." + pwned;
        Bundle b = bundle("b", "sh", "-c", escape);
        b.process().put("cwd", "/proc/self/fd/8");
        b.write();
        String run = newId(), runPreserving = newId();
        refused(run, "change to working directory /proc/self/fd/8: No such file or directory",
                capsa.runHolding("8</", "run", "--bundle", b.dir().toString(), run));
        refused(runPreserving, "change to working directory /proc/self/fd/8: the working directory is outside the container's root",
                capsa.runHolding("8</", "run", "--preserve-fds", "6", "--bundle", b.dir().toString(), runPreserving));

        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("sleeper", "sleep", "1000").dir().toString(), id);
        refused(null, "change to working directory /proc/self/fd/8: No such file or directory",
                capsa.runHolding("8</", "exec", "--cwd", "/proc/self/fd/8", id, "sh", "-c", escape));
        refused(null, "the working directory is outside the container's root",
                capsa.runHolding("8</", "exec", "--preserve-fds", "6", "--cwd", "/proc/self/fd/8", id, "sh", "-c", escape));
        Path process = work.resolve("process.json");
        Files.writeString(process, "{\"args\": [\"sh\", \"-c\", \"" + escape + "\"], \"cwd\": \"/proc/self/fd/8\"}");
        refused(null, "change to working directory /proc/self/fd/8: No such file or directory",
                capsa.runHolding("8</", "exec", "--process", process.toString(), id));
        assertFalse(Files.exists(pwned), "the container wrote to the host");
    }

    @Test
    void aProgramThroughADescriptorOfTheCallerIsRefused() throws IOException {
        Path hostDir = Files.createDirectories(work.resolve("host"));
        Files.copy(Path.of("/bin/busybox"), hostDir.resolve("true"));
        Bundle b = bundle("b", "/proc/self/fd/9/true");
        String expected = "exec: \"/proc/self/fd/9/true\": executable file not found in $PATH";
        String run = newId();
        refused(run, expected, capsa.runHolding("9<" + hostDir, "run", "--bundle", b.dir().toString(), run));
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("sleeper", "sleep", "1000").dir().toString(), id);
        refused(null, expected, capsa.runHolding("9<" + hostDir, "exec", id, "/proc/self/fd/9/true"));
    }

    /** 3 + 2147483647 overflowed in the helper, which then closed nothing, not even its own pipes. */
    @Test
    void aPreserveFdsBeyondTheOpenFileLimitIsRefused() {
        String expected = "--preserve-fds 2147483647: descriptors 3 to 2147483649 exceed the open file limit";
        String run = newId();
        refused(run, expected, "run", "--preserve-fds", "2147483647", "--bundle", bundle("b", "true").dir().toString(), run);
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("sleeper", "sleep", "1000").dir().toString(), id);
        refused(null, expected, "exec", "--preserve-fds", "2147483647", id, "true");
    }

    /** The helper itself, given such a count by a caller other than the CLI, refuses it rather than overflow. */
    @Test
    void theHelperRefusesAPreserveCountThatWouldOverflow() throws Exception {
        Path plan = work.resolve("plan"), report = work.resolve("report");
        Files.write(plan, new Plan().add(Op.PRESERVE_FDS, "keep", Integer.MAX_VALUE).encode());
        Process helper = new ProcessBuilder("bash", "-c", "exec \"$0\" 3 4 3<\"$1\" 4>\"$2\"",
                Cli.HOME.resolve("target/capsa-helper").toString(), plan.toString(), report.toString()).start();
        assertEquals(126, helper.waitFor(), "the helper's exit code");
        assertEquals("err 0 22 2147483647\n", Files.readString(report));
    }

    @Test
    void maskedPathsAreUnreadableAndReadonlyPathsRefuseWrites() {
        Bundle b = bundle("b", "sh", "-c", "cat /proc/timer_list | wc -c; ls /sys/firmware | wc -l; "
                + "echo 1 > /proc/sys/vm/overcommit_memory && echo written; echo done");
        b.linux().put("maskedPaths", List.of("/proc/timer_list", "/sys/firmware", "/proc/does-not-exist"));
        b.linux().put("readonlyPaths", List.of("/proc/sys"));
        Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        assertEquals(List.of("0", "0", "done"), r.out().lines().map(String::strip).toList(), r.toString());
        assertTrue(r.err().contains("Read-only file system"), r.toString());
    }

    @Test
    void noNewPrivilegesKeepsASetuidProgramFromGainingRoot() throws Exception {
        Path dir = Files.createDirectories(work.resolve("suid"));
        Path source = dir.resolve("euid.c");
        Files.writeString(source, "#include <stdio.h>\n#include <unistd.h>\nint main(void){printf(\"%d\\n\", geteuid());return 0;}\n");
        Process cc = new ProcessBuilder("cc", "-static", "-o", dir.resolve("euid").toString(), source.toString()).inheritIO().start();
        assertEquals(0, cc.waitFor());
        assertEquals(0, new ProcessBuilder("chmod", "4755", dir.resolve("euid").toString()).start().waitFor()); // setuid root
        for (boolean nnp : new boolean[] {true, false}) {
            Bundle b = bundle("b" + nnp, "/suid/euid").addMount("/suid", "bind", dir.toString(), "bind", "ro");
            b.process().put("user", Map.of("uid", 1000, "gid", 1000));
            b.process().put("noNewPrivileges", nnp);
            String euid = capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).strip();
            assertEquals(nnp ? "1000" : "0", euid, "noNewPrivileges " + nnp);
        }
    }

    @Test
    void mountDestinationsNeverLeaveTheRootThroughASymlink() throws Exception {
        Path own = work.resolve("own");
        Process make = new ProcessBuilder(Cli.HOME.resolve("bin/make-busybox-bundle").toString(), own.toString(), "true")
                .inheritIO().start();
        assertEquals(0, make.waitFor());
        Path outside = Files.createDirectories(work.resolve("outside"));
        Files.createSymbolicLink(own.resolve("rootfs/evil"), outside);
        Files.createSymbolicLink(own.resolve("rootfs/evil2"), Path.of("../../../../../../../../" + outside));
        Bundle b = Bundle.load(own).addMount("/evil/sub", "tmpfs", "tmpfs").addMount("/evil2/sub", "tmpfs", "tmpfs");
        capsa.ok("run", "--bundle", b.dir().toString(), newId());
        assertFalse(Files.exists(outside.resolve("sub")), "a directory was made outside the root filesystem");
        assertTrue(Files.isDirectory(own.resolve("rootfs").resolve(outside.toString().substring(1)).resolve("sub")),
                "the symlink resolves inside the root filesystem");
    }

    @Test
    void procReplacedByASymlinkIsRefused() throws Exception {
        Path own = work.resolve("own");
        assertEquals(0, new ProcessBuilder(Cli.HOME.resolve("bin/make-busybox-bundle").toString(), own.toString(), "true")
                .inheritIO().start().waitFor());
        Files.delete(own.resolve("rootfs/proc"));
        Files.createSymbolicLink(own.resolve("rootfs/proc"), work);
        String id = newId();
        Cli.Result r = capsa.run("run", "--bundle", own.toString(), id);
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("/proc is a symlink in the root filesystem"), r.toString());
        assertEquals(List.of(), Leaks.cgroupDirs(id));
    }

    @Test
    void procReplacedByASymlinkIsRefusedHoweverTheDestinationIsSpelled() throws Exception {
        Bundle b = ownRootfs("own", "true");
        Files.delete(b.dir().resolve("rootfs/proc"));
        Files.createSymbolicLink(b.dir().resolve("rootfs/proc"), work);
        for (String spelling : List.of("/proc/", "//proc", "/./proc", "/tmp/../proc")) {
            List<Map<String, Object>> mounts = new ArrayList<>(b.mounts());
            mounts.set(0, Map.of("destination", spelling, "type", "proc", "source", "proc"));
            b.set("mounts", mounts);
            String id = newId();
            refused(id, "mounts[0].destination: " + spelling + " is a symlink in the root filesystem", "run", "--bundle", b.dir().toString(), id);
        }
    }

    /** Every device node of the host's /dev, as Docker and Podman list them for --privileged (runc's HostDevices). */
    private static List<Map<String, Object>> hostDevices(Path dir) throws IOException {
        List<Map<String, Object>> devices = new ArrayList<>();
        try (var entries = Files.list(dir)) {
            for (Path p : entries.sorted().toList()) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!List.of("pts", "shm", "fd", "mqueue").contains(name)) devices.addAll(hostDevices(p));
                    continue;
                }
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
                int type = (Integer) a.get("mode") & 0170000;
                if (name.equals("console") || (type != 0020000 && type != 0060000)) continue;
                long rdev = (Long) a.get("rdev");
                devices.add(Map.of("path", p.toString(), "type", type == 0020000 ? "c" : "b",
                        "major", (rdev >> 8) & 0xfff, "minor", (rdev & 0xff) | ((rdev >> 12) & 0xfff00),
                        "fileMode", (Integer) a.get("mode") & 07777, "uid", a.get("uid"), "gid", a.get("gid")));
            }
        }
        return devices;
    }

    @Test
    void allTheHostsDevicesAreMadeAndPtmxStaysTheLinkToPts() throws IOException {
        List<Map<String, Object>> devices = hostDevices(Path.of("/dev"));
        assertTrue(devices.stream().anyMatch(d -> d.get("path").equals("/dev/ptmx")), devices.toString());
        Bundle b = bundle("b", "sh", "-c", "readlink /dev/ptmx; stat -c '%t %T' /dev/null; ls /dev | wc -l");
        b.linux().put("devices", devices);
        List<String> out = capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).lines().toList();
        assertEquals(List.of("pts/ptmx", "1 3"), out.subList(0, 2));
        assertTrue(Integer.parseInt(out.get(2).strip()) >= devices.size(), out.toString());
    }

    @Test
    void aSymlinkAtADevicePathIsNotFollowedToTheHost() throws Exception {
        Path host = Files.writeString(work.resolve("host-file"), "host\n");
        Files.setPosixFilePermissions(host, PosixFilePermissions.fromString("rw-------"));
        // No /dev mount: the nodes are made in the root filesystem's own /dev, where fuse points at the host file.
        Bundle b = ownRootfs("own", "stat", "-L", "-c", "%n %a %F %t:%T", "/dev/null", "/dev/fuse");
        b.mounts().removeIf(m -> m.get("destination").toString().startsWith("/dev"));
        b.linux().put("devices", List.of(Map.of("path", "/dev/fuse", "type", "c", "major", 10, "minor", 229, "fileMode", 0666)));
        Files.createSymbolicLink(b.dir().resolve("rootfs/dev/fuse"), host);
        List<String> out = capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).lines().toList();
        assertEquals("/dev/null 666 character special file 1:3", out.get(0), "made exactly 0666 under capsa's umask");
        // As runc: the link is followed inside the root filesystem, and the node made where it leads there.
        assertEquals("/dev/fuse 666 character special file a:e5", out.get(1));
        assertEquals("600", Integer.toOctalString((Integer) Files.getAttribute(host, "unix:mode") & 0777));
        assertEquals("host\n", Files.readString(host));
    }

    @Test
    void rlimitsApplyAndARaiseBeyondTheHardLimitFailsWithoutCapSysResource() throws IOException {
        Bundle b = bundle("b", "sh", "-c", "ulimit -n; ulimit -Hn");
        b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "soft", 100, "hard", 200)));
        assertEquals(List.of("100", "200"), capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).lines().toList());
        long hostHard = Long.parseLong(Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow().split("\\s+")[4]);
        b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NOFILE", "soft", hostHard + 1, "hard", hostHard + 1)));
        Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        // Our machines' root lacks CAP_SYS_RESOURCE, so the kernel refuses; where root has it, this succeeds.
        if (r.exit() != 0) assertTrue(r.err().contains("set RLIMIT_NOFILE: Operation not permitted"), r.toString());
        else assertEquals(List.of(Long.toString(hostHard + 1), Long.toString(hostHard + 1)), r.out().lines().toList());
    }

    @Test
    void aNegativeOomScoreAdjNeedsCapSysResource() {
        Bundle b = bundle("b", "cat", "/proc/self/oom_score_adj");
        b.process().put("oomScoreAdj", -500);
        Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        // Our machines' root lacks CAP_SYS_RESOURCE, so the kernel refuses; where root has it, this succeeds.
        if (r.exit() != 0) assertTrue(r.err().matches("(?s).*set oom_score_adj -500: (Permission denied|Operation not permitted).*"), r.toString());
        else assertEquals("-500", r.text());
    }

    @Test
    void oomScoreAdjIsSet() {
        Bundle b = bundle("b", "cat", "/proc/self/oom_score_adj");
        b.process().put("oomScoreAdj", 500);
        assertEquals("500", capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).strip());
    }

    @Test
    void namespacedSysctlIsSetAndAHostWideOneIsRefused() {
        Bundle b = bundle("b", "cat", "/proc/sys/net/ipv4/ip_forward", "/proc/sys/kernel/shmmni");
        b.linux().put("sysctl", Map.of("net.ipv4.ip_forward", "1", "kernel.shmmni", "1234"));
        assertEquals(List.of("1", "1234"), capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).lines().toList());
        b.linux().put("sysctl", Map.of("kernel.panic", "1"));
        Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("linux.sysctl.kernel.panic: not namespaced"), r.toString());
    }

    /** A namespace joined by path may be the host's own: its sysctls would be set host-wide. */
    @Test
    void aSysctlOfAJoinedHostNamespaceIsRefused() throws IOException {
        String ours = "/proc/" + ProcessHandle.current().pid() + "/ns/"; // the host's: /proc/1 is closed to us
        String[][] cases = { // namespace, its name under /proc/PID/ns, sysctl
                {"network", "net", "net.ipv4.tcp_keepalive_probes"}, {"ipc", "ipc", "kernel.shmmni"}, {"uts", "uts", "kernel.domainname"}};
        for (String[] c : cases) {
            Path file = Path.of("/proc/sys", c[2].replace('.', '/'));
            String before = Files.readString(file);
            Bundle b = bundle("b" + c[1], "true").set("hostname", null).addNamespace(c[0], ours + c[1]);
            b.linux().put("sysctl", Map.of(c[2], c[2].equals("kernel.domainname") ? "capsa-it"
                    : Long.toString(Long.parseLong(before.strip()) - 1))); // valid, so that only the check refuses it
            String id = newId();
            refused(id, "linux.sysctl." + c[2] + ": the " + c[0] + " namespace " + ours + c[1] + " is the host's",
                    "run", "--bundle", b.write().dir().toString(), id);
            assertEquals(before, Files.readString(file), c[2] + " changed on the host");
        }
    }

    /**
     * A cgroupsPath may name a cgroup that others' processes are in (a typo for a parent, two containers
     * given one path): capsa joins it with a warning, and kills and removes only what is the container's.
     */
    @Test
    void aSharedCgroupKeepsItsOtherProcessesAndItself() throws Exception {
        String name = newId() + "-shared";
        List<Path> dirs = new ArrayList<>();
        Process sleep = new ProcessBuilder("sleep", "1000").start();
        try {
            for (Hierarchy h : CgroupLayout.detect().hierarchies()) {
                Path dir = Files.createDirectory(h.mountPoint().resolve(name));
                dirs.add(dir);
                for (String file : List.of("cpuset.cpus", "cpuset.mems")) // empty in a new v1 cpuset cgroup
                    if (!h.unified() && Files.exists(dir.resolve(file)))
                        Files.writeString(dir.resolve(file), Files.readString(dir.getParent().resolve(file)));
                Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleep.pid()));
            }
            // Without a PID namespace, the init's child outlives it, and is killed as the container's.
            Bundle b = bundle("b", "sh", "-c", "sleep 1000 & echo started");
            b.linux().put("cgroupsPath", "/" + name);
            b.namespaces().removeIf(n -> n.get("type").equals("pid"));
            Cli.Result run = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.err().contains("container's cgroup is not empty: 1 process(es) found"), run.toString());
            Path procs = dirs.getFirst().resolve("cgroup.procs");
            for (int i = 0; i < 100 && !Files.readString(procs).strip().equals(Long.toString(sleep.pid())); i++) sleep(20);
            assertEquals(Long.toString(sleep.pid()), Files.readString(procs).strip(), "the container's own sleep is killed, ours left");

            String id = newId();
            capsa.ok("run", "--detach", "--bundle", b.args("sleep", "1000").dir().toString(), id);
            capsa.ok("delete", "--force", id);
            String failed = newId();
            Cli.Result refused = capsa.run("run", "--bundle", b.args("/no-such-program").dir().toString(), failed);
            assertTrue(refused.exit() != 0 && refused.err().contains("executable file not found"), refused.toString());
            assertNothingLeftOf(failed);
            assertTrue(sleep.isAlive(), "capsa killed a process that is not the container's");
            for (Path dir : dirs) assertTrue(Files.isDirectory(dir), "capsa removed a cgroup it had not made: " + dir);
        } finally {
            sleep.destroyForcibly().waitFor();
            for (Path dir : dirs) removeCgroup(dir);
        }
    }

    /** Two containers given one cgroupsPath: deleting the one whose cgroup it was leaves the other running. */
    @Test
    void deletingAContainerLeavesTheOtherInItsCgroup() throws Exception {
        String name = newId() + "-shared", first = newId(), second = newId();
        Bundle b = bundle("b", "sleep", "1000");
        b.linux().put("cgroupsPath", "/" + name);
        b.write();
        try {
            capsa.ok("run", "--detach", "--bundle", b.dir().toString(), first);
            Cli.Result joined = capsa.run("run", "--detach", "--bundle", b.dir().toString(), second);
            assertEquals(0, joined.exit(), joined.toString());
            assertTrue(joined.err().contains("container's cgroup is not empty: 1 process(es) found"), joined.toString());
            Cli.Result deleted = capsa.run("delete", "--force", first);
            assertEquals(0, deleted.exit(), deleted.toString());
            assertTrue(deleted.err().contains("left in place: it holds processes that are not the container's"), deleted.toString());
            assertEquals("running", statusOf(second));
            capsa.ok("delete", "--force", second);
        } finally {
            for (Hierarchy h : CgroupLayout.detect().hierarchies()) removeCgroup(h.mountPoint().resolve(name)); // made for first
        }
    }

    /** rmdir, retried while the kernel still holds the cgroup of a process that has just exited. */
    private static void removeCgroup(Path dir) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException e) {
                if (attempt == 50) throw e;
                Thread.sleep(20);
            }
        }
    }

    @Test
    void configuredDevicesAreMadeAndPersonalityIsSet() {
        Bundle b = bundle("b", "sh", "-c", "stat -c '%F %t %T %a' /dev/fuse; uname -m");
        b.linux().put("devices", List.of(Map.of("path", "/dev/fuse", "type", "c", "major", 10, "minor", 229, "fileMode", 0600)));
        b.linux().put("personality", Map.of("domain", "LINUX32"));
        List<String> out = capsa.ok("run", "--bundle", b.write().dir().toString(), newId()).lines().toList();
        assertEquals("character special file a e5 600", out.get(0));
        assertTrue(out.get(1).matches("i[3-6]86"), out.get(1));
    }

    @Test
    void badSecurityConfigIsRefusedWithTheFieldPath() {
        Bundle b = bundle("b", "true");
        b.process().put("capabilities", Map.of("bounding", List.of("CAP_NOPE")));
        expectError(b.write(), "process.capabilities.bounding[0]: unknown capability \"CAP_NOPE\"");
        b.process().remove("capabilities");
        b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NOPE", "soft", 1, "hard", 1)));
        expectError(b.write(), "process.rlimits[0].type: unknown rlimit \"RLIMIT_NOPE\"");
        b.process().remove("rlimits");
        b.process().put("apparmorProfile", "docker-default");
        expectError(b.write(), "process.apparmorProfile: AppArmor");
        b.process().remove("apparmorProfile");
        b.addMount("/mnt/x", "tmpfs", "tmpfs", "no-such-option=1");
        expectError(b, "mount tmpfs on /mnt/x: Invalid argument (EINVAL)");
    }

    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> user(Bundle b) {
        return (Map<String, Object>) b.process().get("user");
    }

    /** A fresh bundle running id, changed by change, must be refused with expected. */
    private void refusedWith(Consumer<Bundle> change, String expected) {
        Bundle b = bundle("b", "id");
        change.accept(b);
        expectError(b.write(), expected);
    }

    @Test
    void idsAndLimitsBeyondTheirTypeAreRefusedRatherThanNarrowed() {
        // Narrowed to their C types, these ran as root (uid_t -1 is setresuid's "unchanged"), as uid 384, with
        // no rlimit, with oom_score_adj -1000, or with no memory or pids limit.
        refusedWith(b -> user(b).put("uid", 4294967295L), "process.user.uid: 4294967295 is out of range 0..2147483647");
        refusedWith(b -> user(b).put("uid", TWO_TO_64), "process.user.uid: 18446744073709551616 is out of range 0..2147483647");
        refusedWith(b -> user(b).put("uid", new BigInteger("18446744073709552000")), "process.user.uid: 18446744073709552000 is out of range");
        refusedWith(b -> user(b).put("uid", 1000.5), "process.user.uid: 1000.5 is not an integer");
        refusedWith(b -> user(b).put("gid", 4294967295L), "process.user.gid: 4294967295 is out of range 0..2147483647");
        refusedWith(b -> user(b).put("additionalGids", List.of(10, TWO_TO_64)), "process.user.additionalGids[1]: 18446744073709551616 is out of range");
        refusedWith(b -> user(b).put("umask", TWO_TO_64.add(BigInteger.valueOf(022))), "process.user.umask: 18446744073709551634 is out of range 0..511");
        refusedWith(b -> b.process().put("rlimits", List.of(Map.of("type", "RLIMIT_NPROC", "soft", TWO_TO_64, "hard", TWO_TO_64))),
                "process.rlimits[0].soft: 18446744073709551616 is out of range 0..18446744073709551615");
        refusedWith(b -> b.process().put("oomScoreAdj", TWO_TO_64.subtract(BigInteger.valueOf(1000))),
                "process.oomScoreAdj: 18446744073709550616 is out of range -1000..1000");
        refusedWith(b -> b.process().put("oomScoreAdj", BigInteger.ONE.shiftLeft(63)), "process.oomScoreAdj: 9223372036854775808 is out of range");
        refusedWith(b -> b.process().put("consoleSize", Map.of("height", TWO_TO_64.add(BigInteger.valueOf(24)), "width", 80)),
                "process.consoleSize.height: 18446744073709551640 is out of range 0..65535");
        refusedWith(b -> b.linux().put("resources", Map.of("memory", Map.of("limit", BigInteger.ONE.shiftLeft(70)))),
                "linux.resources.memory.limit: 1180591620717411303424 is out of range");
        refusedWith(b -> b.linux().put("resources", Map.of("pids", Map.of("limit", BigInteger.ONE.shiftLeft(70)))),
                "linux.resources.pids.limit: 1180591620717411303424 is out of range");
    }

    @Test
    void anEscapedNulInAStringIsRefused() {
        // The helper reads strings up to their first NUL: the variable was X=ok, and the mount went to /proc.
        refusedWith(b -> b.process().put("env", List.of("PATH=/bin", "X=ok\0LD_PRELOAD=/evil.so")),
                "process.env[1]: must not contain a NUL character (\\u0000)");
        refusedWith(b -> b.addMount("/proc\0/x", "tmpfs", "tmpfs"), "mounts[7].destination: must not contain a NUL character");
        refusedWith(b -> b.process().put("args", List.of("sh", "-c", "true\0; echo")), "process.args[2]: must not contain a NUL character");
        refusedWith(b -> b.set("hostname", "h\0x"), "hostname: must not contain a NUL character");
    }

    @Test
    void execChecksItsUserAndProcessAsConfigJsonIsChecked() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        refused(null, "--user: -1 is out of range 0..2147483647", "exec", "--user", "-1", id, "id", "-u");
        refused(null, "--user: 4294967295 is out of range 0..2147483647", "exec", "--user", "1000:4294967295", id, "id", "-g");
        refused(null, "--additional-gids: 4294967296 is out of range 0..2147483647",
                "exec", "--user", "1000", "--additional-gids", "4294967296", id, "id", "-G");
        Map<String, Object> process = new LinkedHashMap<>(Map.of("args", List.of("id", "-u"), "cwd", "/",
                "user", Map.of("uid", 4294967295L, "gid", 0)));
        Path file = work.resolve("process.json");
        Files.writeString(file, JSON.std.asString(process));
        refused(null, "user.uid: 4294967295 is out of range 0..2147483647", "exec", "--process", file.toString(), id);
        process.put("user", Map.of("uid", 1000, "gid", 0));
        process.put("env", List.of("X=ok\0LD_PRELOAD=/evil.so"));
        Files.writeString(file, JSON.std.asString(process));
        refused(null, "env[0]: must not contain a NUL character", "exec", "--process", file.toString(), id);
        assertEquals("1000", capsa.ok("exec", "--user", "1000", id, "id", "-u").strip());
    }

    @Test
    void stateIsPrivateToRoot() throws Exception {
        String id = newId();
        capsa.ok("create", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        Path root = capsa.root(), dir = root.resolve(id);
        assertEquals("rwx------", mode(root));
        assertEquals("rwx--x--x", mode(dir));
        assertEquals("rw-------", mode(dir.resolve("state.json")), "it holds the hooks' environments");
        assertEquals("rw-------", mode(dir.resolve("lock")), "whoever can open it can hold it");
        // Even below a root that others may enter (one made before, or shared), nobody reads or locks anything.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertNotEquals(0, asNobody("cat", dir.resolve("state.json").toString()).exit());
        Cli.Result lock = asNobody("flock", "--nonblock", "--shared", dir.resolve("lock").toString(), "true");
        assertNotEquals(0, lock.exit());
        assertTrue(lock.err().contains("Permission denied"), lock.toString());
        capsa.ok("start", id);
        capsa.ok("delete", "--force", id);
        assertNothingLeftOf(id);
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** Runs a command as the user nobody, with no groups, and waits for it. */
    private static Cli.Result asNobody(String... command) throws Exception {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(false).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes()), err = new String(p.getErrorStream().readAllBytes());
        return new Cli.Result(p.waitFor(), out, err);
    }

    private void expectError(Bundle b, String expected) {
        String id = newId();
        Cli.Result r = capsa.run("run", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in " + r);
        assertFalse(Files.exists(capsa.root().resolve(id)));
        assertEquals(List.of(), Leaks.cgroupDirs(id));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
