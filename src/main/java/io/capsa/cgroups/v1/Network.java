package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Map;

/** v1 net_cls and net_prio, often co-mounted: the class id and the per-interface priorities. */
public final class Network implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Network n = r.network();
        if (n == null) return;
        if (n.classId() != null) dir.write("net_cls.classid", n.classId());
        n.priorities().forEach((iface, prio) -> dir.write("net_prio.ifpriomap", iface + " " + prio));
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
