package io.capsa.cgroups;

import io.capsa.spec.Resources;

import java.util.Map;

/** pids.max: the same file on v1 and v2. */
public final class Pids implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        if (r.pidsLimit() != null) dir.write("pids.max", r.pidsLimit() == -1 ? "max" : r.pidsLimit());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        stats.put("pids", Map.of("current", dir.number("pids.current"), "limit", Math.max(0, dir.number("pids.max"))));
    }
}
