package io.capsa.cgroups.v1;

import java.util.LinkedHashMap;
import java.util.Map;

/** v1 splits cpu stats over two controllers (cpu and cpuacct), which fill one "cpu" object. */
final class CpuStats {
    private CpuStats() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> of(Map<String, Object> stats) {
        return (Map<String, Object>) stats.computeIfAbsent("cpu", k -> new LinkedHashMap<String, Object>());
    }
}
