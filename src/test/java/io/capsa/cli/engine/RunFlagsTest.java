package io.capsa.cli.engine;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.CreateRequest;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.ResourceLimits;
import io.capsa.engine.config.RestartPolicy;
import io.capsa.network.Attachment;
import io.capsa.network.PortMapping;
import io.capsa.spec.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docker run's flags into a CreateRequest; each bad value one clear error. */
class RunFlagsTest {
    private CreateRequest parse(String... argv) {
        Usage usage = new Usage("Create and run a new container from an image", "IMAGE [COMMAND] [ARG...]", RunFlags.flags())
                .endOptionsAtFirstArgument();
        return RunFlags.request(new Args(usage).parse(List.of(argv)));
    }

    /** The one line the user gets, which names what was wrong. */
    private void refused(String expected, String... argv) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> parse(argv));
        assertTrue(e.getMessage().contains(expected), "\"" + e.getMessage() + "\" should say \"" + expected + "\"");
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void imageAndCommandEndTheOptions() {
        CreateRequest r = parse("-d", "--name", "web", "busybox", "sh", "-c", "echo -e hi");
        assertEquals("web", r.name());
        assertEquals("busybox", r.config().image());
        assertEquals(List.of("sh", "-c", "echo -e hi"), r.config().cmd());
        assertFalse(r.config().attachStdout());
        assertNull(parse("busybox").config().cmd(), "no command: the image's");
        assertNull(parse("busybox").name());
        refused("missing IMAGE", "-d");
    }

    @Test
    void interactiveTerminalAndRemovalAreRecorded() {
        ContainerConfig c = parse("-it", "--rm", "busybox").config();
        assertTrue(c.tty() && c.openStdin() && c.attachStdin() && c.stdinOnce() && c.attachStdout());
        ContainerConfig detached = parse("-dit", "busybox").config();
        assertTrue(detached.openStdin() && detached.tty());
        assertFalse(detached.attachStdin() || detached.stdinOnce() || detached.attachStdout());
        assertTrue(parse("--rm", "busybox").hostConfig().autoRemove());
    }

    @Test
    void namesAsDockerTakesThem() {
        assertEquals("db-1.a_b", parse("--name", "/db-1.a_b", "busybox").name());
        refused("invalid container name \"a b\"", "--name", "a b", "busybox");
        refused("invalid container name \"x\"", "--name", "x", "busybox");
        refused("invalid container name \"-x\"", "--name", "-x", "busybox");
    }

    @Test
    void environmentFromFlagsFilesAndTheCallersEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("env");
        Files.writeString(file, "# comment\n\n  A=1\nB=two words\nPATH\nNOT_SET_ANYWHERE_42\n");
        List<String> env = parse("--env-file", file.toString(), "-e", "C=3", "-e", "HOME", "-e", "D=", "busybox").config().env();
        assertEquals(List.of("A=1", "B=two words", "PATH=" + System.getenv("PATH"), "C=3", "HOME=" + System.getenv("HOME"), "D="), env);
        refused("invalid environment variable \"=x\"", "-e", "=x", "busybox");
        refused("--env-file: open /nonexistent/env: no such file or directory", "--env-file", "/nonexistent/env", "busybox");
        Files.writeString(file, "A B=1\n");
        refused("line 1: variable \"A B\" contains whitespaces", "--env-file", file.toString(), "busybox");
    }

    @Test
    void entrypointGivenOrResetAndLabels() {
        assertEquals(List.of("/bin/sh -c"), parse("--entrypoint", "/bin/sh -c", "busybox").config().entrypoint());
        assertEquals(List.of(), parse("--entrypoint", "", "busybox").config().entrypoint());
        assertNull(parse("busybox").config().entrypoint());
        assertEquals(Map.of("a", "1", "b", "", "c", "x=y"), parse("-l", "a=1", "--label", "b", "--label", "c=x=y", "busybox").config().labels());
        refused("--label: invalid label \"=1\"", "--label", "=1", "busybox");
    }

    @Test
    void workdirUserHostnameStopSignal() {
        ContainerConfig c = parse("-w", "/srv", "-u", "1000:100", "--hostname", "box.example", "--stop-signal", "SIGUSR1",
                "--stop-timeout", "3", "busybox").config();
        assertEquals("/srv", c.workingDir());
        assertEquals("1000:100", c.user());
        assertEquals("box.example", c.hostname());
        assertEquals("SIGUSR1", c.stopSignal());
        assertEquals(3, c.stopTimeout());
        refused("the working directory \"srv\" is invalid, it needs to be an absolute path", "-w", "srv", "busybox");
        refused("--hostname: invalid hostname \"a_b\"", "--hostname", "a_b", "busybox");
        refused("--stop-signal: unknown signal \"SIGFOO\"", "--stop-signal", "SIGFOO", "busybox");
        refused("--stop-timeout: \"soon\" is not a number", "--stop-timeout", "soon", "busybox");
    }

    @Test
    void volumesMountsAndTmpfs(@TempDir Path dir) {
        HostConfig h = parse("-v", dir + ":/data:ro", "-v", "cache:/cache", "-v", "/anon", "--mount",
                "type=bind,source=" + dir + ",target=/b,readonly,bind-propagation=rslave", "--mount", "type=volume,target=/v,volume-nocopy",
                "--mount", "type=tmpfs,dst=/t,tmpfs-size=1m,tmpfs-mode=1770", "--tmpfs", "/run:size=64m,exec", "busybox").hostConfig();
        assertEquals(List.of(dir + ":/data:ro", "cache:/cache", "/anon"), h.binds());
        assertEquals(List.of(new HostConfig.MountSpec("bind", dir.toString(), "/b", true, "rslave", false, 0, 0),
                new HostConfig.MountSpec("volume", "", "/v", false, "", true, 0, 0),
                new HostConfig.MountSpec("tmpfs", "", "/t", false, "", false, 1 << 20, 01770)), h.mounts());
        assertEquals(Map.of("/run", "size=64m,exec"), h.tmpfs());
    }

    @Test
    void badMountsAreRefused(@TempDir Path dir) {
        refused("-v: invalid volume specification: \"/a:ro\"", "-v", "/a:ro", "busybox");
        refused("-v: invalid mode \"rx\"", "-v", "/a:/b:rx", "busybox");
        refused("-v: invalid mode \"ro,rw\"", "-v", "/a:/b:ro,rw", "busybox");
        refused("\"./x\" includes invalid characters for a local volume name", "-v", "./x:/b", "busybox");
        refused("the mount path \"b\" must be absolute", "-v", "/a:b", "busybox");
        refused("the destination can't be '/'", "-v", "/a:/", "busybox");
        refused("duplicate mount point: /b", "-v", "/a:/b", "--tmpfs", "/b", "busybox");
        refused("--mount \"type=bind,target=/b\": source is required", "--mount", "type=bind,target=/b", "busybox");
        refused("bind source path does not exist: /nonexistent", "--mount", "type=bind,src=/nonexistent,target=/b", "busybox");
        refused("target is required", "--mount", "type=volume,src=v", "busybox");
        refused("unknown type \"nfs\"", "--mount", "type=nfs,target=/b", "busybox");
        refused("unknown option \"colour\"", "--mount", "type=tmpfs,target=/b,colour=red", "busybox");
        refused("invalid tmpfs-mode \"999\"", "--mount", "type=tmpfs,target=/b,tmpfs-mode=999", "busybox");
        refused("invalid field \"target\" must be a key=value pair", "--mount", "type=tmpfs,target", "busybox");
        refused("--tmpfs \"/t:sise=1m\": unknown option \"sise=1m\"", "--tmpfs", "/t:sise=1m", "busybox");
    }

    @Test
    void namespaceModes() {
        HostConfig h = parse("--pid", "host", "--ipc", "container:db", "--uts", "container:db", "--network", "container:db",
                "--cgroupns", "host", "busybox").hostConfig();
        assertEquals(List.of("host", "container:db", "container:db", "container:db", "host", ""),
                List.of(h.pidMode(), h.ipcMode(), h.utsMode(), h.networkMode(), h.cgroupnsMode(), h.usernsMode()));
        assertEquals("remap:100000:65536", parse("--userns", "remap:100000:65536", "busybox").hostConfig().usernsMode());
        HostConfig d = parse("busybox").hostConfig();
        String cgroupns = CgroupLayout.detect().unifiedOnly() ? "private" : "host"; // as Docker's daemon
        assertEquals(List.of("", "private", "", "bridge", cgroupns, ""),
                List.of(d.pidMode(), d.ipcMode(), d.utsMode(), d.networkMode(), d.cgroupnsMode(), d.usernsMode()));
        refused("--pid: invalid mode \"hots\"", "--pid", "hots", "busybox");
        refused("--ipc: container: needs a container name", "--ipc", "container:", "busybox");
        refused("--cgroupns: invalid mode \"container:x\"", "--cgroupns", "container:x", "busybox");
        refused("--userns: invalid mode \"keep-id\"", "--userns", "keep-id", "busybox");
        refused("--userns: \"remap:0\" is not remap:HOSTID[:SIZE]", "--userns", "remap:0", "busybox");
        refused("--network host cannot be used with a remapped user namespace", "--userns", "remap:100000", "--network", "host", "busybox");
        refused("conflicting options: hostname and the UTS mode", "--uts", "host", "-h", "x1", "busybox");
        refused("conflicting options: dns and the network mode", "--network", "container:db", "--dns", "1.1.1.1", "busybox");
        refused("conflicting options: dns and the network mode", "--network", "container:db", "--dns-search", "example.org", "busybox");
        refused("conflicting options: hostname and the network mode", "--network", "container:db", "-h", "x1", "busybox");
        refused("conflicting options: custom host-to-IP mapping and the network mode", "--network", "container:db", "--add-host", "a:10.0.0.1", "busybox");
        refused("conflicting options: port publishing and the container type network mode", "--network", "container:db", "-P", "busybox");
        refused("conflicting options: mac-address and the network mode", "--network", "container:db", "--mac-address", "02:42:ac:11:00:02", "busybox");
    }

    @Test
    void networksAndPublishedPorts() {
        HostConfig d = parse("busybox").hostConfig();
        assertEquals(List.of(Attachment.of("bridge")), d.networks(), "the default network");
        HostConfig h = parse("--network", "web", "--network", "db", "--network-alias", "api", "--ip", "10.1.2.3",
                "-p", "127.0.0.1:8080:80", "-p", "53/udp", "-P", "busybox").hostConfig();
        assertEquals("web", h.networkMode());
        assertEquals(List.of(new Attachment("web", List.of("api"), "10.1.2.3", null), Attachment.of("db")), h.networks());
        assertEquals(List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp"), new PortMapping("", 0, 53, "udp")), h.portBindings());
        assertTrue(h.publishAllPorts());
        assertEquals(List.of(), parse("--net", "host", "busybox").hostConfig().networks());
        assertEquals("host", parse("--net", "host", "busybox").hostConfig().networkMode());
        refused("--network none cannot be combined with other networks", "--network", "none", "--network", "web", "busybox");
        refused("published ports need a network: not with --network host", "--network", "host", "-p", "80", "busybox");
        refused("--ip needs a network: not with --network none", "--network", "none", "--ip", "10.0.0.2", "busybox");
        refused("invalid port mapping \"80:http\"", "-p", "80:http", "busybox");
        refused("--network \"web\" is given twice", "--network", "web", "--network", "web", "busybox");
    }

    @Test
    void mountNamespaceOfAnotherContainerIsRefusedWithTheReason() {
        refused("--mount-ns=container: is refused: a container's start mounts its root", "--mount-ns", "container:db", "busybox");
        assertEquals("private", parse("--mount-ns", "private", "busybox").hostConfig().mountNsMode());
    }

    @Test
    void capabilitiesAndSecurityOptions(@TempDir Path dir) throws IOException {
        HostConfig h = parse("--cap-add", "sys_admin", "--cap-add", "ALL", "--cap-drop", "CAP_NET_RAW", "--privileged",
                "--security-opt", "no-new-privileges", "--security-opt", "seccomp=unconfined", "busybox").hostConfig();
        assertEquals(List.of("CAP_SYS_ADMIN", "ALL"), h.capAdd());
        assertEquals(List.of("CAP_NET_RAW"), h.capDrop());
        assertTrue(h.privileged());
        assertEquals(List.of("no-new-privileges", "seccomp=unconfined"), h.securityOpt());
        Path profile = dir.resolve("p.json");
        String json = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}";
        Files.writeString(profile, json);
        assertEquals(List.of("seccomp=" + json), parse("--security-opt", "seccomp=" + profile, "busybox").hostConfig().securityOpt());
        refused("--cap-add: unknown capability \"CAP_FLY\"", "--cap-add", "CAP_FLY", "busybox");
        refused("--security-opt: unknown option \"seccom=x\"", "--security-opt", "seccom=x", "busybox");
        refused("opening seccomp profile (/nonexistent.json) failed: no such file or directory", "--security-opt", "seccomp=/nonexistent.json", "busybox");
        Files.writeString(profile, "{\"defaultAction\":");
        refused("seccomp profile: malformed JSON", "--security-opt", "seccomp=" + profile, "busybox");
        refused("--security-opt: apparmor is not supported", "--security-opt", "apparmor=docker-default", "busybox");
        refused("invalid no-new-privileges value \"yes\"", "--security-opt", "no-new-privileges=yes", "busybox");
    }

    @Test
    void devices() {
        assertEquals(List.of(new HostConfig.DeviceMapping("/dev/null", "/dev/null", "rwm"),
                        new HostConfig.DeviceMapping("/dev/zero", "/dev/z", "r"), new HostConfig.DeviceMapping("/dev/full", "/dev/full", "rw")),
                parse("--device", "/dev/null", "--device", "/dev/zero:/dev/z:r", "--device", "/dev/full:rw", "busybox").hostConfig().devices());
        refused("--device: \"/dev/nonexistent\": no such file or directory", "--device", "/dev/nonexistent", "busybox");
        refused("--device: \"/etc/passwd\" is not a device", "--device", "/etc/passwd", "busybox");
        refused("--device: invalid device specification \"/dev/null:/dev/n:rx\"", "--device", "/dev/null:/dev/n:rx", "busybox");
    }

    @Test
    void ulimitsRestartShmSysctlsHostsAndDns() {
        HostConfig h = parse("--ulimit", "nofile=1024:2048", "--ulimit", "nproc=-1", "--restart", "on-failure:3", "--shm-size", "1g",
                "--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.shmmax=1000", "--add-host", "db:10.0.0.2",
                "--add-host", "v6=::1", "--dns", "1.1.1.1", "--dns-search", "example.org", "--init", "busybox").hostConfig();
        assertEquals(List.of(new HostConfig.Ulimit("nofile", 1024, 2048), new HostConfig.Ulimit("nproc", -1, -1)), h.ulimits());
        assertEquals(new RestartPolicy("on-failure", 3), h.restartPolicy());
        assertEquals(1L << 30, h.shmSize());
        assertEquals(Map.of("net.ipv4.ip_forward", "1", "kernel.shmmax", "1000"), h.sysctls());
        assertEquals(List.of("db:10.0.0.2", "v6:::1"), h.extraHosts());
        assertEquals(List.of("1.1.1.1"), h.dns());
        assertEquals(List.of("example.org"), h.dnsSearch());
        assertEquals(Boolean.TRUE, h.init());
        assertNull(parse("busybox").hostConfig().init());
        assertEquals(RestartPolicy.NO, parse("busybox").hostConfig().restartPolicy());
        refused("--ulimit: invalid ulimit type \"files\"", "--ulimit", "files=1", "busybox");
        refused("--ulimit: soft limit must be less than or equal to hard limit: 2 > 1", "--ulimit", "nofile=2:1", "busybox");
        refused("--restart: invalid restart policy \"sometimes\"", "--restart", "sometimes", "busybox");
        refused("maximum retry count cannot be used with restart policy \"always\"", "--restart", "always:3", "busybox");
        refused("conflicting options: --restart and --rm", "--restart", "always", "--rm", "busybox");
        refused("--shm-size: invalid size \"lots\"", "--shm-size", "lots", "busybox");
        refused("--sysctl: \"kernel.hostname\" is not allowed", "--sysctl", "kernel.hostname=x", "busybox");
        refused("--sysctl: \"net.ipv4.ip_forward\" is not allowed with the host's network", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "busybox");
        refused("--add-host: invalid IP address in add-host: \"10.0.0.256\"", "--add-host", "db:10.0.0.256", "busybox");
        refused("--add-host: bad format for add-host: \"db\"", "--add-host", "db", "busybox");
        refused("--dns: \"dns.google\" is not an IP address", "--dns", "dns.google", "busybox");
    }

    @Test
    void resources() {
        ResourceLimits r = parse("--cpus", "0.5", "--cpu-shares", "512", "--cpuset-cpus", "0", "-m", "64m", "--memory-swap", "128m",
                "--memory-reservation", "32m", "--oom-kill-disable", "--pids-limit", "50", "--blkio-weight", "300",
                "--device-read-bps", "/dev/loop0:1mb", "--device-write-iops", "/dev/loop0:100", "busybox").hostConfig().resources();
        assertEquals(new ResourceLimits(512, 64 << 20, 500_000_000, 0, 0, "0", "", 32 << 20, 128 << 20, true, 50L, 300,
                List.of(new ResourceLimits.ThrottleDevice("/dev/loop0", 1 << 20)), List.of(), List.of(),
                List.of(new ResourceLimits.ThrottleDevice("/dev/loop0", 100))), r);
        ResourceLimits q = parse("--cpu-quota", "50000", "--cpu-period", "100000", "--memory-swap", "-1", "-m", "1g", "busybox").hostConfig().resources();
        assertEquals(List.of(50000L, 100000L, -1L), List.of(q.cpuQuota(), q.cpuPeriod(), q.memorySwap()));
        refused("--cpus: \"many\" is not a number", "--cpus", "many", "busybox");
        refused("--cpus: range of CPUs is from 0.01 to", "--cpus", "100000", "busybox");
        refused("conflicting options: --cpus and --cpu-period", "--cpus", "1", "--cpu-period", "100000", "busybox");
        refused("--cpu-period: CPU cfs period can not be less than 1ms", "--cpu-period", "10", "busybox");
        refused("--cpu-quota: CPU cfs quota can not be less than 1ms", "--cpu-quota", "10", "busybox");
        refused("--cpu-shares: \"x\" is not a number", "--cpu-shares", "x", "busybox");
        refused("--cpuset-cpus: invalid value \"0-\"", "--cpuset-cpus", "0-", "busybox");
        refused("--cpuset-cpus: requested 4096 is not available", "--cpuset-cpus", "4096", "busybox");
        refused("--memory: minimum memory limit allowed is 6MB", "-m", "1m", "busybox");
        refused("--memory: invalid size \"64q\"", "-m", "64q", "busybox");
        refused("--memory-swap: you should always set the memory limit", "--memory-swap", "1g", "busybox");
        refused("--memory-swap: minimum memoryswap limit should be larger than memory limit", "-m", "1g", "--memory-swap", "512m", "busybox");
        refused("memory limit can not be less than memory reservation limit", "-m", "64m", "--memory-reservation", "128m", "busybox");
        refused("--blkio-weight: range of blkio weight is from 10 to 1000", "--blkio-weight", "5", "busybox");
        refused("--device-read-bps: bad format \"loop0:1mb\"", "--device-read-bps", "loop0:1mb", "busybox");
        refused("--device-read-bps: \"/dev/null\" is not a block device", "--device-read-bps", "/dev/null:1mb", "busybox");
        refused("--device-write-iops: invalid rate \"fast\"", "--device-write-iops", "/dev/loop0:fast", "busybox");
    }

    @Test
    void timeNamespaceAndOffsets() {
        assertNull(parse("busybox").hostConfig().timeOffsets());
        assertEquals(Map.of(), parse("--timens", "busybox").hostConfig().timeOffsets());
        assertEquals(Map.of("monotonic", 86400L, "boottime", -5L),
                parse("--time-offset", "monotonic=86400", "--time-offset", "boottime=-5", "busybox").hostConfig().timeOffsets());
        refused("--time-offset: unknown clock \"realtime\"", "--time-offset", "realtime=5", "busybox");
        refused("--time-offset: \"monotonic=soon\" is not CLOCK=SECONDS", "--time-offset", "monotonic=soon", "busybox");
    }

    @Test
    void theRequestSurvivesItsJson(@TempDir Path dir) {
        CreateRequest r = parse("-it", "-e", "A=1", "--entrypoint", "", "-v", dir + ":/d", "--mount", "type=tmpfs,target=/t,tmpfs-size=1k",
                "--cap-add", "NET_ADMIN", "--device", "/dev/null:/dev/n:r", "--ulimit", "nofile=10:20", "--restart", "on-failure:2",
                "--sysctl", "net.core.somaxconn=10", "--time-offset", "monotonic=10", "--cpus", "1", "-m", "64m", "--pids-limit", "-1",
                "--device-read-bps", "/dev/loop0:1k", "--init", "--stop-timeout", "4", "-l", "x=y", "busybox", "true");
        Map<?, ?> config = (Map<?, ?>) Json.parse(Json.write(r.config().toJson()), "config").raw();
        Map<?, ?> host = (Map<?, ?>) Json.parse(Json.write(r.hostConfig().toJson()), "host").raw();
        assertEquals(r.config(), ContainerConfig.fromJson(config));
        assertEquals(r.hostConfig(), HostConfig.fromJson(host));
        assertEquals(Map.of("Name", "on-failure", "MaximumRetryCount", 2L), host.get("RestartPolicy"));
        assertEquals(1_000_000_000L, host.get("NanoCpus"));
    }
}
