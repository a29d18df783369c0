package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Map;

/** v1 cpu: shares, CFS quota/period/burst, realtime runtime/period, idle; throttling from cpu.stat. */
public final class Cpu implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Cpu c = r.cpu();
        if (c == null) return;
        if (c.shares() != null) dir.write("cpu.shares", c.shares());
        if (c.period() != null) dir.write("cpu.cfs_period_us", c.period());
        if (c.quota() != null) dir.write("cpu.cfs_quota_us", c.quota());
        if (c.burst() != null) dir.write("cpu.cfs_burst_us", c.burst());
        if (c.realtimePeriod() != null) dir.write("cpu.rt_period_us", c.realtimePeriod());
        if (c.realtimeRuntime() != null) dir.write("cpu.rt_runtime_us", c.realtimeRuntime());
        if (c.idle() != null) dir.write("cpu.idle", c.idle());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Long> s = dir.keyed("cpu.stat");
        CpuStats.of(stats).put("throttling", Map.of("periods", s.getOrDefault("nr_periods", 0L),
                "throttled_periods", s.getOrDefault("nr_throttled", 0L), "throttled_time", s.getOrDefault("throttled_time", 0L)));
    }
}
