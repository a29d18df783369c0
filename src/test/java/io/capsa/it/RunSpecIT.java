package io.capsa.it;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cli.engine.RunFlagsParser;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.ContainerResolver;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.SpecBuilder;
import io.capsa.engine.config.SpecInput;
import io.capsa.spec.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's config.json for `run` flags, run by the runtime over a busybox root: what a user checks
 * inside is what the flags asked for.
 */
class RunSpecIT extends ContainerTestBase {
    /** Its configs put containers under the engine's parent cgroup, which no engine here removes after them. */
    @AfterAll
    static void removeTheParentCgroup() {
        io.capsa.cgroups.ContainerCgroup.removeIfEmpty(CgroupLayout.detect(), SpecBuilder.CGROUP_PARENT); // not this package's test helper
    }

    private static final String ID = "5e1f00d5c0ffee0123456789abcdef0123456789abcdef0123456789abcdef";

    private static ContainerConfig config(String user, List<String> env, String workdir, String... cmd) {
        return new ContainerConfig("", "", user, false, true, true, false, false, false, env, List.of(cmd), "busybox", List.of(),
                workdir, null, Map.of(), null, null, List.of());
    }

    /** A bundle of its own busybox root, whose config.json SpecBuilder made. */
    private Path bundle(String name, ContainerConfig c, String... runFlags) throws IOException {
        return configure(ownRootfs(name), ID, c, runFlags);
    }

    /** The engine's config.json for this root (which the test may have changed), its /etc files in DATA/containers/ID. */
    private Path configure(Bundle b, String id, ContainerConfig c, String... runFlags) throws IOException {
        Path containerDir = Files.createDirectories(work.resolve("data/containers/" + id));
        HostConfig h = RunFlagsParser.hostConfig(runFlags);
        // container:NAME is a container this test runs through the runtime under that id
        Map<String, Object> spec = SpecBuilder.build(new SpecInput(id, "web", c, h, b.dir().resolve("rootfs"), containerDir,
                new ContainerResolver() {
                    public int runningPid(String other) {
                        return pidOf(capsa, other);
                    }

                    public Path runningDirectory(String other) { // its bundle's config.json says what it mounts
                        return Path.of((String) state(capsa.ok("state", other)).get("bundle"));
                    }
                }));
        Files.writeString(b.dir().resolve("config.json"), Json.write(spec));
        return b.dir();
    }

    private String run(Path bundle) {
        return capsa.ok("run", "--bundle", bundle.toString(), newId());
    }

    private String run(String name, String command, String... runFlags) throws IOException {
        return run(bundle(name, config("", List.of(), "", "sh", "-c", command), runFlags));
    }

    private static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).findFirst().orElseThrow().split("\\s+")[1];
    }

    @Test
    void dockersDefaultsAreWhatTheContainerSees() throws IOException {
        String out = run("b", "cat /proc/self/status; hostname; cat /etc/hostname; echo HOSTNAME=$HOSTNAME; grep -c 127.0.0.1 /etc/hosts;"
                + " cat /proc/sys/net/ipv4/ip_unprivileged_port_start; grep -E ' /dev/shm | /sys ' /proc/mounts; test -r /proc/kcore && echo kcore readable; touch /sys/x 2>&1 || true");
        // CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
        assertEquals("00000000a80425fb", field(out, "CapEff"));
        assertEquals("00000000a80425fb", field(out, "CapBnd"));
        assertEquals("2", field(out, "Seccomp"), "Docker's profile is on");
        assertTrue(out.contains("\n5e1f00d5c0ff\n5e1f00d5c0ff\nHOSTNAME=5e1f00d5c0ff\n2\n0\n"), out);
        assertTrue(out.contains("/dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k"), out);
        assertTrue(out.contains("sysfs /sys sysfs ro,"), out);
        assertTrue(!out.contains("kcore readable"), out);
        assertTrue(out.contains("Read-only file system"), out);
    }

    @Test
    void usersEnvironmentAndWorkingDirectory() throws IOException {
        Bundle b = ownRootfs("b");
        Files.writeString(b.dir().resolve("rootfs/etc/passwd"), "app:x:1000:1000::/home/app:/bin/sh\n", StandardOpenOption.APPEND);
        Files.writeString(b.dir().resolve("rootfs/etc/group"), "staff:x:50:app\n", StandardOpenOption.APPEND);
        Path dir = configure(b, ID, config("app", List.of("GREETING=hi"), "/tmp", "sh", "-c", "id; echo $GREETING $HOME; pwd"));
        assertEquals("uid=1000(app) gid=1000 groups=50(staff)\nhi /home/app\n/tmp\n", run(dir));
    }

    @Test
    void aMissingWorkingDirectoryIsMade() throws IOException {
        assertEquals("/srv/app\n", run(bundle("b", config("", List.of(), "/srv/app", "pwd"))));
    }

    @Test
    void capabilitiesLimitsAndSecurityOptions() throws IOException {
        String out = run("b", "cat /proc/self/status; ulimit -n; ulimit -Hn", "--cap-drop", "ALL", "--cap-add", "NET_BIND_SERVICE",
                "--ulimit", "nofile=100:200", "--security-opt", "no-new-privileges");
        assertEquals("0000000000000400", field(out, "CapEff"));
        assertEquals("1", field(out, "NoNewPrivs"));
        assertTrue(out.endsWith("\n100\n200\n"), out);
    }

    @Test
    void memoryAndPidsLimitsReachTheCgroup() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", config("", List.of(), "", "sleep", "1000"), "-m", "64m",
                "--pids-limit", "50").toString(), id);
        long pid = pidOf(capsa, id);
        assertEquals(String.valueOf(64 << 20), ContainerCgroup.read(pid, "memory", "memory.limit_in_bytes", "memory.max"));
        assertEquals("50", ContainerCgroup.read(pid, "pids", "pids.max", "pids.max"));
        // Docker's default memory+swap: twice the memory (v2 has the swap alone)
        assertEquals(String.valueOf(ContainerCgroup.V2 ? 64 << 20 : 128 << 20),
                ContainerCgroup.read(pid, "memory", "memory.memsw.limit_in_bytes", "memory.swap.max"));
    }

    @Test
    void readOnlyRootWithAWritableTmpfs() throws IOException {
        String out = run("b", "touch /x 2>&1; touch /run/y && echo tmpfs writable", "--read-only", "--tmpfs", "/run");
        assertTrue(out.contains("Read-only file system") && out.contains("tmpfs writable"), out);
    }

    @Test
    void timeNamespaceWithAnOffset() throws IOException {
        // /proc/uptime counts boottime
        String out = run("b", "cut -d. -f1 /proc/uptime", "--time-offset", "monotonic=86400", "--time-offset", "boottime=86400");
        assertTrue(Long.parseLong(out.strip()) >= 86400, out);
    }

    @Test
    void initRunsTheCommandAsItsChild() throws IOException {
        String out = run("b", "cat /proc/1/cmdline | tr '\\0' ' '; echo; echo $$", "--init");
        assertTrue(out.startsWith("/sbin/docker-init -- sh -c"), out);
        assertNotEquals("1", out.lines().toList().getLast(), out);
    }

    @Test
    void aRemappedUserNamespace() throws IOException {
        // the container's root is uid 100000 outside: the test's directory (0700) must let it reach the root
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx--x--x"));
        String out = run("b", "cat /proc/self/uid_map; id -u", "--userns", "remap:100000:65536");
        assertEquals("0 100000 65536\n0\n", out.replaceAll(" +", " ").replaceAll("^ ", "").replaceAll("\n ", "\n"));
    }

    @Test
    void aNamedVolumeKeepsItsDataForTheNextContainer() throws IOException {
        run("b", "echo kept > /data/f", "-v", "shared:/data");
        assertEquals("kept\n", run("b2", "cat /data/f", "-v", "shared:/data"));
    }

    @Test
    void namespacesOfAnotherContainer() throws IOException {
        String other = newId();
        Path x = configure(ownRootfs("other"), "0ther" + ID.substring(5), config("", List.of(), "", "sh", "-c",
                "hostname changed-in-x && touch /tmp/changed; sleep 1000"), "--cap-add", "SYS_ADMIN");
        capsa.ok("run", "--detach", "--bundle", x.toString(), other);
        for (int i = 0; i < 100 && !Files.exists(x.resolve("rootfs/tmp/changed")); i++) sleep(50);
        String out = run("b", "ps -o comm | grep -c sleep; hostname; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net", "--pid", "container:" + other,
                "--uts", "container:" + other, "--ipc", "container:" + other, "--network", "container:" + other);
        long pid = pidOf(capsa, other);
        assertEquals("1\nchanged-in-x\n" + Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/ipc")) + "\n"
                + Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")) + "\n", out);
    }

    @Test
    void theHostsNamespaces() throws IOException {
        String out = run("b", "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; readlink /proc/self/ns/net; hostname",
                "--pid", "host", "--ipc", "host", "--network", "host");
        String self = "/proc/" + ProcessHandle.current().pid() + "/ns/";
        assertEquals(Files.readSymbolicLink(Path.of(self + "pid")) + "\n" + Files.readSymbolicLink(Path.of(self + "ipc")) + "\n"
                + Files.readSymbolicLink(Path.of(self + "net")) + "\n" + Files.readString(Path.of("/proc/sys/kernel/hostname")), out);
    }

    @Test
    void aSeccompProfileFromAFileAndADevice() throws IOException {
        Path profile = Files.writeString(work.resolve("profile.json"), "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
                + "[{\"names\":[\"mkdir\",\"mkdirat\"],\"action\":\"SCMP_ACT_ERRNO\"}]}");
        String out = run("b", "mkdir /tmp/d 2>&1; echo x > /dev/mynull && echo written", "--security-opt", "seccomp=" + profile,
                "--device", "/dev/null:/dev/mynull");
        assertEquals("mkdir: can't create directory '/tmp/d': Operation not permitted\nwritten\n", out);
    }

    @Test
    void cpusBecomeAQuota() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", config("", List.of(), "", "sleep", "1000"), "--cpus", "0.5").toString(), id);
        long pid = pidOf(capsa, id);
        String quota = ContainerCgroup.read(pid, "cpu", "cpu.cfs_quota_us", "cpu.max");
        assertTrue(quota.equals("50000") || quota.equals("50000 100000"), quota);
    }
}
