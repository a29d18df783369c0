package io.capsa.cgroups;

import io.capsa.spec.Resources;

import java.util.Map;
import java.util.stream.Collectors;

/** rdma.max: the same file on v1 and v2, one line per device. */
public final class Rdma implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        r.rdma().forEach((device, limits) -> dir.write("rdma.max", device + " " + limits.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "))));
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
