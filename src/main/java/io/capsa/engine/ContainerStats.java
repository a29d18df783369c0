package io.capsa.engine;

import io.capsa.linux.FileText;
import io.capsa.linux.Proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One sample of a container's resource usage, the figures docker stats shows (from its cgroups and, for
 * the network, its network namespace), all zero for a container that is not running. CPU times are in
 * nanoseconds: the container's, and the whole host's over all its onlineCpus, so that two samples give
 * Docker's CPU %. memoryUsage leaves out the inactive page cache, as Docker's does; memoryLimit is the
 * cgroup's limit, or the host's memory when that is less.
 */
public record ContainerStats(String id, String name, Instant read, long cpuNanos, long systemCpuNanos, int onlineCpus,
                             long memoryUsage, long memoryLimit, long networkRx, long networkTx, long blockRead,
                             long blockWrite, long pids) {
    /** USER_HZ, the unit of /proc/stat's times on every Linux architecture. */
    private static final long NANOS_PER_TICK = 10_000_000;

    static ContainerStats none(ContainerRecord record) {
        return new ContainerStats(record.id(), record.name(), Instant.now(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** From the runtime's stats data (runc's `events --stats` shape) of a container whose init is initPid. */
    static ContainerStats of(ContainerRecord record, Map<?, ?> data, int initPid) {
        Instant read = Instant.now();
        long[] system = systemCpu();
        Map<?, ?> memory = map(data, "memory");
        Map<?, ?> usage = map(memory, "usage");
        long limit = number(usage, "limit");
        long hostMemory = hostMemory();
        long[] network = network(initPid);
        long[] block = blockIo(data);
        return new ContainerStats(record.id(), record.name(), read, number(map(map(data, "cpu"), "usage"), "total"), system[0],
                (int) system[1], withoutInactiveFiles(number(usage, "usage"), map(memory, "raw")),
                limit <= 0 || limit > hostMemory ? hostMemory : limit, network[0], network[1], block[0], block[1],
                number(map(data, "pids"), "current"));
    }

    /** Docker's CPU %: the container's share of the host's CPU time since the earlier sample, times the CPUs. */
    public double cpuPercent(ContainerStats earlier) {
        long cpu = cpuNanos - earlier.cpuNanos, system = systemCpuNanos - earlier.systemCpuNanos;
        return cpu > 0 && system > 0 ? 100.0 * cpu / system * onlineCpus : 0;
    }

    public double memoryPercent() {
        return memoryLimit == 0 ? 0 : 100.0 * memoryUsage / memoryLimit;
    }

    /** v1 names the page cache no process touched lately total_inactive_file, v2 inactive_file. */
    private static long withoutInactiveFiles(long usage, Map<?, ?> raw) {
        long inactive = raw.containsKey("total_inactive_file") ? number(raw, "total_inactive_file") : number(raw, "inactive_file");
        return inactive < usage ? usage - inactive : usage;
    }

    /** Bytes read and written, summed over the devices. */
    private static long[] blockIo(Map<?, ?> data) {
        long[] io = new long[2];
        Object entries = map(data, "blkio").get("io_service_bytes_recursive");
        if (entries instanceof List<?> list) {
            for (Object e : list) {
                String op = String.valueOf(((Map<?, ?>) e).get("op")).toLowerCase();
                if (op.startsWith("r")) io[0] += number((Map<?, ?>) e, "value");
                if (op.startsWith("w")) io[1] += number((Map<?, ?>) e, "value");
            }
        }
        return io;
    }

    /**
     * Bytes received and sent by the interfaces of the container's own network namespace, but lo, as Docker
     * counts its endpoints' interfaces; none for a container in the host's network namespace.
     */
    private static long[] network(int initPid) {
        long[] bytes = new long[2];
        Path netns = Path.of("/proc/" + initPid + "/ns/net");
        if (Proc.namespaceInode(netns) == Proc.namespaceInode(Path.of("/proc/self/ns/net"))) return bytes;
        String[] lines = read("/proc/" + initPid + "/net/dev").split("\n");
        for (int i = 2; i < lines.length; i++) { // two header lines
            int colon = lines[i].indexOf(':');
            if (colon < 0 || lines[i].substring(0, colon).strip().equals("lo")) continue;
            String[] f = lines[i].substring(colon + 1).strip().split(" +");
            bytes[0] += Long.parseLong(f[0]);
            bytes[1] += Long.parseLong(f[8]);
        }
        return bytes;
    }

    /** The host's CPU time in nanoseconds (the first line of /proc/stat, as Docker sums it) and its CPUs. */
    private static long[] systemCpu() {
        String[] lines = read("/proc/stat").split("\n");
        String[] f = lines[0].split(" +");
        long ticks = 0;
        for (int i = 1; i <= 7 && i < f.length; i++) ticks += Long.parseLong(f[i]); // user .. softirq
        int cpus = 0;
        for (int i = 1; i < lines.length && lines[i].startsWith("cpu"); i++) cpus++;
        return new long[] {ticks * NANOS_PER_TICK, cpus};
    }

    private static long hostMemory() {
        for (String line : read("/proc/meminfo").split("\n"))
            if (line.startsWith("MemTotal:")) return Long.parseLong(line.substring(9).strip().split(" ")[0]) * 1024;
        return 0;
    }

    private static String read(String file) {
        try {
            return FileText.read(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<?, ?> map(Map<?, ?> m, String key) {
        return m.get(key) instanceof Map<?, ?> value ? value : Map.of();
    }

    private static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
