package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Arrays;
import java.util.Map;

/** v1 cpuacct: usage in nanoseconds, total and per cpu. It has nothing to limit. */
public final class Cpuacct implements Controller {
    private static final double NANOS_PER_TICK = 1e9 / 100; // USER_HZ

    @Override
    public void apply(Resources r, CgroupDir dir) {}

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Long> ticks = dir.keyed("cpuacct.stat");
        CpuStats.of(stats).put("usage", Map.of("total", dir.number("cpuacct.usage"),
                "percpu", Arrays.stream(dir.read("cpuacct.usage_percpu").split("\\s+")).map(Long::parseLong).toList(),
                "user", (long) (ticks.getOrDefault("user", 0L) * NANOS_PER_TICK),
                "kernel", (long) (ticks.getOrDefault("system", 0L) * NANOS_PER_TICK)));
    }
}
