package io.capsa.plan;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.ContainerCgroup;
import io.capsa.cgroups.Hierarchy;
import io.capsa.linux.Proc;
import io.capsa.runtime.Monitor;
import io.capsa.spec.Capabilities;
import io.capsa.spec.Hook;
import io.capsa.seccomp.Profile;
import io.capsa.spec.MountOptions;
import io.capsa.spec.Rlimit;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Spec;
import io.capsa.spec.SpecException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.capsa.spec.MountOptions.MS_BIND;
import static io.capsa.spec.MountOptions.MS_RDONLY;
import static io.capsa.spec.MountOptions.MS_REC;
import static io.capsa.spec.MountOptions.MS_REMOUNT;

/** Turns a container's config.json into the helper's plan for `create`. */
public final class ContainerPlanner {
    private ContainerPlanner() {}

    /** How this create was asked for, beyond config.json. */
    /** monitor: capsa waits in the foreground as the init's parent; detached: a monitor of the container's own (or null). */
    public record Options(int preserveFds, boolean noPivot, boolean monitor, boolean privileged, String sessionKeyring,
                          Path consoleSocket, Monitor detached) {}

    private static final long CLONE_NEWTIME = 0x80;
    private static final String[][] DEVICES = { // name, major, minor
            {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"}, {"random", "1", "8"},
            {"urandom", "1", "9"}, {"tty", "5", "0"}};
    private static final String[][] DEV_LINKS = { // link, target
            {"/dev/fd", "/proc/self/fd"}, {"/dev/stdin", "/proc/self/fd/0"}, {"/dev/stdout", "/proc/self/fd/1"},
            {"/dev/stderr", "/proc/self/fd/2"}, {"/dev/ptmx", "pts/ptmx"}, {"/dev/core", "/proc/kcore"}};

    /** deviceProgram: the cgroup v2 device filter to attach before the process is cloned, or null. */
    public static Plan plan(Spec spec, Path bundle, Path execFifo, List<Path> cgroupDirs, CgroupLayout layout,
                            ContainerCgroup.DeviceProgram deviceProgram, Options options) {
        if (spec.process() == null) throw new SpecException("process: is required");
        Spec.Linux linux = spec.linux();
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) throw new SpecException("root.path: " + rootfs + " is not a directory");
        String root = rootfs.toString();

        Plan plan = new Plan();
        // Before anything else, so that no descriptor of the caller but those kept reaches the runner or the container.
        plan.add(Op.PRESERVE_FDS, "keep " + options.preserveFds() + " extra descriptors", options.preserveFds());
        // While the helper is where capsa is: it may join other namespaces before CLONE.
        List<Hook> runtimeHooks = new ArrayList<>(spec.hooks().get("prestart"));
        runtimeHooks.addAll(spec.hooks().get("createRuntime"));
        if (!runtimeHooks.isEmpty()) {
            plan.add(Op.HOOK_RUNNER, "start the runner of the prestart and createRuntime hooks", runtimeHooks.size());
            for (Hook h : runtimeHooks) addHook(plan, h);
        }
        // Made before any namespace is joined, whose credentials might not reach the state directory.
        plan.add(Op.MAKE_FIFO, "make " + execFifo, execFifo, "0600");
        if (deviceProgram != null)
            plan.add(Op.DEVICE_FILTER, "attach the device filter to " + deviceProgram.dir(), deviceProgram.dir(),
                    HexFormat.of().formatHex(deviceProgram.program()));
        if (options.detached() != null) addDetachedMonitor(plan, spec.process(), options.consoleSocket(), options.detached());
        Spec.Namespace joinedMounts = null;
        List<Join> joins = new ArrayList<>();
        for (Spec.Namespace ns : linux.namespaces()) {
            if (ns.path() == null) continue;
            if (!Files.exists(Path.of(ns.path())))
                throw new SpecException("linux.namespaces: " + ns.type().specName() + " namespace path " + ns.path() + " does not exist");
            if (isIn(ns, "/proc/self/ns")) continue; // already there: setns into one's own user namespace is refused
            if (ns.type() == NamespaceType.MOUNT) joinedMounts = ns;
            else joins.add(new Join(ns.type(), Path.of(ns.path()), ns.type().specName() + " namespace " + ns.path()));
        }
        joinNamespaces(plan, joins);
        // As runc: a mount namespace joined by path gets the same set-up as a new one; without one of its
        // own, the mounts are made in capsa's namespace and the process is only chrooted. Unlike runc, capsa's
        // own namespace given by path counts as none: its root is not pivoted away from under the host.
        boolean ownMounts = linux.creates(NamespaceType.MOUNT) || joinedMounts != null;
        if (!ownMounts && !linux.maskedPaths().isEmpty())
            throw new SpecException("linux.maskedPaths: masking paths needs a mount namespace");
        if (!ownMounts && !linux.readonlyPaths().isEmpty())
            throw new SpecException("linux.readonlyPaths: making paths read-only needs a mount namespace");
        if (linux.creates(NamespaceType.TIME)) {
            plan.add(Op.UNSHARE, "create time namespace", CLONE_NEWTIME);
            StringBuilder offsets = new StringBuilder();
            linux.timeOffsets().forEach((clock, v) -> offsets.append(clock).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
            if (!offsets.isEmpty())
                plan.add(Op.WRITE_FILE, "set time namespace offsets", "/proc/self/timens_offsets", offsets);
        }
        if (options.monitor()) plan.add(Op.MONITOR, "monitor the container");
        if (options.detached() == null) addConsoleEnd(plan, spec.process(), options.consoleSocket(), options.monitor());
        // Time and cgroup namespaces come later: a time namespace's offsets must be set before any process
        // enters it, and a cgroup namespace takes its root from the cgroup the process is in when it is made.
        long flags = 0;
        List<String> created = new ArrayList<>();
        for (Spec.Namespace n : linux.namespaces()) {
            if (n.path() != null) continue;
            created.add(n.type().specName());
            if (n.type() != NamespaceType.TIME && n.type() != NamespaceType.CGROUP) flags |= n.type().cloneFlag();
        }
        boolean joinsCgroups = joinsCgroupsItself(spec);
        if (joinsCgroups) holdCgroups(plan, cgroupDirs, layout);
        // Last, as runc: the other namespaces' paths and the cgroups are host paths.
        if (joinedMounts != null) addJoin(plan, joinedMounts);
        plan.add(Op.CLONE, "create namespaces (" + String.join(",", created) + ")", flags);
        plan.add(Op.SYNC, "wait for capsa");
        if (joinsCgroups) plan.add(Op.JOIN_HELD_CGROUPS, "join the container's cgroups");

        boolean newUser = linux.creates(NamespaceType.USER);
        if (newUser) {
            if (!options.privileged()) plan.add(Op.CHILD_PROC_WRITE, "deny setgroups", "setgroups", "deny");
            plan.add(Op.CHILD_PROC_WRITE, "write uid_map", "uid_map", idMap(linux.uidMappings()));
            plan.add(Op.CHILD_PROC_WRITE, "write gid_map", "gid_map", idMap(linux.gidMappings()));
            plan.add(Op.SETGID, "become gid 0 in the user namespace", 0);
            plan.add(Op.SETUID, "become uid 0 in the user namespace", 0);
        }
        if (linux.creates(NamespaceType.CGROUP))
            plan.add(Op.UNSHARE, "create cgroup namespace", NamespaceType.CGROUP.cloneFlag());
        // As runc: a new network namespace's lo starts down, so 127.0.0.1 is unreachable; one joined by path
        // is left as its owner set it. Needs CAP_NET_ADMIN over the namespace: after becoming root in a new
        // user namespace, before the capabilities are dropped.
        if (linux.creates(NamespaceType.NETWORK)) plan.add(Op.LOOPBACK_UP, "bring up the loopback interface lo", "lo");
        if (spec.hostname() != null) plan.add(Op.SETHOSTNAME, "set hostname " + spec.hostname(), spec.hostname());
        if (spec.domainname() != null)
            plan.add(Op.SETDOMAINNAME, "set domainname " + spec.domainname(), spec.domainname());

        String propagationName = linux.rootfsPropagation() == null ? "rprivate" : linux.rootfsPropagation();
        long rootPropagation = MountOptions.propagation(propagationName);
        if (ownMounts) {
            plan.add(Op.MOUNT, "make / " + propagationName, "", "/", "", rootPropagation, "");
            plan.add(Op.BIND_ROOT, "bind " + root + " onto itself", root);
        }

        Set<String> mounted = new HashSet<>();
        boolean devIsBind = false;
        for (int i = 0; i < spec.mounts().size(); i++) {
            Spec.Mount m = spec.mounts().get(i);
            String dest = clean(m.destination());
            if ((dest.equals("/proc") || dest.equals("/dev")) && Files.isSymbolicLink(rootfs.resolve(dest.substring(1))))
                throw new SpecException("mounts[" + i + "].destination: " + m.destination()
                        + " is a symlink in the root filesystem; refusing to mount over it");
            addMount(plan, root, bundle, m, dest, "mounts[" + i + "]", linux, cgroupDirs, layout);
            mounted.add(dest);
            if (dest.equals("/dev") && MountOptions.parse(m.options()).bind()) devIsBind = true;
        }
        if (!devIsBind) addDevices(plan, root, mounted, newUser, linux.devices());
        addLimits(plan, spec.process());
        if (linux.personality() != null) plan.add(Op.PERSONALITY, "set personality", linux.personality());
        if (needsHookSync(spec)) plan.add(Op.HOOK_SYNC, "wait for the state, and for the prestart and createRuntime hooks");
        for (Hook h : spec.hooks().get("createContainer")) addHook(plan, h);

        if (options.sessionKeyring() != null)
            plan.add(Op.JOIN_KEYRING, "join a new session keyring", options.sessionKeyring());
        if (!ownMounts) {
            plan.add(Op.HOLD_ROOT, "open " + root, root);
            plan.add(Op.ENTER_HELD_ROOT, "chroot to " + root);
        } else {
            if (options.noPivot()) plan.add(Op.MOVE_ROOT, "move " + root + " to / and chroot (--no-pivot)", root);
            else plan.add(Op.PIVOT_ROOT, "pivot_root to " + root, root);
            // Again, as crun: the root was bound private, which pivot_root needs when it is to be shared or unbindable.
            plan.add(Op.MOUNT, "make the root " + propagationName, "", "/", "", rootPropagation, "");
        }
        for (Map.Entry<String, String> s : linux.sysctl().entrySet()) {
            requireNamespaced(s.getKey(), linux);
            plan.add(Op.WRITE_FILE, "set sysctl " + s.getKey(), "/proc/sys/" + s.getKey().replace('.', '/'), s.getValue());
        }
        for (String path : linux.maskedPaths()) plan.add(Op.MASK_PATH, "mask " + path, path);
        for (String path : linux.readonlyPaths()) plan.add(Op.READONLY_PATH, "make " + path + " read-only", path);
        if (spec.root().readonly() && ownMounts) plan.add(Op.REMOUNT_RO, "make the root filesystem read-only", "/");

        addConsole(plan, spec.process());
        addProcess(plan, spec.process(), linux.seccomp());
        plan.add(Op.READY, "report ready");
        plan.add(Op.AWAIT_START, "wait for start");
        for (Hook h : spec.hooks().get("startContainer")) addHook(plan, h);
        addSeccomp(plan, linux.seccomp(), spec.process(), true);
        plan.add(Op.EXEC, "exec " + spec.process().args().getFirst(), spec.process().args());
        return plan;
    }

    private static void addJoin(Plan plan, Spec.Namespace ns) {
        plan.add(Op.SETNS, "join " + ns.type().specName() + " namespace " + ns.path(), ns.path(), ns.type().cloneFlag());
    }

    /**
     * A container path with "//", "." and ".." resolved lexically and no trailing "/", as the kernel will
     * read it, so that "/proc/" or "/./dev" is recognised as /proc or /dev.
     */
    static String clean(String path) {
        return Path.of(path).normalize().toString();
    }

    /** A namespace to join: its type, the file that names it, and the words that name it in an error. */
    record Join(NamespaceType type, Path path, String name) {}

    /**
     * Every namespace is opened before any is joined, since after a mount namespace the host's paths no
     * longer resolve. The user namespace is joined last: a namespace that an outer user namespace owns
     * (a container's time namespace, made before its user namespace) cannot be joined from inside it. One
     * that the kernel refuses before it (owned by that user namespace, for a caller without privilege)
     * is tried again after it, as util-linux's nsenter does.
     */
    static void joinNamespaces(Plan plan, List<Join> joins) {
        List<Join> ordered = new ArrayList<>();
        for (Join j : joins) if (j.type() != NamespaceType.USER) ordered.add(j);
        for (Join j : joins) if (j.type() == NamespaceType.USER) ordered.add(j);
        for (Join j : ordered) plan.add(Op.HOLD_NAMESPACE, "open " + j.name(), j.path(), j.type().cloneFlag());
        for (Join j : ordered) plan.add(Op.TRY_SETNS, "join " + j.name(), j.type().cloneFlag());
        if (!ordered.isEmpty()) plan.add(Op.RETRY_SETNS, "join the namespaces refused before the user namespace");
    }

    /**
     * Where a terminal's pty master goes, set up before the clone: to --console-socket, as runc does,
     * or, when capsa stays in the foreground without one, to the monitor, which relays it to its stdio.
     */
    static void addConsoleEnd(Plan plan, ProcessSpec process, Path consoleSocket, boolean monitor) {
        if (!process.terminal()) {
            if (consoleSocket != null)
                throw new SpecException("--console-socket given, but process.terminal is false");
            return;
        }
        if (consoleSocket != null) {
            Path socket = consoleSocket.toAbsolutePath();
            plan.add(Op.CONSOLE_SOCKET, "connect to console socket " + socket, socket);
        } else if (monitor) {
            plan.add(Op.CONSOLE_RELAY, "prepare the terminal relay");
        } else {
            throw new SpecException("process.terminal: a detached container needs --console-socket to hand its terminal to");
        }
    }

    /**
     * Before any namespace is joined, so that the monitor stays where capsa is: the log, the exit file and
     * the exit command are the host's. A terminal's master comes to it through the relay, made first.
     */
    static void addDetachedMonitor(Plan plan, ProcessSpec process, Path consoleSocket, Monitor monitor) {
        if (consoleSocket != null) throw new SpecException("--console-socket given, but the container's monitor holds its terminal");
        if (monitor.terminal() != process.terminal())
            throw new SpecException("process.terminal is " + process.terminal() + ", but the monitor was asked for "
                    + (monitor.terminal() ? "a terminal" : "pipes"));
        if (!monitor.exitCommand().isEmpty() && !monitor.exitCommand().getFirst().startsWith("/"))
            throw new IllegalArgumentException("the exit command must be an absolute path: " + monitor.exitCommand().getFirst());
        if (monitor.terminal()) plan.add(Op.CONSOLE_RELAY, "prepare the terminal relay");
        Path exit = monitor.exitFile().toAbsolutePath();
        List<String> args = new ArrayList<>(List.of(monitor.logFile().toAbsolutePath().toString(), exit.toString(),
                exit.resolveSibling("." + exit.getFileName() + ".tmp").toString(), monitor.attachSocket().toAbsolutePath().toString(),
                monitor.terminal() ? "1" : "0", monitor.openStdin() ? "1" : "0",
                monitor.rootfs() != null ? monitor.rootfs().toAbsolutePath().toString() : "", Integer.toString(monitor.exitCommand().size())));
        args.addAll(monitor.exitCommand());
        String path = System.getenv("PATH"); // the exit command's whole environment
        args.add("PATH=" + (path != null ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        plan.add(Op.DETACH_MONITOR, "start the monitor on " + monitor.attachSocket(), args);
    }

    /** In the container, after the root is entered: the pty that becomes the process's terminal. */
    static void addConsole(Plan plan, ProcessSpec process) {
        if (process.terminal())
            plan.add(Op.CONSOLE, "set up the terminal", process.consoleSize().height(), process.consoleSize().width());
    }

    /**
     * Whether the init joins its cgroups itself, rather than capsa moving it there: born in its v2 cgroup
     * (CLONE_INTO_CGROUP), it moves its one thread into each v1 one, which the kernel does without the
     * global lock whose RCU grace period costs a move by another process ~12 ms. A user namespace takes
     * away the host rights both need.
     */
    public static boolean joinsCgroupsItself(Spec spec) {
        return !spec.linux().has(NamespaceType.USER);
    }

    /**
     * Before CLONE: what the process needs to join the container's cgroups itself, opened while the host's
     * paths still resolve (exec enters the container's mount namespace first). v1: each tasks file, to
     * which the process writes "0" (JOIN_HELD_CGROUPS); v2: the directory it is cloned into.
     */
    static void holdCgroups(Plan plan, List<Path> cgroupDirs, CgroupLayout layout) {
        for (int i = 0; i < cgroupDirs.size(); i++) {
            Path held = layout.hierarchies().get(i).unified() ? cgroupDirs.get(i) : cgroupDirs.get(i).resolve("tasks");
            plan.add(Op.HOLD_CGROUP, "open " + held, held);
        }
    }

    /**
     * The container stops once its namespaces and mounts exist, before its root is entered, when there are
     * hooks to run then (prestart, createRuntime) or later: every hook gets the state on its stdin.
     */
    public static boolean needsHookSync(Spec spec) {
        for (String point : List.of("prestart", "createRuntime", "createContainer", "startContainer"))
            if (!spec.hooks().get(point).isEmpty()) return true;
        return false;
    }

    /**
     * Hooks run by the helper in the runtime's namespaces after the container's (poststart, poststop): they
     * wait for the state (HOOK_SYNC) and run in order; the first that fails ends the plan.
     */
    public static Plan hooks(List<Hook> hooks) {
        Plan plan = new Plan();
        plan.add(Op.HOOK_SYNC, "wait for the state");
        for (Hook h : hooks) addHook(plan, h);
        return plan;
    }

    /** A hook run by the helper: where the container's process is, or by the runner where capsa is. */
    private static void addHook(Plan plan, Hook h) {
        List<String> args = new ArrayList<>(List.of(h.path(), Integer.toString(h.timeout()), Integer.toString(h.args().size())));
        args.addAll(h.args());
        args.addAll(h.env());
        plan.add(Op.RUN_HOOK, h.field() + " " + h.path(), args);
    }

    /**
     * Only namespaced sysctls may be set, and only when the container has that namespace (as runc), which
     * must not be the host's, joined by its path: the value would be the host's too.
     */
    private static void requireNamespaced(String key, Spec.Linux linux) {
        boolean ipc = key.startsWith("fs.mqueue.") || key.startsWith("kernel.msg") || key.startsWith("kernel.shm")
                || key.equals("kernel.sem");
        NamespaceType type = ipc ? NamespaceType.IPC
                : key.startsWith("net.") ? NamespaceType.NETWORK
                : key.equals("kernel.hostname") || key.equals("kernel.domainname") ? NamespaceType.UTS : null;
        if (type == null || !linux.has(type))
            throw new SpecException("linux.sysctl." + key + ": not namespaced, or the container lacks its namespace");
        for (Spec.Namespace ns : linux.namespaces()) {
            if (ns.type() == type && ns.path() != null && (isIn(ns, "/proc/1/ns") || isIn(ns, "/proc/self/ns")))
                throw new SpecException("linux.sysctl." + key + ": the " + type.specName() + " namespace " + ns.path()
                        + " is the host's, which the setting would change");
        }
    }

    /** Whether the namespace joined by path is the one of this type in nsDir, e.g. /proc/self/ns. */
    private static boolean isIn(Spec.Namespace ns, String nsDir) {
        long inode = Proc.namespaceInode(Path.of(ns.path()));
        return inode != -1 && inode == Proc.namespaceInode(Path.of(nsDir, ns.type().procName()));
    }

    /** rlimits and the OOM score, set while the process is still privileged. */
    static void addLimits(Plan plan, ProcessSpec process) {
        for (Rlimit r : process.rlimits()) plan.add(Op.RLIMIT, "set " + r.type(), r.resource(), r.soft(), r.hard());
        if (process.oomScoreAdj() != null)
            plan.add(Op.WRITE_FILE, "set oom_score_adj " + process.oomScoreAdj(), "/proc/self/oom_score_adj", process.oomScoreAdj());
        if (process.apparmorProfile() != null) throw new SpecException("process.apparmorProfile: " + lsm("AppArmor", "/sys/kernel/security/apparmor"));
        if (process.selinuxLabel() != null) throw new SpecException("process.selinuxLabel: " + lsm("SELinux", "/sys/fs/selinux"));
    }

    private static String lsm(String name, String marker) {
        return Files.exists(Path.of(marker)) ? name + " profiles are not supported by capsa yet" : name + " is not supported on this host";
    }

    private static final int PR_SET_KEEPCAPS = 8, PR_SET_NO_NEW_PRIVS = 38;

    /**
     * The credentials, capabilities, directory and environment of the process, and the check that its
     * program exists. Capabilities are kept across the switch of uid (PR_SET_KEEPCAPS) and then set exactly.
     */
    static void addProcess(Plan plan, ProcessSpec process, Profile seccomp) {
        ProcessSpec.User user = process.user();
        // As runc, without a HOME of its own: read inside the root, so that it is the file the process
        // sees, mounts included; before seccomp, which may not allow the helper's openat2.
        boolean ownHome = hasHome(process.env());
        if (!ownHome) plan.add(Op.HOME_FROM_PASSWD, "read the home directory of uid " + user.uid() + " from /etc/passwd", user.uid());
        addSeccomp(plan, seccomp, process, false);
        Capabilities caps = process.capabilities();
        plan.add(Op.CHDIR, "change to working directory " + process.cwd(), process.cwd());
        if (caps != null) plan.add(Op.PRCTL, "keep capabilities across setuid", PR_SET_KEEPCAPS, 1);
        List<String> groups = new ArrayList<>();
        for (long gid : user.additionalGids()) groups.add(Long.toString(gid));
        plan.add(Op.SETGROUPS, "set additional groups " + user.additionalGids(), groups);
        plan.add(Op.SETGID, "set gid " + user.gid(), user.gid());
        plan.add(Op.SETUID, "set uid " + user.uid(), user.uid());
        if (caps != null) {
            plan.add(Op.PRCTL, "stop keeping capabilities across setuid", PR_SET_KEEPCAPS, 0);
            plan.add(Op.CAPS, "set capabilities", Long.toUnsignedString(caps.bounding()), Long.toUnsignedString(caps.effective()),
                    Long.toUnsignedString(caps.permitted()), Long.toUnsignedString(caps.inheritable()), Long.toUnsignedString(caps.ambient()));
        }
        if (process.noNewPrivileges()) plan.add(Op.PRCTL, "set no_new_privs", PR_SET_NO_NEW_PRIVS, 1);
        plan.add(Op.UMASK, "set umask", user.umask() == null ? 022 : user.umask());
        for (String e : process.env()) if (ownHome || !e.equals("HOME=")) plan.add(Op.ENV, "set environment", e);
        String program = process.args().getFirst();
        plan.add(Op.CHECK_EXEC, "exec: \"" + program + "\": executable file not found in $PATH", program);
    }

    /** Whether env sets a HOME that is not empty; an empty one is replaced, as runc does. */
    private static boolean hasHome(List<String> env) {
        for (String e : env) if (e.startsWith("HOME=") && e.length() > 5) return true;
        return false;
    }

    private static void addDevice(Plan plan, String root, boolean newUser, Spec.Device d) {
        if (newUser) {
            if (!Files.exists(Path.of(d.path())))
                throw new SpecException("linux.devices: " + d.path() + " cannot be made in a user namespace and the host has none to bind");
            plan.add(Op.MOUNT_IN_ROOT, "bind " + d.path() + " from the host", root, d.path(), d.path(), "", MS_BIND, "", "f");
            return;
        }
        long type = switch (d.type()) {
            case 'b' -> 0060000;
            case 'p' -> 0010000;
            default -> 0020000;
        };
        plan.add(Op.MKNOD_IN_ROOT, "mknod " + d.path(), root, d.path(), type | (d.fileMode() & 07777), d.major(), d.minor(),
                d.uid(), d.gid());
    }

    /**
     * As runc: with no_new_privs the filter is loaded last before exec, so that it binds the program and
     * none of the helper's steps; without it, loading needs CAP_SYS_ADMIN, so it comes before the
     * capabilities are dropped.
     */
    static void addSeccomp(Plan plan, Profile seccomp, ProcessSpec process, boolean last) {
        if (seccomp != null && process.noNewPrivileges() == last)
            plan.add(Op.SECCOMP, "load the seccomp filter", seccomp.flagBits(), seccomp.filterHex());
    }

    private static String idMap(List<Spec.IdMapping> mappings) {
        StringBuilder s = new StringBuilder();
        for (Spec.IdMapping m : mappings) s.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n');
        return s.toString();
    }

    private static void addMount(Plan plan, String root, Path bundle, Spec.Mount m, String dest, String field,
                                 Spec.Linux linux, List<Path> cgroupDirs, CgroupLayout layout) {
        MountOptions o = MountOptions.parse(m.options());
        if (m.type().equals("cgroup") || m.type().equals("cgroup2")) {
            addCgroupMount(plan, root, dest, o, linux, cgroupDirs, layout);
            return;
        }
        if (o.bind()) {
            Path source = bundle.resolve(m.source()).normalize();
            if (!Files.exists(source)) throw new SpecException(field + ".source: " + source + " does not exist");
            String kind = Files.isDirectory(source) ? "d" : "f";
            plan.add(Op.MOUNT_IN_ROOT, "bind " + source + " on " + dest, root, source, dest, "",
                    o.flags() & (MS_BIND | MS_REC), "", kind);
            long rest = o.flags() & ~(MS_BIND | MS_REC);
            if (rest != 0) plan.add(Op.MOUNT_IN_ROOT, "remount " + dest + " with " + m.options(), root, "", dest, "",
                    MS_BIND | MS_REMOUNT | rest, "", kind);
            if (o.propagation() != 0) addPropagation(plan, root, dest, o, kind);
            addRecursiveAttributes(plan, root, dest, o, kind);
            return;
        }
        if (o.copyUp() && !m.type().equals("tmpfs")) throw new SpecException(field + ".options: tmpcopyup needs type tmpfs");
        // Copied into while still writable: a read-only one is remounted so afterwards.
        long flags = o.copyUp() ? o.flags() & ~MS_RDONLY : o.flags();
        plan.add(Op.MOUNT_IN_ROOT, "mount " + m.type() + " on " + dest, root, m.source(), dest, m.type(), flags,
                o.data(), o.copyUp() ? "c" : "d");
        if (flags != o.flags())
            plan.add(Op.MOUNT_IN_ROOT, "make " + dest + " read-only", root, "", dest, "", MS_BIND | MS_REMOUNT | o.flags(), "", "d");
        if (o.propagation() != 0) addPropagation(plan, root, dest, o, "d");
        addRecursiveAttributes(plan, root, dest, o, "d");
    }

    private static void addRecursiveAttributes(Plan plan, String root, String dest, MountOptions o, String kind) {
        if (o.recursiveSet() != 0 || o.recursiveClear() != 0)
            plan.add(Op.SETATTR_IN_ROOT, "set recursive attributes of " + dest, root, dest, kind, o.recursiveSet(), o.recursiveClear());
    }

    private static void addPropagation(Plan plan, String root, String dest, MountOptions o, String kind) {
        plan.add(Op.MOUNT_IN_ROOT, "set propagation of " + dest, root, "", dest, "", o.propagation(), "", kind);
    }

    /**
     * /sys/fs/cgroup: cgroup2 on a unified host; on v1 a tmpfs with one mount per hierarchy. A fresh
     * cgroup mount shows the container's own cgroup as root only under a cgroup namespace, and needs
     * the host's privilege; otherwise the container's own cgroup directories are bind-mounted.
     */
    private static void addCgroupMount(Plan plan, String root, String dest, MountOptions o, Spec.Linux linux,
                                       List<Path> cgroupDirs, CgroupLayout layout) {
        boolean fresh = linux.creates(NamespaceType.CGROUP) && !linux.creates(NamespaceType.USER);
        long flags = o.flags();
        if (layout.unifiedOnly()) {
            addOneHierarchy(plan, root, dest, fresh, "cgroup2", "", flags, cgroupDirs.getFirst());
            return;
        }
        plan.add(Op.MOUNT_IN_ROOT, "mount tmpfs on " + dest, root, "tmpfs", dest, "tmpfs", flags & ~MS_RDONLY, "mode=755", "d");
        List<Hierarchy> hierarchies = layout.hierarchies();
        for (int i = 0; i < hierarchies.size(); i++) {
            Hierarchy h = hierarchies.get(i);
            String fstype = h.unified() ? "cgroup2" : "cgroup";
            addOneHierarchy(plan, root, dest + "/" + h.dirName(), fresh, fstype, h.mountOptions(), flags, cgroupDirs.get(i));
        }
        if ((flags & MS_RDONLY) != 0)
            plan.add(Op.MOUNT_IN_ROOT, "make " + dest + " read-only", root, "", dest, "", MS_REMOUNT | flags, "mode=755", "d");
    }

    private static void addOneHierarchy(Plan plan, String root, String dest, boolean fresh, String fstype, String data,
                                        long flags, Path ownDir) {
        if (fresh) {
            plan.add(Op.MOUNT_IN_ROOT, "mount " + fstype + " on " + dest, root, fstype, dest, fstype, flags, data, "d");
        } else {
            plan.add(Op.MOUNT_IN_ROOT, "bind " + ownDir + " on " + dest, root, ownDir, dest, "", MS_BIND, "", "d");
            plan.add(Op.MOUNT_IN_ROOT, "remount " + dest, root, "", dest, "", MS_BIND | MS_REMOUNT | flags, "", "d");
        }
    }

    /**
     * The standard /dev nodes and linux.devices: made with mknod, or bound from the host where a user
     * namespace forbids mknod.
     */
    private static void addDevices(Plan plan, String root, Set<String> mounted, boolean newUser, List<Spec.Device> devices) {
        Set<String> configured = new HashSet<>();
        for (Spec.Device d : devices) configured.add(clean(d.path()));
        for (String[] d : DEVICES) {
            String dest = "/dev/" + d[0];
            if (mounted.contains(dest) || configured.contains(dest)) continue;
            addDevice(plan, root, newUser, new Spec.Device(dest, 'c', Long.parseLong(d[1]), Long.parseLong(d[2]), 0666, 0, 0));
        }
        // /dev/ptmx is the symlink to the devpts instance's ptmx below, as runc makes it; engines list the
        // host's node among all devices (--privileged).
        for (Spec.Device d : devices) if (!clean(d.path()).equals("/dev/ptmx")) addDevice(plan, root, newUser, d);
        for (String[] l : DEV_LINKS) {
            if (mounted.contains(l[0])) continue;
            if (l[0].equals("/dev/core") && !Files.exists(Path.of("/proc/kcore"))) continue;
            plan.add(Op.SYMLINK_IN_ROOT, "symlink " + l[0] + " -> " + l[1], root, l[1], l[0], l[0].equals("/dev/ptmx") ? "replace" : "keep");
        }
    }

}
