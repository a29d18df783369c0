package io.capsa.nstools;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.linux.Proc;
import io.capsa.plan.ExecPlanner;
import io.capsa.plan.Plan;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * What `capsa ns enter` has the helper do, as `nsenter --target PID` with `--root`: join the target's
 * namespaces of the chosen types (those that are the same as ours are skipped: joining them changes
 * nothing), enter its root, join its cgroups when given them, and exec the process. It is exec's plan
 * without a seccomp filter, since nsenter loads none; the helper runs it as it runs exec's.
 */
public final class NamespaceEnter {
    private NamespaceEnter() {}

    /**
     * types: the namespaces to join (NamespaceType.values() for all); cgroupDirs and layout, unless null,
     * the target's cgroups, which the process joins itself; otherwise it stays in the caller's.
     */
    public static Plan plan(int targetPid, Set<NamespaceType> types, ProcessSpec process,
                            List<Path> cgroupDirs, CgroupLayout layout) {
        if (Proc.startTime(targetPid) == -1) throw new CapsaException("no running process " + targetPid + " to enter");
        return ExecPlanner.plan(targetPid, types, process, null, 0, true, null, cgroupDirs, layout);
    }
}
