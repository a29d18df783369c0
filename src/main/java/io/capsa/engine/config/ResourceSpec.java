package io.capsa.engine.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** linux.resources from Docker's resource fields, as dockerd converts them (--cpus to a quota over a 100 ms period). */
final class ResourceSpec {
    private ResourceSpec() {}

    static final long CPU_PERIOD = 100_000;
    static final long MIN_SHARES = 2, MAX_SHARES = 262_144;

    /** Whether the kernel accounts swap in cgroups (v1's memsw files, v2's memory.swap.max). */
    static final boolean SWAP_ACCOUNTED = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
            || Files.exists(Path.of("/sys/fs/cgroup/init.scope/memory.swap.max"))
            || Files.exists(Path.of("/sys/fs/cgroup/system.slice/memory.swap.max"));

    static Map<String, Object> of(ResourceLimits r) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> memory = new LinkedHashMap<>();
        if (r.memory() > 0) memory.put("limit", r.memory());
        if (r.memoryReservation() > 0) memory.put("reservation", r.memoryReservation());
        if (r.memorySwap() != 0) memory.put("swap", r.memorySwap());
        else if (r.memory() > 0 && SWAP_ACCOUNTED) memory.put("swap", 2 * r.memory()); // dockerd's default: as much swap as memory
        if (r.oomKillDisable() != null) memory.put("disableOOMKiller", r.oomKillDisable());
        if (!memory.isEmpty()) out.put("memory", memory);
        Map<String, Object> cpu = new LinkedHashMap<>();
        // dockerd raises shares below the kernel's least and lowers those above its most
        if (r.cpuShares() > 0) cpu.put("shares", Math.clamp(r.cpuShares(), MIN_SHARES, MAX_SHARES));
        if (r.nanoCpus() > 0) {
            cpu.put("quota", r.nanoCpus() * CPU_PERIOD / 1_000_000_000L);
            cpu.put("period", CPU_PERIOD);
        }
        if (r.cpuQuota() != 0) cpu.put("quota", r.cpuQuota());
        if (r.cpuPeriod() != 0) cpu.put("period", r.cpuPeriod());
        if (!r.cpusetCpus().isEmpty()) cpu.put("cpus", r.cpusetCpus());
        if (!r.cpusetMems().isEmpty()) cpu.put("mems", r.cpusetMems());
        if (!cpu.isEmpty()) out.put("cpu", cpu);
        if (r.pidsLimit() != null && r.pidsLimit() != 0) out.put("pids", Map.of("limit", r.pidsLimit() > 0 ? r.pidsLimit() : -1L));
        Map<String, Object> blkio = new LinkedHashMap<>();
        if (r.blkioWeight() > 0) blkio.put("weight", (long) r.blkioWeight());
        throttles(blkio, "throttleReadBpsDevice", "--device-read-bps", r.blkioDeviceReadBps());
        throttles(blkio, "throttleWriteBpsDevice", "--device-write-bps", r.blkioDeviceWriteBps());
        throttles(blkio, "throttleReadIOPSDevice", "--device-read-iops", r.blkioDeviceReadIOps());
        throttles(blkio, "throttleWriteIOPSDevice", "--device-write-iops", r.blkioDeviceWriteIOps());
        if (!blkio.isEmpty()) out.put("blockIO", blkio);
        return out;
    }

    private static void throttles(Map<String, Object> blkio, String key, String flag, List<ResourceLimits.ThrottleDevice> devices) {
        if (devices.isEmpty()) return;
        List<Object> list = new ArrayList<>();
        for (ResourceLimits.ThrottleDevice d : devices) {
            HostDevice dev = HostDevice.block(flag, d.path());
            list.add(Map.of("major", dev.major(), "minor", dev.minor(), "rate", d.rate()));
        }
        blkio.put(key, list);
    }
}
