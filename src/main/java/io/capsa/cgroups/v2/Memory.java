package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.cgroups.OomCounter;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * v2 memory: memory.max, memory.low, and memory.swap.max, which counts swap alone where the spec's swap
 * counts memory plus swap (runc's conversion).
 */
public final class Memory implements Controller, OomCounter {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Memory m = r.memory();
        if (m == null) return;
        if (m.kernel() != null || m.kernelTcp() != null || m.swappiness() != null || m.disableOomKiller() != null)
            throw new CapsaException("linux.resources.memory: kernel, kernelTCP, swappiness and disableOOMKiller do not exist on cgroup v2");
        if (Boolean.TRUE.equals(m.checkBeforeUpdate()) && m.limit() != null && m.limit() > 0
                && m.limit() < dir.number("memory.current"))
            throw new CapsaException("memory limit " + m.limit() + " is below the current usage " + dir.number("memory.current"));
        if (m.swap() != null) {
            dir.write("memory.swap.max", swapMax(m));
        } else if (Long.valueOf(-1).equals(m.limit()) && dir.has("memory.swap.max")) {
            dir.write("memory.swap.max", "max"); // as on v1: unlimited memory with no swap limit given lifts both
        }
        if (m.limit() != null) dir.write("memory.max", max(m.limit()));
        if (m.reservation() != null) dir.write("memory.low", max(m.reservation()));
    }

    public static String swapMax(Resources.Memory m) {
        if (m.swap() == -1) return "max";
        if (m.limit() == null || m.limit() == -1 || m.swap() < m.limit())
            throw new CapsaException("linux.resources.memory.swap: on cgroup v2 it needs a memory limit no greater than it");
        return Long.toString(m.swap() - m.limit());
    }

    static String max(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Long> raw = dir.keyed("memory.stat");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cache", raw.getOrDefault("file", 0L));
        m.put("usage", Map.of("usage", dir.number("memory.current"), "limit", dir.number("memory.max"),
                "max", dir.has("memory.peak") ? dir.number("memory.peak") : 0L));
        if (dir.has("memory.swap.current"))
            m.put("swap_usage", Map.of("usage", dir.number("memory.swap.current"), "limit", dir.number("memory.swap.max")));
        m.put("oom_kill", oomKills(dir));
        m.put("raw", raw);
        stats.put("memory", m);
    }

    @Override
    public long oomKills(CgroupDir dir) {
        return dir.keyed("memory.events").getOrDefault("oom_kill", 0L);
    }
}
