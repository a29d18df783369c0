package io.capsa.cgroups;

import io.capsa.spec.Resources;

import java.util.List;
import java.util.Map;

/** One controller of one cgroup version: it writes the limits it owns and reads its usage back. */
public interface Controller {
    /** Writes the fields of r that this controller owns; fields left null stay as they are. */
    void apply(Resources r, CgroupDir dir);

    /** What of r this host's kernel no longer has, and apply therefore leaves out. */
    default List<String> unsupported(Resources r, CgroupDir dir) {
        return List.of();
    }

    /** Adds this controller's usage to stats, in the shape of runc's `events --stats`. */
    void stats(CgroupDir dir, Map<String, Object> stats);
}
