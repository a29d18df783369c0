package io.capsa.engine.config;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Spec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The OCI config made from a container's Config and HostConfig, read back as the runtime reads it. */
class SpecBuilderTest {
    private static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    @TempDir
    Path dir;
    private Path rootfs, containerDir, volumes;

    @BeforeEach
    void image() throws IOException {
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nwww:x:33:34:www:/var/www:/bin/sh\n"
                + "app:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nwww:x:34:\nstaff:x:50:app,www\naudio:x:29:app\napp:x:1000:\n");
        Files.createDirectories(rootfs.resolve("var/cache/pkg"));
        Files.writeString(rootfs.resolve("var/cache/pkg/index"), "from the image");
        containerDir = Files.createDirectories(dir.resolve("data/containers/" + ID));
        volumes = dir.resolve("data/volumes");
    }

    private static ContainerConfig config(String user, List<String> cmd) {
        return new ContainerConfig("", "", user, false, true, true, false, false, false, List.of("A=1"), cmd, "busybox", List.of(),
                "", null, Map.of(), null, null, List.of());
    }

    private static HostConfig host(String... runFlags) {
        return io.capsa.cli.engine.RunFlagsParser.hostConfig(runFlags);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> build(ContainerConfig c, HostConfig h) {
        Map<String, Object> spec = SpecBuilder.build(new SpecInput(ID, "web", c, h, rootfs, containerDir, new ContainerResolver() {
            public int runningPid(String name) {
                if (!name.equals("db")) throw new CapsaException("no such container: " + name);
                return 4242;
            }

            public Path runningDirectory(String name) {
                runningPid(name);
                return dir.resolve("data/containers/db"); // never started: it mounts nothing
            }
        }));
        Spec.parse(Json.parse(Json.write(spec), "config.json")); // the runtime takes it
        return spec;
    }

    private Map<String, Object> build(String... runFlags) {
        return build(config("", List.of("sh")), host(runFlags));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }

    private static Map<String, Object> mountAt(Map<String, Object> spec, String destination) {
        for (Map<String, Object> m : list(spec, "mounts")) if (m.get("destination").equals(destination)) return m;
        return null;
    }

    private static List<String> namespaces(Map<String, Object> spec) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> n : list(map(spec, "linux"), "namespaces"))
            out.add(n.get("type") + (n.containsKey("path") ? "=" + n.get("path") : ""));
        return out;
    }

    @Test
    void dockersDefaults() throws IOException {
        Map<String, Object> spec = build();
        Map<String, Object> process = map(spec, "process");
        assertEquals(List.of("sh"), process.get("args"));
        assertEquals(List.of(SpecBuilder.DEFAULT_PATH, "HOSTNAME=0123456789ab", "A=1"), process.get("env"));
        assertEquals("/", process.get("cwd"));
        assertEquals(CapabilitySet.DOCKER_DEFAULT, map(process, "capabilities").get("bounding"));
        assertEquals(CapabilitySet.DOCKER_DEFAULT, map(process, "capabilities").get("effective"));
        assertEquals(false, process.get("noNewPrivileges"));
        assertEquals("0123456789ab", spec.get("hostname"));
        List<String> own = new ArrayList<>(List.of("pid", "network", "ipc", "uts", "mount"));
        if (CgroupLayout.detect().unifiedOnly()) own.add("cgroup"); // Docker's default: the host's on cgroup v1
        assertEquals(own, namespaces(spec));
        Map<String, Object> linux = map(spec, "linux");
        assertEquals(SpecBuilder.MASKED_PATHS, linux.get("maskedPaths"));
        assertEquals(SpecBuilder.READONLY_PATHS, linux.get("readonlyPaths"));
        assertEquals("SCMP_ACT_ERRNO", map(linux, "seccomp").get("defaultAction"));
        assertEquals(Map.of("allow", false, "access", "rwm"), list(map(linux, "resources"), "devices").getFirst());
        List<String> destinations = new ArrayList<>();
        for (Map<String, Object> m : list(spec, "mounts")) destinations.add((String) m.get("destination"));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
                "/etc/resolv.conf", "/etc/hostname", "/etc/hosts"), destinations);
        assertTrue(((List<?>) mountAt(spec, "/dev/shm").get("options")).contains("size=67108864"));
        assertTrue(((List<?>) mountAt(spec, "/sys").get("options")).contains("ro"));
        assertEquals("0123456789ab\n", Files.readString(containerDir.resolve("hostname")));
        assertEquals(containerDir.resolve("hosts").toString(), mountAt(spec, "/etc/hosts").get("source"));
        assertEquals(false, map(spec, "root").get("readonly"));
    }

    @Test
    void environmentAsDockerMakesIt() {
        ContainerConfig c = new ContainerConfig("", "", "", false, true, true, true, false, false,
                List.of("PATH=/mine", "HOSTNAME=mine", "TERM", "MORE=1"), List.of("sh"), "busybox", List.of(), "/srv", null, Map.of(), null, null, List.of());
        Map<String, Object> process = map(build(c, host()), "process");
        assertEquals(List.of("PATH=/mine", "HOSTNAME=mine", "MORE=1"), process.get("env"));
        assertEquals(true, process.get("terminal"));
        assertEquals("/srv", process.get("cwd"));
        assertTrue(Files.isDirectory(rootfs.resolve("srv")), "a missing working directory is made, as Docker does");
        ContainerConfig relative = new ContainerConfig("", "", "", false, true, true, false, false, false, List.of(), List.of("sh"),
                "busybox", List.of(), "app/../work", null, Map.of(), null, null, List.of());
        assertEquals("/work", map(build(relative, host()), "process").get("cwd"));
    }

    @Test
    void aWorkingDirectoryThroughALinkIsMadeInsideTheRoot() throws IOException {
        Files.createSymbolicLink(rootfs.resolve("escape"), dir.resolve("outside"));
        ContainerConfig c = new ContainerConfig("", "", "", false, true, true, false, false, false, List.of(), List.of("sh"),
                "busybox", List.of(), "/escape/sub", null, Map.of(), null, null, List.of());
        build(c, host());
        assertFalse(Files.exists(dir.resolve("outside")), "made on the host");
        assertTrue(Files.isDirectory(rootfs.resolve(dir.resolve("outside/sub").toString().substring(1))));
    }

    @Test
    void entrypointCmdAndInit() {
        ContainerConfig c = new ContainerConfig("", "", "", false, true, true, false, false, false, List.of(), List.of("-c", "x"),
                "busybox", List.of(), "", List.of("/bin/sh"), Map.of(), null, null, List.of());
        assertEquals(List.of("/sbin/docker-init", "--", "/bin/sh", "-c", "x"), map(build(c, host("--init")), "process").get("args"));
        assertEquals(List.of("bind", "ro"), mountAt(build(c, host("--init")), "/sbin/docker-init").get("options"));
        CapsaException e = assertThrows(CapsaException.class, () -> build(config("", null), host()));
        assertEquals("no command specified: the image has none and none was given", e.getMessage());
    }

    @Test
    void usersByNameThroughTheImagesFiles() {
        assertEquals(Map.of("uid", 33L, "gid", 34L, "additionalGids", List.of(50L)), map(map(build(config("www", List.of("sh")), host()), "process"), "user"));
        assertEquals(new ContainerUser(1000, 1000, List.of(50L, 29L)), ContainerUser.resolve(rootfs, "app"));
        assertEquals(new ContainerUser(1000, 50, List.of()), ContainerUser.resolve(rootfs, "app:staff"));
        assertEquals(new ContainerUser(33, 7, List.of()), ContainerUser.resolve(rootfs, "33:7"));
        assertEquals(new ContainerUser(4711, 0, List.of()), ContainerUser.resolve(rootfs, "4711"));
        assertEquals(new ContainerUser(0, 0, List.of()), ContainerUser.resolve(rootfs, ""));
        assertEquals("unable to find user nobody: no matching entries in passwd file",
                assertThrows(CapsaException.class, () -> ContainerUser.resolve(rootfs, "nobody")).getMessage());
        assertEquals("unable to find group wheel: no matching entries in group file",
                assertThrows(CapsaException.class, () -> ContainerUser.resolve(rootfs, "app:wheel")).getMessage());
        assertThrows(CapsaException.class, () -> ContainerUser.resolve(rootfs, "99999999999"));
    }

    @Test
    void aSymlinkedPasswdIsReadInsideTheRootNotOnTheHost() throws IOException {
        Path outside = Files.writeString(dir.resolve("passwd-of-the-host"), "evil:x:0:0::/:/bin/sh\n");
        Files.delete(rootfs.resolve("etc/passwd"));
        // absolute and relative links that would leave the root: both stay inside it
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), outside);
        assertThrows(CapsaException.class, () -> ContainerUser.resolve(rootfs, "evil"));
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../" + outside.getFileName()));
        assertThrows(CapsaException.class, () -> ContainerUser.resolve(rootfs, "evil"));
        // the same link resolved within the root finds the root's file of that name
        Files.writeString(rootfs.resolve("passwd-of-the-host"), "good:x:5:5::/:/bin/sh\n");
        assertEquals(new ContainerUser(5, 5, List.of()), ContainerUser.resolve(rootfs, "good"));
    }

    @Test
    void capabilitiesAddedDroppedAndPrivileged() {
        List<?> caps = (List<?>) map(map(build("--cap-add", "SYS_ADMIN", "--cap-drop", "net_raw"), "process"), "capabilities").get("bounding");
        assertTrue(caps.contains("CAP_SYS_ADMIN") && !caps.contains("CAP_NET_RAW") && caps.contains("CAP_CHOWN"));
        assertEquals(List.of("CAP_KILL"), CapabilitySet.of(host("--cap-drop", "ALL", "--cap-add", "kill")));
        List<String> allButChown = CapabilitySet.of(host("--cap-add", "ALL", "--cap-drop", "chown"));
        assertEquals(io.capsa.spec.Capabilities.NAMES.size() - 1, allButChown.size());
        Map<String, Object> privileged = build("--privileged");
        assertEquals(io.capsa.spec.Capabilities.NAMES, map(map(privileged, "process"), "capabilities").get("bounding"));
        Map<String, Object> linux = map(privileged, "linux");
        assertNull(linux.get("seccomp"));
        assertNull(linux.get("maskedPaths"));
        assertFalse(((List<?>) mountAt(privileged, "/sys").get("options")).contains("ro"));
        assertEquals(Map.of("allow", true, "access", "rwm"), list(map(linux, "resources"), "devices").getFirst());
        assertFalse(list(linux, "devices").isEmpty(), "the host's devices");
    }

    @Test
    void seccompFollowsTheCapabilities() {
        // Docker's profile allows mount and friends only with CAP_SYS_ADMIN
        assertFalse(allowed(build()).contains("mount"));
        assertTrue(allowed(build("--cap-add", "SYS_ADMIN")).contains("mount"));
        assertNull(map(build("--security-opt", "seccomp=unconfined"), "linux").get("seccomp"));
        assertEquals(true, map(build("--security-opt", "no-new-privileges"), "process").get("noNewPrivileges"));
    }

    @SuppressWarnings("unchecked")
    private static List<String> allowed(Map<String, Object> spec) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> r : list(map(map(spec, "linux"), "seccomp"), "syscalls"))
            if (r.get("action").equals("SCMP_ACT_ALLOW") && r.get("args") == null) names.addAll((List<String>) r.get("names"));
        return names;
    }

    @Test
    void namespacesOfTheHostAndOfOtherContainers() {
        Map<String, Object> spec = build("--pid", "container:db", "--ipc", "host", "--uts", "container:db", "--network", "host",
                "--cgroupns", "host", "--time-offset", "monotonic=86400");
        assertEquals(List.of("pid=/proc/4242/ns/pid", "uts=/proc/4242/ns/uts", "mount", "time"), namespaces(spec));
        assertNull(spec.get("hostname"), "a joined uts namespace keeps its names");
        assertEquals(Map.of("monotonic", Map.of("secs", 86400L, "nanosecs", 0L)), map(map(spec, "linux"), "timeOffsets"));
        assertEquals("/dev/shm", mountAt(spec, "/dev/shm").get("source"), "the host's IPC namespace with its shared memory");
        assertEquals("mqueue", mountAt(spec, "/dev/mqueue").get("type"));
        assertEquals("no such container: web2",
                assertThrows(CapsaException.class, () -> build("--network", "container:web2")).getMessage());
        Map<String, Object> remapped = build("--userns", "remap:100000:65536");
        assertEquals("user", namespaces(remapped).getFirst());
        assertEquals(List.of(Map.of("containerID", 0L, "hostID", 100000L, "size", 65536L)), map(remapped, "linux").get("uidMappings"));
        assertEquals("0 65535", map(map(remapped, "linux"), "sysctl").get("net.ipv4.ping_group_range"));
    }

    @Test
    void hostsHostnameAndResolvConf() throws IOException {
        ContainerConfig c = new ContainerConfig("box", "example.org", "", false, true, true, false, false, false, List.of(), List.of("sh"),
                "busybox", List.of(), "", null, Map.of(), null, null, List.of());
        Map<String, Object> spec = build(c, host("--add-host", "db:10.0.0.2", "--add-host", "v6:fe80::1", "--dns", "9.9.9.9",
                "--dns-search", "corp", "--dns-option", "ndots:2", "--read-only"));
        assertEquals("box", spec.get("hostname"));
        assertEquals("example.org", spec.get("domainname"));
        assertEquals(EtcFiles.LOCALHOST + "10.0.0.2\tdb\nfe80::1\tv6\n127.0.0.1\tbox\n", Files.readString(containerDir.resolve("hosts")));
        assertEquals("search corp\nnameserver 9.9.9.9\noptions ndots:2\n", Files.readString(containerDir.resolve("resolv.conf")));
        assertEquals(List.of("rbind", "rprivate", "ro"), mountAt(spec, "/etc/hosts").get("options"));
        assertEquals(true, map(spec, "root").get("readonly"));
    }

    @Test
    void resolvConfWithoutLoopbackServers() {
        String host = "# managed\nnameserver 127.0.0.53\nnameserver ::1\nsearch a b\noptions edns0\n";
        assertEquals("search a b\nnameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0\n", EtcFiles.resolvConf(host, host(), false));
        assertEquals("search a b\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0\n", EtcFiles.resolvConf(host, host(), true));
        assertEquals("nameserver 10.1.1.1\n", EtcFiles.resolvConf("nameserver 127.0.0.1\nnameserver 10.1.1.1\n", host(), false));
    }

    @Test
    void bindsVolumesAndTmpfs() throws IOException {
        Path data = dir.resolve("host-data");
        ContainerConfig c = new ContainerConfig("", "", "", false, true, true, false, false, false, List.of(), List.of("sh"),
                "busybox", List.of("/var/cache", "/data"), "", null, Map.of(), null, null, List.of());
        Map<String, Object> spec = build(c, host("-v", data + ":/data/sub:ro,rshared", "-v", "named:/data", "--tmpfs", "/run:size=1m,exec",
                "--mount", "type=tmpfs,target=/t,tmpfs-size=2k,tmpfs-mode=700", "--shm-size", "1m"));
        assertTrue(Files.isDirectory(data), "-v makes a missing host directory");
        assertEquals(Map.of("destination", "/data/sub", "type", "bind", "source", data.toString(), "options", List.of("rbind", "rshared", "ro")),
                mountAt(spec, "/data/sub"));
        assertEquals(volumes.resolve("named/_data").toString(), mountAt(spec, "/data").get("source"));
        Path anonymous = volumes.resolve(Volumes.anonymousName(ID, "/var/cache")).resolve("_data");
        assertEquals(anonymous.toString(), mountAt(spec, "/var/cache").get("source"), "the image's volume");
        assertEquals("from the image", Files.readString(anonymous.resolve("pkg/index")), "a new volume starts with the image's files");
        assertEquals(List.of("noexec", "nosuid", "nodev", "size=1m", "exec"), mountAt(spec, "/run").get("options"));
        assertEquals(List.of("nosuid", "nodev", "noexec", "size=2048", "mode=700"), mountAt(spec, "/t").get("options"));
        assertTrue(((List<?>) mountAt(spec, "/dev/shm").get("options")).contains("size=1048576"));
        List<String> order = new ArrayList<>();
        for (Map<String, Object> m : list(spec, "mounts")) order.add((String) m.get("destination"));
        assertTrue(order.indexOf("/data") < order.indexOf("/data/sub"), "parents before children: " + order);
        assertEquals(List.of(Volumes.anonymousName(ID, "/var/cache")), Volumes.anonymous(ID, c, host("-v", data + ":/data/sub", "-v", "named:/data")));
        assertEquals(List.of(Volumes.anonymousName(ID, "/a"), Volumes.anonymousName(ID, "/b"), Volumes.anonymousName(ID, "/var/cache")),
                Volumes.anonymous(ID, c, host("-v", "/a", "--mount", "type=volume,dst=/b", "--mount", "type=volume,src=nv,dst=/data")));
        Files.writeString(anonymous.resolve("pkg/index"), "changed in the volume");
        build(c, host("-v", "named:/data"));
        assertEquals("changed in the volume", Files.readString(anonymous.resolve("pkg/index")), "a volume in use is not copied over");
    }

    @Test
    void aMountOfTheUsersReplacesTheDefault() {
        Map<String, Object> spec = build("--tmpfs", "/dev/shm:size=2m", "--tmpfs", "/etc/hosts");
        assertEquals("tmpfs", mountAt(spec, "/dev/shm").get("source"));
        assertTrue(((List<?>) mountAt(spec, "/dev/shm").get("options")).contains("size=2m"));
        assertEquals("tmpfs", mountAt(spec, "/etc/hosts").get("type"));
        Map<String, Object> ownDev = build("--tmpfs", "/dev");
        assertNull(mountAt(ownDev, "/dev/pts"), "the user's /dev replaces everything under it");
    }

    @Test
    void resourcesDevicesSysctlsAndUlimits() {
        Map<String, Object> spec = build("--cpus", "1.5", "--cpu-shares", "1", "-m", "64m", "--memory-swap", "-1", "--pids-limit", "0",
                "--oom-kill-disable", "--blkio-weight", "500", "--device-read-bps", "/dev/loop0:1m", "--cpuset-cpus", "0",
                "--device", "/dev/null:/dev/mynull:r", "--sysctl", "net.ipv4.ip_forward=1", "--ulimit", "nofile=100:200");
        Map<String, Object> linux = map(spec, "linux"), resources = map(linux, "resources");
        assertEquals(Map.of("limit", 64L << 20, "swap", -1L, "disableOOMKiller", true), resources.get("memory"));
        assertEquals(Map.of("shares", 2L, "quota", 150000L, "period", 100000L, "cpus", "0"), resources.get("cpu"));
        assertNull(resources.get("pids"), "0 is not set");
        assertEquals(Map.of("weight", 500L, "throttleReadBpsDevice", List.of(Map.of("major", 7L, "minor", 0L, "rate", 1L << 20))), resources.get("blockIO"));
        assertEquals("/dev/mynull", list(linux, "devices").getFirst().get("path"));
        assertEquals(1L, list(linux, "devices").getFirst().get("major"));
        assertEquals(Map.of("allow", true, "type", "c", "major", 1L, "minor", 3L, "access", "r"), list(resources, "devices").getLast());
        assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "0", "net.ipv4.ping_group_range", "0 2147483647",
                "net.ipv4.ip_forward", "1"), linux.get("sysctl"));
        assertEquals(Map.of("net.ipv4.ip_unprivileged_port_start", "1024", "net.ipv4.ping_group_range", "0 2147483647"),
                map(build("--sysctl", "net.ipv4.ip_unprivileged_port_start=1024"), "linux").get("sysctl"), "the user's win");
        assertNull(map(build("--network", "host"), "linux").get("sysctl"), "not the host's network");
        assertEquals(List.of(Map.of("type", "RLIMIT_NOFILE", "hard", 200L, "soft", 100L)), map(spec, "process").get("rlimits"));
        assertEquals(Map.of("limit", -1L), map(map(build("--pids-limit", "-1"), "linux"), "resources").get("pids"));
        Map<String, Object> memoryOnly = map(map(map(build("-m", "64m"), "linux"), "resources"), "memory");
        assertEquals(ResourceSpec.SWAP_ACCOUNTED ? Map.of("limit", 64L << 20, "swap", 128L << 20) : Map.of("limit", 64L << 20), memoryOnly,
                "as much swap as memory where swap is accounted, as Docker");
    }
}
