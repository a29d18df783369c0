package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container's OCI config.json, as dockerd makes it from Config and HostConfig: Docker's default
 * capabilities, mounts, masked and read-only paths, device rules and seccomp profile, changed by the flags.
 */
public final class SpecBuilder {
    /** The cgroup the engine's containers' cgroups are made under, in every hierarchy. */
    public static final String CGROUP_PARENT = "capsa";

    private SpecBuilder() {}

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Docker's masked and read-only paths (moby's oci/defaults.go). */
    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /**
     * What dockerd sets in a network namespace of the container's own: any user may bind ports below 1024 and
     * send pings, as root in the container could anyway.
     */
    static final Map<String, String> NETWORK_SYSCTLS = new LinkedHashMap<>();

    static {
        NETWORK_SYSCTLS.put("net.ipv4.ip_unprivileged_port_start", "0");
        NETWORK_SYSCTLS.put("net.ipv4.ping_group_range", "0 2147483647");
    }

    private static boolean ownNetwork(HostConfig h) {
        return !h.networkMode().equals("host") && NamespaceModes.container(h.networkMode()) == null;
    }

    /** The OCI config.json, as Json.write writes it. Writes the /etc files into containerDir and makes volumes. */
    public static Map<String, Object> build(SpecInput in) {
        ContainerConfig c = in.config();
        HostConfig h = in.hostConfig();
        boolean netHost = h.networkMode().equals("host"), utsHost = h.utsMode().equals("host");
        boolean utsJoined = h.utsMode().startsWith("container:");
        String netOwner = NamespaceModes.container(h.networkMode());
        MountedFiles network = netOwner == null ? null : MountedFiles.of(in.containers().runningDirectory(netOwner));
        String networkHostname = network == null ? "" : network.hostname(); // Docker's joiner takes its network's
        String hostname = !c.hostname().isEmpty() ? c.hostname()
                : !networkHostname.isEmpty() ? networkHostname
                : netHost || utsHost ? EtcFiles.readOrEmpty(Path.of("/proc/sys/kernel/hostname")).strip()
                : in.id().substring(0, Math.min(12, in.id().length()));
        List<String> caps = CapabilitySet.of(h);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("ociVersion", "1.2.0");
        spec.put("process", process(in, hostname, caps));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("path", in.rootfs().toString());
        root.put("readonly", h.readonlyRootfs());
        spec.put("root", root);
        if (!utsHost && !utsJoined) { // a joined uts namespace keeps its owner's names
            spec.put("hostname", hostname);
            if (!c.domainname().isEmpty()) spec.put("domainname", c.domainname());
        }
        MountTable mounts = new MountTable(in).userMounts();
        if (network != null) mounts.sharedEtcFiles(network); // the other's, which its network's changes rewrite
        else mounts.etcFiles(hostname + "\n",
                EtcFiles.hosts(hostname, h.extraHosts(), netHost ? EtcFiles.readOrEmpty(Path.of("/etc/hosts")) : null),
                EtcFiles.resolvConf(EtcFiles.hostResolvConf(), h, netHost));
        if (Boolean.TRUE.equals(h.init())) mounts.init(InitBinary.find());
        List<Object> all = mounts.withDefaults(sharedShm(in), h.privileged());
        if (UsernsMode.remaps(h.usernsMode())) MountPoints.make(in.rootfs(), all);
        spec.put("mounts", all);
        spec.put("linux", linux(in, caps));
        return spec;
    }

    /** Where a shareable container's /dev/shm is mounted on the host (Docker's ShmPath, under its directory). */
    public static Path shmDirectory(Path containerDir) {
        return containerDir.resolve("mounts/shm");
    }

    /**
     * The host directory the container's /dev/shm is (null: a tmpfs of its own): the host's with its IPC namespace,
     * its own on the host when shareable, the other's with another's IPC namespace, when the other has one to share.
     */
    private static String sharedShm(SpecInput in) {
        String mode = in.hostConfig().ipcMode(), owner = NamespaceModes.container(mode);
        if (owner != null) return MountedFiles.of(in.containers().runningDirectory(owner)).source("/dev/shm");
        return switch (mode) {
            case "host" -> "/dev/shm";
            case "shareable" -> shmDirectory(in.containerDir()).toString();
            default -> null;
        };
    }

    private static Map<String, Object> process(SpecInput in, String hostname, List<String> caps) {
        ContainerConfig c = in.config();
        HostConfig h = in.hostConfig();
        List<String> args = new ArrayList<>();
        if (c.entrypoint() != null) args.addAll(c.entrypoint());
        if (c.cmd() != null) args.addAll(c.cmd());
        if (args.isEmpty()) throw new CapsaException("no command specified: the image has none and none was given");
        if (Boolean.TRUE.equals(h.init())) args = InitBinary.wrap(args);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("terminal", c.tty());
        ContainerUser user = ContainerUser.resolve(in.rootfs(), c.user());
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("uid", user.uid());
        u.put("gid", user.gid());
        if (!user.additionalGids().isEmpty()) u.put("additionalGids", user.additionalGids());
        p.put("user", u);
        p.put("args", args);
        p.put("env", env(c, hostname));
        // an image's WorkingDir may be relative: to the root, as dockerd takes it
        String cwd = Path.of("/").resolve(c.workingDir()).normalize().toString();
        long[] remap = UsernsMode.parse(h.usernsMode());
        RootPath.makeDirectories(in.rootfs(), cwd, remap == null ? 0 : remap[0]);
        p.put("cwd", cwd);
        Map<String, Object> capabilities = new LinkedHashMap<>();
        for (String set : List.of("bounding", "effective", "permitted")) capabilities.put(set, caps);
        p.put("capabilities", capabilities);
        List<Object> rlimits = new ArrayList<>();
        for (HostConfig.Ulimit l : h.ulimits()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("type", "RLIMIT_" + l.name().toUpperCase(Locale.ROOT));
            r.put("hard", l.hard());
            r.put("soft", l.soft());
            rlimits.add(r);
        }
        if (!rlimits.isEmpty()) p.put("rlimits", rlimits);
        p.put("noNewPrivileges", SecurityOpts.noNewPrivileges(h.securityOpt()));
        return p;
    }

    /** Docker's: PATH, HOSTNAME and (with a terminal) TERM, each replaced in place by the config's or added; NAME alone removes NAME. */
    static List<String> env(ContainerConfig c, String hostname) {
        List<String> env = new ArrayList<>(List.of(DEFAULT_PATH, "HOSTNAME=" + hostname));
        if (c.tty()) env.add("TERM=xterm");
        for (String e : c.env()) {
            String name = ContainerConfig.name(e);
            int at = -1;
            for (int i = 0; i < env.size() && at < 0; i++) if (ContainerConfig.name(env.get(i)).equals(name)) at = i;
            if (!e.contains("=")) {
                if (at >= 0) env.remove(at);
            } else if (at >= 0) {
                env.set(at, e);
            } else {
                env.add(e);
            }
        }
        return env;
    }

    private static Map<String, Object> linux(SpecInput in, List<String> caps) {
        HostConfig h = in.hostConfig();
        Map<String, Object> linux = new LinkedHashMap<>();
        linux.put("namespaces", NamespaceModes.namespaces(h, in.containers()));
        UsernsMode.mappings(h.usernsMode(), linux);
        if (h.timeOffsets() != null && !h.timeOffsets().isEmpty()) {
            Map<String, Object> offsets = new LinkedHashMap<>();
            for (Map.Entry<String, Long> o : h.timeOffsets().entrySet()) offsets.put(o.getKey(), Map.of("secs", o.getValue(), "nanosecs", 0L));
            linux.put("timeOffsets", offsets);
        }
        Map<String, String> sysctl = new LinkedHashMap<>();
        if (ownNetwork(h)) sysctl.putAll(NETWORK_SYSCTLS);
        long[] remap = UsernsMode.parse(h.usernsMode());
        // the kernel takes only groups mapped into the user namespace
        if (ownNetwork(h) && remap != null) sysctl.put("net.ipv4.ping_group_range", "0 " + (remap[1] - 1));
        sysctl.putAll(h.sysctls());
        if (!sysctl.isEmpty()) linux.put("sysctl", sysctl);
        List<Object> devices = new ArrayList<>();
        List<Object> rules = new ArrayList<>();
        DeviceRules.of(h, devices, rules);
        if (!devices.isEmpty()) linux.put("devices", devices);
        Map<String, Object> resources = ResourceSpec.of(h.resources());
        resources.put("devices", rules);
        linux.put("resources", resources);
        linux.put("cgroupsPath", "/" + CGROUP_PARENT + "/" + in.id());
        Map<String, Object> seccomp = SecurityOpts.seccomp(h, caps);
        if (seccomp != null) linux.put("seccomp", seccomp);
        if (!h.privileged()) {
            linux.put("maskedPaths", MASKED_PATHS);
            linux.put("readonlyPaths", READONLY_PATHS);
        }
        return linux;
    }
}
