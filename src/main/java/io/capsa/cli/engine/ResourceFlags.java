package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.UsageException;
import io.capsa.engine.config.HostDevice;
import io.capsa.engine.config.ResourceLimits;
import io.capsa.engine.config.Sizes;
import io.capsa.linux.FileText;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The resource flags of `run` and `create`, checked as dockerd checks them, into ResourceLimits. */
final class ResourceFlags {
    private ResourceFlags() {}

    /** The least memory limit Docker takes. */
    static final long MIN_MEMORY = 6 << 20;

    static ResourceLimits limits(Args args) {
        long nanoCpus = cpus(args.value("--cpus"));
        long shares = orZero(args.longValue("--cpu-shares")), quota = orZero(args.longValue("--cpu-quota")),
                period = orZero(args.longValue("--cpu-period"));
        if (shares < 0) throw new UsageException("--cpu-shares: must not be negative");
        if (nanoCpus > 0 && period != 0) throw new UsageException("conflicting options: --cpus and --cpu-period cannot both be set");
        if (nanoCpus > 0 && quota != 0) throw new UsageException("conflicting options: --cpus and --cpu-quota cannot both be set");
        if (period != 0 && (period < 1000 || period > 1_000_000))
            throw new UsageException("--cpu-period: CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        if (quota != 0 && quota != -1 && quota < 1000)
            throw new UsageException("--cpu-quota: CPU cfs quota can not be less than 1ms (i.e. 1000)");
        String cpusetCpus = cpuset("--cpuset-cpus", args.value("--cpuset-cpus"), Path.of("/sys/devices/system/cpu/online"));
        String cpusetMems = cpuset("--cpuset-mems", args.value("--cpuset-mems"), Path.of("/sys/devices/system/node/online"));
        long memory = size(args, "--memory"), swap = swap(args.value("--memory-swap")), reservation = size(args, "--memory-reservation");
        if (memory != 0 && memory < MIN_MEMORY) throw new UsageException("--memory: minimum memory limit allowed is 6MB");
        if (reservation != 0 && reservation < MIN_MEMORY) throw new UsageException("--memory-reservation: minimum memory reservation allowed is 6MB");
        if (memory > 0 && reservation > memory)
            throw new UsageException("--memory-reservation: minimum memory limit can not be less than memory reservation limit, see usage");
        if (swap != 0 && memory == 0) throw new UsageException("--memory-swap: you should always set the memory limit (--memory) when using the memory+swap limit");
        if (swap > 0 && swap < memory) throw new UsageException("--memory-swap: minimum memoryswap limit should be larger than memory limit, see usage");
        Boolean oomKillDisable = args.value("--oom-kill-disable") == null ? null : args.flag("--oom-kill-disable");
        String weight = args.value("--blkio-weight");
        int blkioWeight = weight == null ? 0 : Integer.parseInt(weight);
        if (blkioWeight != 0 && (blkioWeight < 10 || blkioWeight > 1000))
            throw new UsageException("--blkio-weight: range of blkio weight is from 10 to 1000");
        return new ResourceLimits(shares, memory, nanoCpus, period, quota, cpusetCpus, cpusetMems, reservation, swap,
                oomKillDisable, args.longValue("--pids-limit"), blkioWeight, throttles(args, "--device-read-bps", true),
                throttles(args, "--device-write-bps", true), throttles(args, "--device-read-iops", false),
                throttles(args, "--device-write-iops", false));
    }

    private static long orZero(Long n) {
        return n == null ? 0 : n;
    }

    private static long size(Args args, String flag) {
        String value = args.value(flag);
        return value == null ? 0 : RunFlags.size(flag, value);
    }

    private static long swap(String value) {
        return value == null ? 0 : value.equals("-1") ? -1 : RunFlags.size("--memory-swap", value);
    }

    /** --cpus 1.5 -> 1500000000 billionths, at most the host's CPUs (as dockerd checks them). */
    private static long cpus(String value) {
        if (value == null) return 0;
        BigDecimal nano;
        try {
            nano = new BigDecimal(value).movePointRight(9);
        } catch (NumberFormatException e) {
            throw new UsageException("--cpus: " + Quoted.of(value) + " is not a number");
        }
        int host = Runtime.getRuntime().availableProcessors();
        if (nano.signum() < 0 || nano.compareTo(BigDecimal.valueOf(host).movePointRight(9)) > 0 || nano.signum() > 0 && nano.compareTo(BigDecimal.valueOf(10_000_000)) < 0)
            throw new UsageException("--cpus: range of CPUs is from 0.01 to " + host + ".00, as there are only " + host + " CPUs available");
        return nano.longValue();
    }

    /** "0-3,5", each within what the host has online. */
    private static String cpuset(String flag, String value, Path online) {
        if (value == null || value.isEmpty()) return "";
        List<Integer> wanted = list(value);
        if (wanted == null) throw new UsageException(flag + ": invalid value " + Quoted.of(value) + " (a list such as 0-3,5)");
        String available;
        try {
            available = FileText.read(online).strip();
        } catch (IOException e) {
            available = "0"; // no NUMA nodes listed: one node
        }
        List<Integer> have = list(available);
        if (have != null && !have.containsAll(wanted))
            throw new UsageException(flag + ": requested " + value + " is not available, the host has " + available);
        return value;
    }

    /** The numbers of a list such as 0-3,5, or null when it is not one. */
    private static List<Integer> list(String s) {
        List<Integer> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            int dash = part.indexOf('-');
            try {
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash)), to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (from < 0 || to < from || to - from > 65536) return null;
                for (int i = from; i <= to; i++) out.add(i);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return out;
    }

    /** --device-read-bps /dev/sda:1mb (a size) or --device-read-iops /dev/sda:1000 (a number), of a block device. */
    private static List<ResourceLimits.ThrottleDevice> throttles(Args args, String flag, boolean bytes) {
        List<ResourceLimits.ThrottleDevice> out = new ArrayList<>();
        for (String raw : args.values(flag)) {
            int colon = raw.lastIndexOf(':');
            if (colon <= 0 || !raw.startsWith("/dev/")) throw new UsageException(flag + ": bad format " + Quoted.of(raw) + " (/dev/DEVICE:RATE)");
            String path = raw.substring(0, colon), rate = raw.substring(colon + 1);
            long n;
            if (bytes) n = RunFlags.size(flag, rate);
            else {
                try {
                    n = Long.parseLong(rate);
                    if (n < 0) throw new NumberFormatException();
                } catch (NumberFormatException e) {
                    throw new UsageException(flag + ": invalid rate " + Quoted.of(rate) + " (a number of operations per second)");
                }
            }
            HostDevice.block(flag, path);
            out.add(new ResourceLimits.ThrottleDevice(path, n));
        }
        return out;
    }
}
