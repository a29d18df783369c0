package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.cgroups.OomCounter;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** v1 memory: limit_in_bytes, memsw (memory + swap), soft limit, swappiness, oom_control, kmem. */
public final class Memory implements Controller, OomCounter {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.Memory m = r.memory();
        if (m == null) return;
        if (Boolean.TRUE.equals(m.checkBeforeUpdate()) && m.limit() != null && m.limit() > 0
                && m.limit() < dir.number("memory.usage_in_bytes"))
            throw new CapsaException("memory limit " + m.limit() + " is below the current usage " + dir.number("memory.usage_in_bytes"));
        // An unlimited memory limit with no swap limit given lifts the swap limit too (runc's reading), which
        // the kernel would otherwise refuse as below the memory limit.
        Long swap = m.swap() == null && Long.valueOf(-1).equals(m.limit()) && dir.has(MEMSW) ? Long.valueOf(-1) : m.swap();
        // memsw must stay at or above the memory limit: raise memsw first when growing, last when shrinking.
        boolean swapFirst = swap != null && (swap == -1 || m.limit() == null || m.limit() == -1
                || swap >= dir.number("memory.limit_in_bytes"));
        if (swapFirst) writeSwap(dir, swap);
        if (m.limit() != null) dir.write("memory.limit_in_bytes", m.limit());
        if (swap != null && !swapFirst) writeSwap(dir, swap);
        if (m.reservation() != null) dir.write("memory.soft_limit_in_bytes", m.reservation());
        if (m.swappiness() != null) dir.write("memory.swappiness", m.swappiness());
        if (m.disableOomKiller() != null) dir.write("memory.oom_control", m.disableOomKiller() ? 1 : 0);
        if (m.useHierarchy() != null) dir.write("memory.use_hierarchy", m.useHierarchy() ? 1 : 0);
        if (m.kernel() != null && dir.has(KMEM)) dir.write(KMEM, m.kernel());
        if (m.kernelTcp() != null && dir.has(KMEM_TCP)) dir.write(KMEM_TCP, m.kernelTcp());
    }

    private static final String KMEM = "memory.kmem.limit_in_bytes", KMEM_TCP = "memory.kmem.tcp.limit_in_bytes",
            MEMSW = "memory.memsw.limit_in_bytes";

    /** Kernels since 5.16 have no kernel memory limit (and 6.x no TCP one): a warning, as in runc. */
    @Override
    public List<String> unsupported(Resources r, CgroupDir dir) {
        Resources.Memory m = r.memory();
        List<String> out = new ArrayList<>();
        if (m != null && m.kernel() != null && !dir.has(KMEM))
            out.add("linux.resources.memory.kernel: ignored, this kernel has no " + KMEM);
        if (m != null && m.kernelTcp() != null && !dir.has(KMEM_TCP))
            out.add("linux.resources.memory.kernelTCP: ignored, this kernel has no " + KMEM_TCP);
        return out;
    }

    private static void writeSwap(CgroupDir dir, long swap) {
        if (!dir.has(MEMSW)) throw new CapsaException("memory.swap: this kernel has no swap accounting (" + MEMSW + ")");
        dir.write(MEMSW, swap);
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        Map<String, Long> raw = dir.keyed("memory.stat");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cache", raw.getOrDefault("cache", 0L));
        m.put("usage", usage(dir, "memory"));
        if (dir.has("memory.memsw.usage_in_bytes")) m.put("swap_usage", usage(dir, "memory.memsw"));
        m.put("oom_kill", oomKills(dir));
        m.put("raw", raw);
        stats.put("memory", m);
    }

    private static Map<String, Object> usage(CgroupDir dir, String prefix) {
        return Map.of("usage", dir.number(prefix + ".usage_in_bytes"), "max", dir.number(prefix + ".max_usage_in_bytes"),
                "limit", dir.number(prefix + ".limit_in_bytes"), "failcnt", dir.number(prefix + ".failcnt"));
    }

    @Override
    public long oomKills(CgroupDir dir) {
        return dir.keyed("memory.oom_control").getOrDefault("oom_kill", 0L);
    }
}
