package io.capsa.plan;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.linux.Proc;
import io.capsa.seccomp.Profile;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The helper's plan for `exec`: join every namespace and the root of a running container's init, then exec. */
public final class ExecPlanner {
    private ExecPlanner() {}

    // Not an EnumSet: its first use finds the constants reflectively, ~1 ms in a fresh JVM.
    private static final Set<NamespaceType> ALL_TYPES = Set.of(NamespaceType.values());

    /**
     * cgroupDirs and layout, unless null: the process joins the container's cgroups itself, as the init of a
     * container does (see ContainerPlanner.joinsCgroupsItself); otherwise capsa moves it there.
     */
    public static Plan plan(int initPid, ProcessSpec process, Profile seccomp, int preserveFds, boolean monitor,
                            Path consoleSocket, List<Path> cgroupDirs, CgroupLayout layout) {
        return plan(initPid, ALL_TYPES, process, seccomp, preserveFds, monitor, consoleSocket, cgroupDirs, layout);
    }

    /** As above, joining only the namespaces of the given types (`capsa ns enter --net`), where they differ from ours. */
    public static Plan plan(int initPid, Set<NamespaceType> types, ProcessSpec process, Profile seccomp, int preserveFds,
                            boolean monitor, Path consoleSocket, List<Path> cgroupDirs, CgroupLayout layout) {
        Plan plan = new Plan();
        plan.add(Op.PRESERVE_FDS, "keep " + preserveFds + " extra descriptors", preserveFds);
        // The socket is a host path (podman's conmon makes it in /tmp): connect before joining the mount namespace.
        ContainerPlanner.addConsoleEnd(plan, process, consoleSocket, monitor);
        Path proc = Path.of("/proc", Integer.toString(initPid));
        // Opened before joining the mount namespace, after which this host path no longer resolves.
        plan.add(Op.HOLD_ROOT, "open the container's root " + proc.resolve("root"), proc.resolve("root"));
        if (cgroupDirs != null) ContainerPlanner.holdCgroups(plan, cgroupDirs, layout);
        boolean cgroupNamespaceLater = false;
        List<ContainerPlanner.Join> joins = new ArrayList<>();
        for (NamespaceType type : NamespaceType.values()) {
            if (!types.contains(type)) continue;
            Path target = proc.resolve("ns").resolve(type.procName());
            long inode = Proc.namespaceInode(target);
            if (inode == -1 || inode == Proc.namespaceInode(Path.of("/proc/self/ns", type.procName()))) continue;
            if (type == NamespaceType.CGROUP && cgroupDirs != null) {
                // Joined by the process once it is in the cgroups: where cgroup namespaces are delegation
                // boundaries (nsdelegate), the kernel refuses a move from outside the namespace's root.
                plan.add(Op.HOLD_NAMESPACE, "open the cgroup namespace of process " + initPid, target, type.cloneFlag());
                cgroupNamespaceLater = true;
                continue;
            }
            joins.add(new ContainerPlanner.Join(type, target, type.specName() + " namespace of process " + initPid));
        }
        ContainerPlanner.joinNamespaces(plan, joins);
        plan.add(Op.ENTER_HELD_ROOT, "enter the container's root");
        if (monitor) plan.add(Op.MONITOR, "monitor the process");
        plan.add(Op.CLONE, "start the process", 0);
        plan.add(Op.SYNC, "wait for the cgroup");
        if (cgroupDirs != null) plan.add(Op.JOIN_HELD_CGROUPS, "join the container's cgroups");
        if (cgroupNamespaceLater)
            plan.add(Op.SETNS, "join the cgroup namespace of process " + initPid, "", NamespaceType.CGROUP.cloneFlag());
        ContainerPlanner.addLimits(plan, process);
        ContainerPlanner.addConsole(plan, process);
        ContainerPlanner.addProcess(plan, process, seccomp);
        ContainerPlanner.addSeccomp(plan, seccomp, process, true);
        plan.add(Op.EXEC, "exec " + process.args().getFirst(), process.args());
        return plan;
    }
}
