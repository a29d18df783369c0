package io.capsa.cgroups;

import io.capsa.spec.Resources;

import java.util.Map;

/** cpuset.cpus and cpuset.mems: the same files on v1 and v2. */
public final class Cpuset implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Cpu c = r.cpu();
        if (c == null) return;
        if (c.cpus() != null && !c.cpus().isEmpty()) dir.write("cpuset.cpus", c.cpus());
        if (c.mems() != null && !c.mems().isEmpty()) dir.write("cpuset.mems", c.mems());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        stats.put("cpuset", Map.of("cpus", dir.read("cpuset.cpus"), "mems", dir.read("cpuset.mems")));
    }
}
