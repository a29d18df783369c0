package io.capsa.plan;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.Hierarchy;
import io.capsa.linux.Proc;
import io.capsa.seccomp.Profile;
import io.capsa.spec.MountOptions;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;
import io.capsa.spec.Spec;
import io.capsa.spec.SpecException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.capsa.spec.MountOptions.MS_BIND;
import static io.capsa.spec.MountOptions.MS_PRIVATE;
import static io.capsa.spec.MountOptions.MS_RDONLY;
import static io.capsa.spec.MountOptions.MS_REC;
import static io.capsa.spec.MountOptions.MS_REMOUNT;

/** Turns a container's config.json into the helper's plan for `create`. */
public final class ContainerPlanner {
    private ContainerPlanner() {}

    /** How this create was asked for, beyond config.json. */
    public record Options(int preserveFds, boolean noPivot, boolean monitor, boolean privileged, String sessionKeyring,
                          Path consoleSocket) {}

    private static final long CLONE_NEWTIME = 0x80;
    private static final String[][] DEVICES = { // name, major, minor
            {"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"}, {"random", "1", "8"},
            {"urandom", "1", "9"}, {"tty", "5", "0"}};
    private static final String[][] DEV_LINKS = { // link, target
            {"/dev/fd", "/proc/self/fd"}, {"/dev/stdin", "/proc/self/fd/0"}, {"/dev/stdout", "/proc/self/fd/1"},
            {"/dev/stderr", "/proc/self/fd/2"}, {"/dev/ptmx", "pts/ptmx"}, {"/dev/core", "/proc/kcore"}};

    public static Plan plan(Spec spec, Path bundle, Path execFifo, List<Path> cgroupDirs, CgroupLayout layout,
                            Options options) {
        if (spec.process() == null) throw new SpecException("process: is required");
        Spec.Linux linux = spec.linux();
        if (!linux.creates(NamespaceType.MOUNT))
            throw new SpecException("linux.namespaces: capsa needs a new mount namespace to set up the root filesystem");
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) throw new SpecException("root.path: " + rootfs + " is not a directory");
        String root = rootfs.toString();

        Plan plan = new Plan();
        plan.add(Op.PRESERVE_FDS, "keep " + options.preserveFds() + " extra descriptors", options.preserveFds());
        for (Spec.Namespace ns : linux.namespaces()) {
            if (ns.path() == null || ns.type() == NamespaceType.MOUNT) continue;
            if (!Files.exists(Path.of(ns.path())))
                throw new SpecException("linux.namespaces: " + ns.type().specName() + " namespace path " + ns.path() + " does not exist");
            if (Proc.namespaceInode(Path.of(ns.path())) == Proc.namespaceInode(Path.of("/proc/self/ns", ns.type().procName())))
                continue; // already there: setns into one's own user namespace is refused
            plan.add(Op.SETNS, "join " + ns.type().specName() + " namespace " + ns.path(), ns.path(), ns.type().cloneFlag());
        }
        if (linux.creates(NamespaceType.TIME)) {
            plan.add(Op.UNSHARE, "create time namespace", CLONE_NEWTIME);
            StringBuilder offsets = new StringBuilder();
            linux.timeOffsets().forEach((clock, v) -> offsets.append(clock).append(' ').append(v[0]).append(' ').append(v[1]).append('\n'));
            if (!offsets.isEmpty())
                plan.add(Op.WRITE_FILE, "set time namespace offsets", "/proc/self/timens_offsets", offsets);
        }
        plan.add(Op.OPEN_FIFO, "open " + execFifo, execFifo);
        if (options.monitor()) plan.add(Op.MONITOR, "monitor the container");
        addConsoleEnd(plan, spec.process(), options.consoleSocket(), options.monitor());
        // Time and cgroup namespaces come later: a time namespace's offsets must be set before any process
        // enters it, and a cgroup namespace takes its root from the cgroup the process is in when it is made.
        long flags = linux.namespaces().stream()
                .filter(n -> n.path() == null && n.type() != NamespaceType.TIME && n.type() != NamespaceType.CGROUP)
                .mapToLong(n -> n.type().cloneFlag()).reduce(0, (a, b) -> a | b);
        String created = linux.namespaces().stream().filter(n -> n.path() == null)
                .map(n -> n.type().specName()).collect(Collectors.joining(","));
        plan.add(Op.CLONE, "create namespaces (" + created + ")", flags);
        plan.add(Op.SYNC, "wait for the cgroup");

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
        if (spec.hostname() != null) plan.add(Op.SETHOSTNAME, "set hostname " + spec.hostname(), spec.hostname());
        if (spec.domainname() != null)
            plan.add(Op.SETDOMAINNAME, "set domainname " + spec.domainname(), spec.domainname());

        long rootPropagation = linux.rootfsPropagation() == null ? MS_REC | MS_PRIVATE
                : MountOptions.propagation(linux.rootfsPropagation());
        plan.add(Op.MOUNT, "make / " + (linux.rootfsPropagation() == null ? "rprivate" : linux.rootfsPropagation()),
                "", "/", "", rootPropagation, "");
        plan.add(Op.MOUNT, "bind " + root + " onto itself", root, root, "", MS_BIND | MS_REC, "");

        for (int i = 0; i < spec.mounts().size(); i++) {
            addMount(plan, root, bundle, spec.mounts().get(i), "mounts[" + i + "]", linux, cgroupDirs, layout);
        }
        Set<String> mounted = spec.mounts().stream().map(Spec.Mount::destination).collect(Collectors.toSet());
        boolean devIsBind = spec.mounts().stream().anyMatch(m -> m.destination().equals("/dev")
                && MountOptions.parse(m.options()).bind());
        if (!devIsBind) addDevices(plan, root, mounted, newUser);

        if (options.sessionKeyring() != null)
            plan.add(Op.JOIN_KEYRING, "join a new session keyring", options.sessionKeyring());
        if (options.noPivot()) plan.add(Op.MOVE_ROOT, "move " + root + " to / and chroot (--no-pivot)", root);
        else plan.add(Op.PIVOT_ROOT, "pivot_root to " + root, root);
        if (spec.root().readonly()) plan.add(Op.REMOUNT_RO, "make the root filesystem read-only", "/");

        addConsole(plan, spec.process());
        addProcess(plan, spec.process());
        plan.add(Op.READY, "report ready");
        plan.add(Op.AWAIT_START, "wait for start");
        addSeccomp(plan, linux.seccomp());
        plan.add(Op.EXEC, "exec " + spec.process().args().getFirst(), spec.process().args());
        return plan;
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

    /** In the container, after the root is entered: the pty that becomes the process's terminal. */
    static void addConsole(Plan plan, ProcessSpec process) {
        if (process.terminal())
            plan.add(Op.CONSOLE, "set up the terminal", process.consoleSize().height(), process.consoleSize().width());
    }

    /** The credentials, directory and environment of the process, and the check that its program exists. */
    static void addProcess(Plan plan, ProcessSpec process) {
        ProcessSpec.User user = process.user();
        plan.add(Op.CHDIR, "change to working directory " + process.cwd(), process.cwd());
        plan.add(Op.SETGROUPS, "set additional groups " + user.additionalGids(),
                user.additionalGids().stream().map(String::valueOf).toList());
        plan.add(Op.SETGID, "set gid " + user.gid(), user.gid());
        plan.add(Op.SETUID, "set uid " + user.uid(), user.uid());
        plan.add(Op.UMASK, "set umask", user.umask() == null ? 022 : user.umask());
        for (String e : process.env()) plan.add(Op.ENV, "set environment", e);
        String program = process.args().getFirst();
        plan.add(Op.CHECK_EXEC, "exec: \"" + program + "\": executable file not found in $PATH", program);
    }

    /** Last before exec, so that the filter binds the program and none of the helper's own steps. */
    static void addSeccomp(Plan plan, Profile seccomp) {
        if (seccomp != null) plan.add(Op.SECCOMP, "load the seccomp filter", seccomp.flagBits(), seccomp.filterHex());
    }

    private static String idMap(List<Spec.IdMapping> mappings) {
        StringBuilder s = new StringBuilder();
        for (Spec.IdMapping m : mappings) s.append(m.containerId()).append(' ').append(m.hostId()).append(' ').append(m.size()).append('\n');
        return s.toString();
    }

    private static void addMount(Plan plan, String root, Path bundle, Spec.Mount m, String field, Spec.Linux linux,
                                 List<Path> cgroupDirs, CgroupLayout layout) {
        MountOptions o = MountOptions.parse(m.options());
        String dest = m.destination();
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
            return;
        }
        plan.add(Op.MOUNT_IN_ROOT, "mount " + m.type() + " on " + dest, root, m.source(), dest, m.type(), o.flags(),
                o.data(), "d");
        if (o.propagation() != 0) addPropagation(plan, root, dest, o, "d");
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

    /** The standard /dev nodes: made with mknod, or bound from the host where a user namespace forbids mknod. */
    private static void addDevices(Plan plan, String root, Set<String> mounted, boolean newUser) {
        for (String[] d : DEVICES) {
            String dest = "/dev/" + d[0];
            if (mounted.contains(dest)) continue;
            if (newUser) {
                plan.add(Op.MOUNT_IN_ROOT, "bind " + dest + " from the host", root, dest, dest, "", MS_BIND, "", "f");
            } else {
                plan.add(Op.MKNOD_IN_ROOT, "mknod " + dest, root, dest, 020666, d[1], d[2], 0, 0);
            }
        }
        for (String[] l : DEV_LINKS) {
            if (mounted.contains(l[0])) continue;
            if (l[0].equals("/dev/core") && !Files.exists(Path.of("/proc/kcore"))) continue;
            plan.add(Op.SYMLINK_IN_ROOT, "symlink " + l[0] + " -> " + l[1], root, l[1], l[0]);
        }
    }

}
