package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.UsageException;
import io.capsa.engine.config.CapabilitySet;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.CreateRequest;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.HostDevice;
import io.capsa.engine.config.IpAddresses;
import io.capsa.engine.config.MountFlags;
import io.capsa.engine.config.NamespaceModes;
import io.capsa.engine.config.RestartPolicy;
import io.capsa.engine.config.SeccompProfiles;
import io.capsa.engine.config.SecurityOpts;
import io.capsa.engine.config.Sizes;
import io.capsa.engine.config.UsernsMode;
import io.capsa.linux.FileText;
import io.capsa.network.Attachment;
import io.capsa.network.PortMapping;
import io.capsa.linux.Signals;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The flags of `run` and `create`, as docker's, and the CreateRequest they make: every value checked
 * here, each bad one refused with one line, before anything is created.
 */
public final class RunFlags {
    private RunFlags() {}


    public static Flag[] flags() {
        return new Flag[] {
                Flag.ofBoolean("-d, --detach", "Run container in background and print container ID"),
                Flag.ofBoolean("-i, --interactive", "Keep STDIN open even if not attached"),
                Flag.ofBoolean("-t, --tty", "Allocate a pseudo-TTY"),
                Flag.ofBoolean("--rm", "Automatically remove the container when it exits"),
                Flag.ofText("--name", "NAME", "Assign a name to the container"),
                Flag.ofText("-e, --env", "NAME[=VALUE]", "Set environment variables").repeatable(),
                Flag.ofText("--env-file", "FILE", "Read in a file of environment variables").repeatable(),
                Flag.ofText("-w, --workdir", "DIR", "Working directory inside the container"),
                Flag.ofText("-u, --user", "USER[:GROUP]", "Username or UID (format: <name|uid>[:<group|gid>])"),
                Flag.ofText("-h, --hostname", "NAME", "Container host name"),
                Flag.ofText("--domainname", "NAME", "Container NIS domain name"),
                Flag.ofText("--entrypoint", "CMD", "Overwrite the default ENTRYPOINT of the image"),
                Flag.ofText("-l, --label", "KEY[=VALUE]", "Set meta data on a container").repeatable(),
                Flag.ofText("-v, --volume", "[SRC:]DST[:OPTS]", "Bind mount a volume").repeatable(),
                Flag.ofText("--mount", "SPEC", "Attach a filesystem mount to the container").repeatable(),
                Flag.ofText("--tmpfs", "DST[:OPTS]", "Mount a tmpfs directory").repeatable(),
                Flag.ofBoolean("--read-only", "Mount the container's root filesystem as read only"),
                Flag.ofText("--pid", "MODE", "PID namespace to use (host, container:NAME)"),
                Flag.ofText("--ipc", "MODE", "IPC mode to use (none, private, shareable, host, container:NAME)"),
                Flag.ofText("--uts", "MODE", "UTS namespace to use (host, container:NAME)"),
                Flag.ofText("--userns", "MODE", "User namespace to use (host, remap:HOSTID[:SIZE])"),
                Flag.ofText("--cgroupns", "MODE", "Cgroup namespace to use (host, private)"),
                Flag.ofText("--network, --net", "NETWORK", "Connect a container to a network (bridge, a network's name, none, host, container:NAME)").repeatable(),
                Flag.ofText("--network-alias", "ALIAS", "Another name of the container on its (first) network").repeatable(),
                Flag.ofText("--ip", "ADDRESS", "The container's IPv4 address on its (first) network"),
                Flag.ofText("--mac-address", "ADDRESS", "The container's MAC address on its (first) network"),
                Flag.ofText("-p, --publish", "[IP:][HOST_PORT:]PORT[/PROTO]", "Publish a container's port to the host").repeatable(),
                Flag.ofBoolean("-P, --publish-all", "Publish every exposed port to a free host port"),
                Flag.ofText("--cap-add", "CAP", "Add Linux capabilities").repeatable(),
                Flag.ofText("--cap-drop", "CAP", "Drop Linux capabilities").repeatable(),
                Flag.ofBoolean("--privileged", "Give extended privileges to this container"),
                Flag.ofText("--device", "HOST[:CONTAINER][:RWM]", "Add a host device to the container").repeatable(),
                Flag.ofText("--security-opt", "OPT", "Security options (no-new-privileges, seccomp=unconfined|FILE)").repeatable(),
                Flag.ofText("--ulimit", "NAME=SOFT[:HARD]", "Ulimit options").repeatable(),
                Flag.ofBoolean("--init", "Run an init inside the container that forwards signals and reaps processes"),
                Flag.ofText("--stop-signal", "SIGNAL", "Signal to stop the container"),
                Flag.ofInt("--stop-timeout", "SECONDS", "Timeout (in seconds) to stop a container"),
                Flag.ofText("--restart", "POLICY", "Restart policy (no, on-failure[:N], always, unless-stopped)"),
                Flag.ofText("--shm-size", "SIZE", "Size of /dev/shm"),
                Flag.ofText("--sysctl", "KEY=VALUE", "Sysctl options").repeatable(),
                Flag.ofText("--add-host", "HOST:IP", "Add a custom host-to-IP mapping").repeatable(),
                Flag.ofText("--dns", "IP", "Set custom DNS servers").repeatable(),
                Flag.ofText("--dns-search", "DOMAIN", "Set custom DNS search domains").repeatable(),
                Flag.ofText("--dns-option", "OPT", "Set DNS options").repeatable(),
                Flag.ofText("--cpus", "NUMBER", "Number of CPUs"),
                Flag.ofLong("-c, --cpu-shares", "N", "CPU shares (relative weight)"),
                Flag.ofLong("--cpu-quota", "MICROSECONDS", "Limit CPU CFS (Completely Fair Scheduler) quota"),
                Flag.ofLong("--cpu-period", "MICROSECONDS", "Limit CPU CFS (Completely Fair Scheduler) period"),
                Flag.ofText("--cpuset-cpus", "LIST", "CPUs in which to allow execution (0-3, 0,1)"),
                Flag.ofText("--cpuset-mems", "LIST", "MEMs in which to allow execution (0-3, 0,1)"),
                Flag.ofText("-m, --memory", "SIZE", "Memory limit"),
                Flag.ofText("--memory-swap", "SIZE", "Swap limit equal to memory plus swap: -1 to enable unlimited swap"),
                Flag.ofText("--memory-reservation", "SIZE", "Memory soft limit"),
                Flag.ofBoolean("--oom-kill-disable", "Disable OOM Killer"),
                Flag.ofLong("--pids-limit", "N", "Tune container pids limit (-1 for unlimited)"),
                Flag.ofInt("--blkio-weight", "N", "Block IO (relative weight), between 10 and 1000, or 0 to disable"),
                Flag.ofText("--device-read-bps", "PATH:RATE", "Limit read rate (bytes per second) from a device").repeatable(),
                Flag.ofText("--device-write-bps", "PATH:RATE", "Limit write rate (bytes per second) to a device").repeatable(),
                Flag.ofText("--device-read-iops", "PATH:RATE", "Limit read rate (IO per second) from a device").repeatable(),
                Flag.ofText("--device-write-iops", "PATH:RATE", "Limit write rate (IO per second) to a device").repeatable(),
                Flag.ofBoolean("--timens", "Run in a time namespace of its own (capsa)"),
                Flag.ofText("--time-offset", "CLOCK=SECONDS", "Offset of monotonic or boottime in the time namespace (capsa; implies --timens)").repeatable(),
                Flag.ofText("--mount-ns", "MODE", "Mount namespace (capsa: private; container:NAME is refused)"),
        };
    }

    /** The request the parsed flags make: image = first argument, command = the rest. */
    public static CreateRequest request(Args args) {
        String image = args.arg(0);
        if (image == null || image.isEmpty()) throw new UsageException("requires an image to run");
        List<String> command = args.argsFrom(1);
        boolean detach = args.flag("--detach"), interactive = args.flag("--interactive"), tty = args.flag("--tty");
        String name = args.value("--name");
        if (name != null) name = containerName(name);
        List<String> env = new ArrayList<>();
        for (String file : args.values("--env-file")) env.addAll(envFile(file));
        for (String e : args.values("--env")) env.addAll(variable("--env", e));
        String workdir = args.value("--workdir");
        if (workdir != null && !workdir.isEmpty() && !workdir.startsWith("/"))
            throw new UsageException("the working directory " + Quoted.of(workdir) + " is invalid, it needs to be an absolute path");
        String hostname = args.value("--hostname");
        if (hostname != null) checkHostname(hostname);
        String entry = args.value("--entrypoint");
        List<String> entrypoint = entry == null ? null : entry.isEmpty() ? List.of() : List.of(entry);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : args.values("--label")) {
            int eq = l.indexOf('=');
            if (eq == 0 || l.isEmpty()) throw new UsageException("--label: invalid label " + Quoted.of(l) + ": empty name");
            labels.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        String stopSignal = args.value("--stop-signal");
        if (stopSignal != null) {
            try {
                Signals.parse(stopSignal);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--stop-signal: " + e.getMessage() + " " + Quoted.of(stopSignal));
            }
        }
        String timeout = args.value("--stop-timeout");
        ContainerConfig config = new ContainerConfig(hostname, args.value("--domainname"), args.value("--user"),
                interactive && !detach, !detach, !detach, tty, interactive, interactive && !detach, env,
                command.isEmpty() ? null : command, image, List.of(), workdir, entrypoint, labels, stopSignal,
                timeout == null ? null : Integer.valueOf(timeout), List.of());
        return new CreateRequest(name, config, hostConfig(args));
    }

    private static HostConfig hostConfig(Args args) {
        List<String> targets = new ArrayList<>();
        List<String> binds = new ArrayList<>();
        for (String v : args.values("--volume")) {
            targets.add(MountFlags.volume(v).target());
            binds.add(v); // kept as given, as Docker's Binds (volumes too: "NAME:/dst")
        }
        List<HostConfig.MountSpec> mounts = new ArrayList<>();
        for (String m : args.values("--mount")) {
            HostConfig.MountSpec spec = MountFlags.mount(m);
            if (spec.type().equals("bind") && !Files.exists(Path.of(spec.source())))
                throw new CapsaException("invalid mount config for type \"bind\": bind source path does not exist: " + spec.source());
            mounts.add(spec);
            targets.add(spec.target());
        }
        Map<String, String> tmpfs = new LinkedHashMap<>();
        for (String t : args.values("--tmpfs")) {
            String[] parsed = MountFlags.tmpfs(t);
            tmpfs.put(parsed[0], parsed[1]);
            targets.add(parsed[0]);
        }
        MountFlags.checkDistinct(targets);

        List<String> networkNames = args.values("--network");
        String network = networkNames.isEmpty() ? "bridge" : networkNames.getFirst();
        if (NamespaceModes.container(network) != null) checkContainerNetwork(args);
        List<Attachment> networks = networks(args, networkNames.isEmpty() ? List.of("bridge") : networkNames);
        List<PortMapping> ports = new ArrayList<>();
        for (String p : args.values("--publish")) ports.addAll(PortMapping.parse(p));
        if (networks.isEmpty() && (!ports.isEmpty() || args.flag("--publish-all")))
            throw new UsageException("published ports need a network: not with --network " + network);
        String pid = orElse(args.value("--pid"), "");
        NamespaceModes.check("--pid", pid, List.of("", "private", "host"), true);
        String ipc = orElse(args.value("--ipc"), "private");
        NamespaceModes.check("--ipc", ipc, List.of("", "none", "private", "shareable", "host"), true);
        String uts = orElse(args.value("--uts"), "");
        NamespaceModes.check("--uts", uts, List.of("", "private", "host"), true);
        String userns = orElse(args.value("--userns"), "");
        UsernsMode.parse(userns);
        String cgroupns = orElse(args.value("--cgroupns"), NamespaceModes.defaultCgroupns());
        NamespaceModes.check("--cgroupns", cgroupns, List.of("private", "host"), false);
        String mountNs = orElse(args.value("--mount-ns"), "");
        checkMountNs(mountNs);
        boolean privileged = args.flag("--privileged");
        if (args.value("--hostname") != null && (uts.equals("host") || NamespaceModes.container(uts) != null))
            throw new UsageException("conflicting options: hostname and the UTS mode");
        if (!userns.isEmpty() && !userns.equals("host")) {
            if (privileged) throw new UsageException("--privileged cannot be used with a remapped user namespace");
            for (String[] m : new String[][] {{"--network", network}, {"--pid", pid}, {"--ipc", ipc}, {"--uts", uts}})
                if (m[1].equals("host")) throw new UsageException(m[0] + " host cannot be used with a remapped user namespace");
        }

        List<String> capAdd = new ArrayList<>(), capDrop = new ArrayList<>();
        for (String c : args.values("--cap-add")) capAdd.add(CapabilitySet.normalized("--cap-add", c));
        for (String c : args.values("--cap-drop")) capDrop.add(CapabilitySet.normalized("--cap-drop", c));
        List<HostConfig.DeviceMapping> devices = new ArrayList<>();
        for (String d : args.values("--device")) devices.add(device(d));
        List<String> securityOpt = new ArrayList<>();
        for (String o : args.values("--security-opt")) securityOpt.add(securityOpt(o));
        List<HostConfig.Ulimit> ulimits = new ArrayList<>();
        for (String u : args.values("--ulimit")) ulimits.add(ulimit(u));
        RestartPolicy restart = restartPolicy(orElse(args.value("--restart"), "no"));
        boolean autoRemove = args.flag("--rm");
        if (autoRemove && !restart.name().equals("no")) throw new UsageException("conflicting options: --restart and --rm");
        long shm = args.value("--shm-size") == null ? 0 : size("--shm-size", args.value("--shm-size"));
        Map<String, String> sysctls = new LinkedHashMap<>();
        for (String s : args.values("--sysctl")) sysctl(s, network, ipc, sysctls);
        List<String> hosts = new ArrayList<>();
        for (String h : args.values("--add-host")) hosts.add(extraHost(h));
        List<String> dns = args.values("--dns");
        for (String d : dns) if (!IpAddresses.valid(d)) throw new UsageException("--dns: " + Quoted.of(d) + " is not an IP address");
        Map<String, Long> offsets = timeOffsets(args);
        Boolean init = args.value("--init") == null ? null : args.flag("--init");
        return new HostConfig(binds, mounts, tmpfs, network, pid, ipc, uts, userns, cgroupns, capAdd, capDrop, privileged,
                devices, securityOpt, ulimits, init, restart, autoRemove, shm, sysctls, hosts, dns, args.values("--dns-option"),
                args.values("--dns-search"), args.flag("--read-only"), ResourceFlags.limits(args), offsets, mountNs,
                ports, args.flag("--publish-all"), networks);
    }

    /**
     * Docker's refusals (moby's validateNetContainerMode) of what another container's network already has: its
     * hostname, its /etc/hosts and /etc/resolv.conf, its addresses and ports. The --dns flags' one message covers
     * --dns-search and --dns-option too, which Docker would ignore.
     */
    private static void checkContainerNetwork(Args args) {
        if (args.value("--hostname") != null) throw new UsageException("conflicting options: hostname and the network mode");
        if (!args.values("--dns").isEmpty() || !args.values("--dns-search").isEmpty() || !args.values("--dns-option").isEmpty())
            throw new UsageException("conflicting options: dns and the network mode");
        if (!args.values("--add-host").isEmpty())
            throw new UsageException("conflicting options: custom host-to-IP mapping and the network mode");
        if (!args.values("--publish").isEmpty() || args.flag("--publish-all"))
            throw new UsageException("conflicting options: port publishing and the container type network mode");
        if (args.value("--mac-address") != null) throw new UsageException("conflicting options: mac-address and the network mode");
    }

    /**
     * The networks asked for: none for the modes none, host and container:X (each alone), else each named network
     * ("bridge" is the default one), the first with --network-alias, --ip and --mac-address.
     */
    private static List<Attachment> networks(Args args, List<String> names) {
        for (String name : names) {
            boolean mode = name.equals("none") || name.equals("host") || name.startsWith("container:");
            if (mode && names.size() > 1) throw new UsageException("--network " + name + " cannot be combined with other networks");
            if (mode) {
                NamespaceModes.check("--network", name, List.of("none", "host"), true);
                for (String flag : List.of("--network-alias", "--ip", "--mac-address"))
                    if (!args.values(flag).isEmpty()) throw new UsageException(flag + " needs a network: not with --network " + name);
                return List.of();
            }
        }
        List<Attachment> networks = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).equals("default") ? "bridge" : names.get(i);
            for (Attachment a : networks)
                if (a.network().equals(name)) throw new UsageException("--network " + Quoted.of(name) + " is given twice");
            networks.add(i == 0 ? new Attachment(name, args.values("--network-alias"), args.value("--ip"), args.value("--mac-address"))
                    : Attachment.of(name));
        }
        return networks;
    }

    private static String orElse(String value, String fallback) {
        return value == null ? fallback : value;
    }

    /** --mount-ns=container:X is refused: see the message. */
    private static void checkMountNs(String mode) {
        if (NamespaceModes.container(mode) != null)
            throw new UsageException("--mount-ns=container: is refused: a container's start mounts its root, /proc, /dev and"
                    + " its volumes in its mount namespace, which in another container's would change that container's"
                    + " files under it; use `capsa exec` to run a process in its mount namespace");
        if (!mode.isEmpty() && !mode.equals("private"))
            throw new UsageException("--mount-ns: invalid mode " + Quoted.of(mode) + " (private)");
    }

    /** -e NAME=value, or -e NAME: the caller's NAME, dropped when it has none (as docker's). */
    private static List<String> variable(String flag, String e) {
        int eq = e.indexOf('=');
        if (eq == 0 || e.isEmpty()) throw new UsageException(flag + ": invalid environment variable " + Quoted.of(e));
        if (eq > 0) return List.of(e);
        String value = System.getenv(e);
        return value == null ? List.of() : List.of(e + "=" + value);
    }

    /** docker's env file: NAME=value or NAME lines, blank lines and # comments skipped, leading blanks trimmed. */
    static List<String> envFile(String file) {
        String text;
        try {
            text = FileText.read(Path.of(file), 1 << 20);
        } catch (NoSuchFileException e) {
            throw new UsageException("--env-file: open " + file + ": no such file or directory");
        } catch (IOException e) {
            throw new UsageException("--env-file: " + file + ": " + e.getMessage());
        }
        List<String> env = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            String l = line.stripLeading();
            if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
            if (l.isEmpty() || l.startsWith("#")) continue;
            String varName = ContainerConfig.name(l);
            if (varName.isEmpty() || varName.contains(" ") || varName.contains("\t"))
                throw new UsageException("--env-file " + file + ", line " + n + ": variable " + Quoted.of(varName) + " contains whitespaces or is empty");
            env.addAll(variable("--env-file", l));
        }
        return env;
    }

    /** Docker's rule for container names; a leading / (as inspect prints names) is dropped. */
    private static String containerName(String given) {
        String name = given.startsWith("/") ? given.substring(1) : given;
        boolean ok = name.length() >= 2 && Character.isLetterOrDigit(name.charAt(0)) && name.charAt(0) < 128;
        for (int i = 1; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
        }
        if (!ok) throw new UsageException("invalid container name " + Quoted.of(given) + ", only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        return name;
    }

    /** RFC 1123 names of at most 63 characters (the kernel takes 64), as Docker checks them. */
    private static void checkHostname(String hostname) {
        boolean ok = !hostname.isEmpty() && hostname.length() <= 63 && hostname.charAt(0) != '-' && hostname.charAt(0) != '.';
        for (int i = 0; ok && i < hostname.length(); i++) {
            char c = hostname.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.');
        }
        if (!ok) throw new UsageException("--hostname: invalid hostname " + Quoted.of(hostname) + " (letters, digits, - and ., at most 63)");
    }

    /** docker's --device HOST[:CONTAINER][:PERMISSIONS]. */
    private static HostConfig.DeviceMapping device(String raw) {
        String[] parts = raw.split(":", -1);
        String host = parts[0], container = host, permissions = "rwm";
        if (parts.length == 3) {
            container = parts[1];
            permissions = parts[2];
        } else if (parts.length == 2) {
            if (devicePermissions(parts[1])) permissions = parts[1];
            else container = parts[1];
        }
        if (parts.length > 3 || !devicePermissions(permissions) || !host.startsWith("/"))
            throw new UsageException("--device: invalid device specification " + Quoted.of(raw) + " (HOST[:/dev/NAME][:rwm])");
        HostDevice.of("--device", host);
        if (!Path.of(container).normalize().startsWith("/dev/"))
            throw new UsageException("--device: " + Quoted.of(container) + " is not a path under /dev");
        return new HostConfig.DeviceMapping(host, Path.of(container).normalize().toString(), permissions);
    }

    private static boolean devicePermissions(String p) {
        if (p.isEmpty() || p.length() > 3) return false;
        for (int i = 0; i < p.length(); i++) if ("rwm".indexOf(p.charAt(i)) < 0 || p.indexOf(p.charAt(i)) != i) return false;
        return true;
    }

    /** A seccomp=FILE is read here and kept inline as "seccomp=<json>", as docker's CLI sends it. */
    private static String securityOpt(String opt) {
        SecurityOpts.check(opt);
        String value = SecurityOpts.value(opt);
        if (!opt.startsWith("seccomp") || "unconfined".equals(value)) return opt;
        String json;
        try {
            json = FileText.read(Path.of(value), 1 << 20);
        } catch (IOException e) {
            throw new UsageException("--security-opt: opening seccomp profile (" + value + ") failed: "
                    + (e instanceof NoSuchFileException ? "no such file or directory" : e.getMessage()));
        }
        SeccompProfiles.forContainer(json, CapabilitySet.DOCKER_DEFAULT); // refused now if it cannot be read
        return "seccomp=" + json;
    }

    private static final List<String> ULIMITS = List.of("as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /** --ulimit NAME=SOFT[:HARD], -1 for unlimited. */
    private static HostConfig.Ulimit ulimit(String raw) {
        int eq = raw.indexOf('=');
        if (eq < 0) throw new UsageException("--ulimit: invalid ulimit argument " + Quoted.of(raw) + " (NAME=SOFT[:HARD])");
        String name = raw.substring(0, eq);
        if (!ULIMITS.contains(name)) throw new UsageException("--ulimit: invalid ulimit type " + Quoted.of(name) + " (" + String.join(", ", ULIMITS) + ")");
        String[] limits = raw.substring(eq + 1).split(":", -1);
        if (limits.length > 2) throw new UsageException("--ulimit: too many limits in " + Quoted.of(raw));
        long soft = limit(raw, limits[0]), hard = limits.length == 2 ? limit(raw, limits[1]) : soft;
        if (Long.compareUnsigned(soft, hard) > 0)
            throw new UsageException("--ulimit: soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
        return new HostConfig.Ulimit(name, soft, hard);
    }

    private static long limit(String raw, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < -1) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--ulimit: invalid limit " + Quoted.of(value) + " in " + Quoted.of(raw) + " (a number, or -1 for unlimited)");
        }
    }

    private static RestartPolicy restartPolicy(String raw) {
        int colon = raw.indexOf(':');
        String name = colon < 0 ? raw : raw.substring(0, colon);
        if (!List.of("no", "on-failure", "always", "unless-stopped").contains(name))
            throw new UsageException("--restart: invalid restart policy " + Quoted.of(raw) + " (no, on-failure[:N], always, unless-stopped)");
        if (colon < 0) return new RestartPolicy(name, 0);
        if (!name.equals("on-failure"))
            throw new UsageException("--restart: maximum retry count cannot be used with restart policy " + Quoted.of(name));
        try {
            int n = Integer.parseInt(raw.substring(colon + 1));
            if (n < 0) throw new NumberFormatException();
            return new RestartPolicy(name, n);
        } catch (NumberFormatException e) {
            throw new UsageException("--restart: invalid maximum retry count " + Quoted.of(raw.substring(colon + 1)));
        }
    }

    static long size(String flag, String value) {
        try {
            long n = Sizes.ramInBytes(value);
            if (n < 0) throw new IllegalArgumentException("invalid size");
            return n;
        } catch (IllegalArgumentException e) {
            throw new UsageException(flag + ": " + e.getMessage() + " " + Quoted.of(value));
        }
    }

    /** Docker's list: the IPC sysctls (not with the host's IPC namespace) and net.* (not with the host's network). */
    private static final List<String> IPC_SYSCTLS = List.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private static void sysctl(String raw, String network, String ipc, Map<String, String> sysctls) {
        int eq = raw.indexOf('=');
        if (eq <= 0) throw new UsageException("--sysctl: " + Quoted.of(raw) + " is not KEY=VALUE");
        String key = raw.substring(0, eq);
        boolean ipcKey = IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue."), netKey = key.startsWith("net.");
        if (!ipcKey && !netKey) throw new UsageException("--sysctl: " + Quoted.of(key) + " is not allowed in a container (IPC ones, fs.mqueue.* and net.*)");
        if (ipcKey && ipc.equals("host")) throw new UsageException("--sysctl: " + Quoted.of(key) + " is not allowed with the host's IPC namespace");
        if (netKey && network.equals("host")) throw new UsageException("--sysctl: " + Quoted.of(key) + " is not allowed with the host's network");
        if (netKey && NamespaceModes.container(network) != null)
            throw new UsageException("--sysctl: " + Quoted.of(key) + " is not allowed with another container's network");
        sysctls.put(key, raw.substring(eq + 1));
    }

    /** --add-host NAME:IP or NAME=IP, kept as "NAME:IP". */
    private static String extraHost(String raw) {
        int eq = raw.indexOf('='), colon = raw.indexOf(':');
        int at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
        if (at <= 0) throw new UsageException("--add-host: bad format for add-host: " + Quoted.of(raw) + " (HOST:IP)");
        String host = raw.substring(0, at), ip = raw.substring(at + 1);
        if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.substring(1, ip.length() - 1);
        if (ip.equals("host-gateway")) throw new UsageException("--add-host: host-gateway needs a bridge network, which capsa has not yet");
        if (!IpAddresses.valid(ip)) throw new UsageException("--add-host: invalid IP address in add-host: " + Quoted.of(ip));
        return host + ":" + ip;
    }

    private static Map<String, Long> timeOffsets(Args args) {
        List<String> given = args.values("--time-offset");
        if (!args.flag("--timens") && given.isEmpty()) return null;
        if (!Files.exists(Path.of("/proc/self/ns/time")))
            throw new CapsaException("--timens: this kernel has no time namespaces (Linux 5.6 or later has them)");
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (String o : given) {
            int eq = o.indexOf('=');
            String clock = eq < 0 ? o : o.substring(0, eq);
            if (!clock.equals("monotonic") && !clock.equals("boottime"))
                throw new UsageException("--time-offset: unknown clock " + Quoted.of(clock) + " (monotonic or boottime)");
            try {
                offsets.put(clock, Long.parseLong(o.substring(eq + 1)));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                throw new UsageException("--time-offset: " + Quoted.of(o) + " is not CLOCK=SECONDS");
            }
        }
        return offsets;
    }
}
