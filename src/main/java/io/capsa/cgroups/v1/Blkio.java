package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** v1 blkio: weights (CFQ/BFQ, where the scheduler has them) and the throttle.* limits. */
public final class Blkio implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.BlockIo b = r.blockIo();
        if (b == null) return;
        if (b.weight() != null) dir.write(weightFile(dir, "weight"), b.weight());
        if (b.leafWeight() != null) dir.write(weightFile(dir, "leaf_weight"), b.leafWeight());
        for (Resources.WeightDevice d : b.weightDevices()) {
            if (d.weight() != null) dir.write(weightFile(dir, "weight_device"), d.major() + ":" + d.minor() + " " + d.weight());
            if (d.leafWeight() != null) dir.write(weightFile(dir, "leaf_weight_device"), d.major() + ":" + d.minor() + " " + d.leafWeight());
        }
        throttle(dir, "blkio.throttle.read_bps_device", b.readBps());
        throttle(dir, "blkio.throttle.write_bps_device", b.writeBps());
        throttle(dir, "blkio.throttle.read_iops_device", b.readIops());
        throttle(dir, "blkio.throttle.write_iops_device", b.writeIops());
    }

    /** CFQ names its files blkio.weight; BFQ blkio.bfq.weight. */
    private static String weightFile(CgroupDir dir, String name) {
        return dir.has("blkio." + name) || !dir.has("blkio.bfq." + name) ? "blkio." + name : "blkio.bfq." + name;
    }

    private static void throttle(CgroupDir dir, String file, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice d : devices) dir.write(file, d.major() + ":" + d.minor() + " " + d.rate());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        stats.put("blkio", Map.of("io_service_bytes_recursive", entries(dir, "blkio.throttle.io_service_bytes_recursive"),
                "io_serviced_recursive", entries(dir, "blkio.throttle.io_serviced_recursive")));
    }

    /** "8:0 Read 4096" lines as runc's {major, minor, op, value} entries. */
    private static List<Map<String, Object>> entries(CgroupDir dir, String file) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!dir.has(file)) return out;
        for (String line : dir.read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length != 3 || !f[0].contains(":")) continue;
            String[] mm = f[0].split(":");
            out.add(Map.of("major", Long.parseLong(mm[0]), "minor", Long.parseLong(mm[1]), "op", f[1], "value", Long.parseLong(f[2])));
        }
        return out;
    }
}
