package io.capsa.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * linux.resources (and `update --resources`): every field optional, null where not given, so that an
 * update changes only what it names.
 */
public record Resources(Memory memory, Cpu cpu, Long pidsLimit, BlockIo blockIo, List<HugepageLimit> hugepageLimits,
                        Network network, Map<String, Map<String, Long>> rdma, Map<String, String> unified,
                        List<DeviceRule> devices) {

    public record Memory(Long limit, Long reservation, Long swap, Long kernel, Long kernelTcp, Long swappiness,
                         Boolean disableOomKiller, Boolean useHierarchy, Boolean checkBeforeUpdate) {}

    public record Cpu(Long shares, Long quota, Long burst, Long period, Long realtimeRuntime, Long realtimePeriod,
                      String cpus, String mems, Long idle) {}

    public record WeightDevice(long major, long minor, Long weight, Long leafWeight) {}

    public record ThrottleDevice(long major, long minor, long rate) {}

    public record BlockIo(Long weight, Long leafWeight, List<WeightDevice> weightDevices,
                          List<ThrottleDevice> readBps, List<ThrottleDevice> writeBps,
                          List<ThrottleDevice> readIops, List<ThrottleDevice> writeIops) {}

    public record HugepageLimit(String pageSize, long limit) {}

    public record Network(Long classId, Map<String, Long> priorities) {}

    /** A devices cgroup rule; type "a" and major/minor null mean "all". */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {}

    /** The devices every container may use whatever its rules say (runc's list): null, zero, full, tty, random, urandom, ptmx, pts. */
    private static final List<DeviceRule> STANDARD_DEVICES = List.of(
            new DeviceRule(true, "c", 1L, 3L, "rwm"), new DeviceRule(true, "c", 1L, 5L, "rwm"),
            new DeviceRule(true, "c", 1L, 7L, "rwm"), new DeviceRule(true, "c", 5L, 0L, "rwm"),
            new DeviceRule(true, "c", 1L, 8L, "rwm"), new DeviceRule(true, "c", 1L, 9L, "rwm"),
            new DeviceRule(true, "c", 5L, 2L, "rwm"), new DeviceRule(true, "c", 136L, null, "rwm"));

    /**
     * The rules a new container gets: its own, then the standard devices and the ones linux.devices makes
     * allowed, so that a deny-all rule first does not lock the container out of /dev/null.
     */
    public Resources withStandardDevices(List<Spec.Device> made) {
        List<DeviceRule> rules = new ArrayList<>(devices);
        rules.addAll(STANDARD_DEVICES);
        for (Spec.Device d : made) {
            if (d.type() == 'c' || d.type() == 'b' || d.type() == 'u')
                rules.add(new DeviceRule(true, d.type() == 'b' ? "b" : "c", d.major(), d.minor(), "rwm"));
        }
        return new Resources(memory, cpu, pidsLimit, blockIo, hugepageLimits, network, rdma, unified, List.copyOf(rules));
    }

    public static final Resources NONE = new Resources(null, null, null, null, List.of(), null, Map.of(), Map.of(), List.of());

    private static final Memory NO_MEMORY = new Memory(null, null, null, null, null, null, null, null, null);
    private static final Cpu NO_CPU = new Cpu(null, null, null, null, null, null, null, null, null);
    private static final BlockIo NO_BLOCK_IO = new BlockIo(null, null, List.of(), List.of(), List.of(), List.of(), List.of());

    /**
     * As runc reads them, 0, "" and disableOOMKiller false leave a limit as it is: dockerd sends cpu.shares 0,
     * blockIO.weight 0 and disableOOMKiller false on every create, and `docker update --cpus` sends
     * memory.limit 0 beside the quota it changes.
     */
    public static Resources parse(Node r) {
        if (r.missing()) return NONE;
        Node m = r.get("memory"), c = r.get("cpu"), b = r.get("blockIO"), n = r.get("network");
        Memory memory = m.missing() ? null : unlessUnset(new Memory(limit(m.get("limit")), limit(m.get("reservation")),
                limit(m.get("swap")), limit(m.get("kernel")), limit(m.get("kernelTCP")), range(m.get("swappiness"), 0, 100),
                Boolean.TRUE.equals(bool(m.get("disableOOMKiller"))) ? true : null, bool(m.get("useHierarchy")),
                bool(m.get("checkBeforeUpdate"))), NO_MEMORY);
        Cpu cpu = c.missing() ? null : unlessUnset(new Cpu(unlessZero(c.get("shares"), 2, 262144), quota(c.get("quota")),
                range(c.get("burst"), 0, Long.MAX_VALUE), unlessZero(c.get("period"), 1000, 1_000_000),
                unlessZero(c.get("realtimeRuntime"), -1, Long.MAX_VALUE), unlessZero(c.get("realtimePeriod"), 1, Long.MAX_VALUE),
                cpuList(c.get("cpus")), cpuList(c.get("mems")), range(c.get("idle"), 0, 1)), NO_CPU);
        Long pids = r.get("pids").missing() ? null : limit(r.get("pids").get("limit"));
        BlockIo blockIo = b.missing() ? null : unlessUnset(new BlockIo(unlessZero(b.get("weight"), 10, 1000),
                unlessZero(b.get("leafWeight"), 10, 1000), weightDevices(b.get("weightDevice")),
                throttles(b.get("throttleReadBpsDevice")), throttles(b.get("throttleWriteBpsDevice")),
                throttles(b.get("throttleReadIOPSDevice")), throttles(b.get("throttleWriteIOPSDevice"))), NO_BLOCK_IO);
        List<HugepageLimit> huge = new ArrayList<>();
        for (Node h : r.get("hugepageLimits").list())
            huge.add(new HugepageLimit(pageSize(h.get("pageSize")), range(h.get("limit"), 0, Long.MAX_VALUE)));
        Map<String, Long> priorities = new LinkedHashMap<>();
        for (Node p : n.get("priorities").list()) priorities.put(p.get("name").requiredString(), p.get("priority").uint32(0));
        Network network = n.missing() ? null : new Network(unlessZero(n.get("classID"), 1, 0xffffffffL), priorities);
        Map<String, Map<String, Long>> rdma = new LinkedHashMap<>();
        r.get("rdma").entries().forEach((dev, v) -> {
            Map<String, Long> limits = new LinkedHashMap<>();
            if (!v.get("hcaHandles").missing()) limits.put("hca_handle", v.get("hcaHandles").uint32(0));
            if (!v.get("hcaObjects").missing()) limits.put("hca_object", v.get("hcaObjects").uint32(0));
            rdma.put(dev, limits);
        });
        Map<String, String> unified = new LinkedHashMap<>();
        r.get("unified").entries().forEach((k, v) -> {
            if (k.contains("/") || k.contains("..")) throw v.error("not a cgroup file name");
            unified.put(k, v.string(""));
        });
        List<DeviceRule> devices = new ArrayList<>();
        for (Node d : r.get("devices").list()) {
            String type = d.get("type").string("a");
            if (!List.of("a", "c", "b").contains(type)) throw d.get("type").error("must be a, c or b");
            String access = d.get("access").string("rwm");
            if (access.isEmpty() || !access.replace("r", "").replace("w", "").replace("m", "").isEmpty()) throw d.get("access").error("must be made of r, w and m");
            // -1, as runc reads it, or none: every major or minor
            devices.add(new DeviceRule(d.get("allow").bool(false), type,
                    d.get("major").missing() ? null : d.get("major").integer(0, -1, Spec.MAX_MAJOR),
                    d.get("minor").missing() ? null : d.get("minor").integer(0, -1, Spec.MAX_MINOR), access));
        }
        return new Resources(memory, cpu, pids, blockIo, List.copyOf(huge), network, rdma, unified, devices);
    }

    /** A section whose every field is unset is no section: it needs no controller. */
    private static <T> T unlessUnset(T section, T unset) {
        return section.equals(unset) ? null : section;
    }

    /** A byte or count limit: -1 means unlimited, 0 not set. */
    private static Long limit(Node n) {
        Long v = unlessZero(n, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v != null && v < -1) throw n.error("must be -1 (unlimited) or not negative");
        return v;
    }

    private static Long quota(Node n) {
        Long v = unlessZero(n, Long.MIN_VALUE, Long.MAX_VALUE);
        if (v != null && v != -1 && v < 1000) throw n.error("must be -1 (unlimited) or at least 1000 microseconds");
        return v;
    }

    /** A field that 0 leaves unset, else in min..max. */
    private static Long unlessZero(Node n, long min, long max) {
        return n.raw() instanceof Long v && v == 0 ? null : range(n, min, max);
    }

    private static Long range(Node n, long min, long max) {
        return n.missing() ? null : n.integer(0, min, max);
    }

    private static Boolean bool(Node n) {
        return n.missing() ? null : n.bool(false);
    }

    /** "0-3,5": checked for its form here, and against the host's cpus when applied; "" is not set. */
    private static String cpuList(Node n) {
        String s = n.string("");
        if (s.isEmpty()) return null;
        if (!s.matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) throw n.error("\"" + s + "\" is not a list such as 0-3,5");
        return s;
    }

    private static List<ThrottleDevice> throttles(Node list) {
        List<ThrottleDevice> out = new ArrayList<>();
        for (Node d : list.list())
            out.add(new ThrottleDevice(d.get("major").integer(0, 0, Spec.MAX_MAJOR), d.get("minor").integer(0, 0, Spec.MAX_MINOR),
                    range(d.get("rate"), 0, Long.MAX_VALUE)));
        return List.copyOf(out);
    }

    private static List<WeightDevice> weightDevices(Node list) {
        List<WeightDevice> out = new ArrayList<>();
        for (Node d : list.list())
            out.add(new WeightDevice(d.get("major").integer(0, 0, Spec.MAX_MAJOR), d.get("minor").integer(0, 0, Spec.MAX_MINOR),
                    unlessZero(d.get("weight"), 10, 1000), unlessZero(d.get("leafWeight"), 10, 1000)));
        return List.copyOf(out);
    }

    private static String pageSize(Node n) {
        String s = n.requiredString();
        if (!s.matches("\\d+[KMG]B")) throw n.error("\"" + s + "\" is not a page size such as 2MB");
        return s;
    }
}
