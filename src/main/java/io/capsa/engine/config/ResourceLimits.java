package io.capsa.engine.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.capsa.engine.config.JsonFields.boolOrNull;
import static io.capsa.engine.config.JsonFields.maps;
import static io.capsa.engine.config.JsonFields.number;
import static io.capsa.engine.config.JsonFields.numberOrNull;
import static io.capsa.engine.config.JsonFields.string;

/**
 * The resource fields of Docker's HostConfig, as its "Resources" (0 or "" = not set, as Docker's);
 * nanoCpus is --cpus in billionths; pidsLimit null = not set.
 */
public record ResourceLimits(long cpuShares, long memory, long nanoCpus, long cpuPeriod, long cpuQuota, String cpusetCpus,
                             String cpusetMems, long memoryReservation, long memorySwap, Boolean oomKillDisable,
                             Long pidsLimit, int blkioWeight, List<ThrottleDevice> blkioDeviceReadBps,
                             List<ThrottleDevice> blkioDeviceWriteBps, List<ThrottleDevice> blkioDeviceReadIOps,
                             List<ThrottleDevice> blkioDeviceWriteIOps) {

    /** A --device-read-bps and the like: a host block device and its rate (bytes or operations per second). */
    public record ThrottleDevice(String path, long rate) {}

    public ResourceLimits {
        cpusetCpus = cpusetCpus == null ? "" : cpusetCpus;
        cpusetMems = cpusetMems == null ? "" : cpusetMems;
        blkioDeviceReadBps = List.copyOf(blkioDeviceReadBps == null ? List.of() : blkioDeviceReadBps);
        blkioDeviceWriteBps = List.copyOf(blkioDeviceWriteBps == null ? List.of() : blkioDeviceWriteBps);
        blkioDeviceReadIOps = List.copyOf(blkioDeviceReadIOps == null ? List.of() : blkioDeviceReadIOps);
        blkioDeviceWriteIOps = List.copyOf(blkioDeviceWriteIOps == null ? List.of() : blkioDeviceWriteIOps);
    }

    public static final ResourceLimits NONE = new ResourceLimits(0, 0, 0, 0, 0, "", "", 0, 0, null, null, 0, null, null, null, null);

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CpuShares", cpuShares);
        m.put("Memory", memory);
        m.put("NanoCpus", nanoCpus);
        m.put("BlkioWeight", blkioWeight);
        m.put("BlkioDeviceReadBps", throttles(blkioDeviceReadBps));
        m.put("BlkioDeviceWriteBps", throttles(blkioDeviceWriteBps));
        m.put("BlkioDeviceReadIOps", throttles(blkioDeviceReadIOps));
        m.put("BlkioDeviceWriteIOps", throttles(blkioDeviceWriteIOps));
        m.put("CpuPeriod", cpuPeriod);
        m.put("CpuQuota", cpuQuota);
        m.put("CpusetCpus", cpusetCpus);
        m.put("CpusetMems", cpusetMems);
        m.put("MemoryReservation", memoryReservation);
        m.put("MemorySwap", memorySwap);
        m.put("OomKillDisable", oomKillDisable);
        m.put("PidsLimit", pidsLimit);
        return m;
    }

    private static List<Object> throttles(List<ThrottleDevice> devices) {
        List<Object> out = new ArrayList<>();
        for (ThrottleDevice d : devices) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Path", d.path());
            m.put("Rate", d.rate());
            out.add(m);
        }
        return out;
    }

    private static List<ThrottleDevice> throttles(Map<?, ?> m, String key) {
        List<ThrottleDevice> out = new ArrayList<>();
        for (Map<?, ?> d : maps(m, key)) out.add(new ThrottleDevice(string(d, "Path"), number(d, "Rate")));
        return out;
    }

    /** From a HostConfig's JSON, where these fields are at the top level. */
    static ResourceLimits fromJson(Map<?, ?> m) {
        return new ResourceLimits(number(m, "CpuShares"), number(m, "Memory"), number(m, "NanoCpus"), number(m, "CpuPeriod"),
                number(m, "CpuQuota"), string(m, "CpusetCpus"), string(m, "CpusetMems"), number(m, "MemoryReservation"),
                number(m, "MemorySwap"), boolOrNull(m, "OomKillDisable"), numberOrNull(m, "PidsLimit"),
                (int) number(m, "BlkioWeight"), throttles(m, "BlkioDeviceReadBps"), throttles(m, "BlkioDeviceWriteBps"),
                throttles(m, "BlkioDeviceReadIOps"), throttles(m, "BlkioDeviceWriteIOps"));
    }
}
