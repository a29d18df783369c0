package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.util.Map;

/** v2 cpu: cpu.weight from shares, cpu.max from quota and period, cpu.max.burst, cpu.idle; usage from cpu.stat. */
public final class Cpu implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Cpu c = r.cpu();
        if (c == null) return;
        if (c.realtimeRuntime() != null || c.realtimePeriod() != null)
            throw new CapsaException("linux.resources.cpu: realtimeRuntime and realtimePeriod do not exist on cgroup v2");
        if (c.shares() != null) dir.write("cpu.weight", weight(c.shares()));
        if (c.quota() != null || c.period() != null) {
            String[] current = dir.read("cpu.max").split(" ");
            String quota = c.quota() == null ? current[0] : c.quota() == -1 ? "max" : Long.toString(c.quota());
            dir.write("cpu.max", quota + " " + (c.period() == null ? current[1] : c.period()));
        }
        if (c.burst() != null) dir.write("cpu.max.burst", c.burst());
        if (c.idle() != null) dir.write("cpu.idle", c.idle());
    }

    /** runc's mapping of cpu.shares [2, 262144] onto cpu.weight [1, 10000]. */
    public static long weight(long shares) {
        return 1 + ((shares - 2) * 9999) / 262142;
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Long> s = dir.keyed("cpu.stat");
        stats.put("cpu", Map.of(
                "usage", Map.of("total", s.getOrDefault("usage_usec", 0L) * 1000, "user", s.getOrDefault("user_usec", 0L) * 1000,
                        "kernel", s.getOrDefault("system_usec", 0L) * 1000),
                "throttling", Map.of("periods", s.getOrDefault("nr_periods", 0L), "throttled_periods", s.getOrDefault("nr_throttled", 0L),
                        "throttled_time", s.getOrDefault("throttled_usec", 0L) * 1000)));
    }
}
