package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** v2 io: io.weight (or io.bfq.weight) converted from blkio weights, and io.max from the throttles. */
public final class Io implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Resources.BlockIo b = r.blockIo();
        if (b == null) return;
        if (b.leafWeight() != null) throw new CapsaException("linux.resources.blockIO.leafWeight does not exist on cgroup v2");
        String weightFile = dir.has("io.bfq.weight") ? "io.bfq.weight" : "io.weight";
        if (b.weight() != null) dir.write(weightFile, "default " + weight(b.weight()));
        for (Resources.WeightDevice d : b.weightDevices()) {
            if (d.weight() != null) dir.write(weightFile, d.major() + ":" + d.minor() + " " + weight(d.weight()));
        }
        Map<String, StringBuilder> max = new LinkedHashMap<>();
        limits(max, "rbps", b.readBps());
        limits(max, "wbps", b.writeBps());
        limits(max, "riops", b.readIops());
        limits(max, "wiops", b.writeIops());
        max.forEach((device, line) -> dir.write("io.max", device + line));
    }

    /** runc's mapping of blkio weight [10, 1000] onto io.weight [1, 10000]. */
    public static long weight(long blkio) {
        return 1 + (blkio - 10) * 9999 / 990;
    }

    private static void limits(Map<String, StringBuilder> max, String key, List<Resources.ThrottleDevice> devices) {
        for (Resources.ThrottleDevice d : devices) {
            max.computeIfAbsent(d.major() + ":" + d.minor(), k -> new StringBuilder())
                    .append(' ').append(key).append('=').append(d.rate() == 0 ? "max" : Long.toString(d.rate()));
        }
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {
        List<Map<String, Object>> bytes = new ArrayList<>(), ops = new ArrayList<>();
        for (String line : dir.read("io.stat").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) continue;
            String[] mm = f[0].split(":");
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=");
                Map<String, Object> e = Map.of("major", Long.parseLong(mm[0]), "minor", Long.parseLong(mm[1]),
                        "op", kv[0].startsWith("r") ? "Read" : "Write", "value", Long.parseLong(kv[1]));
                if (kv[0].equals("rbytes") || kv[0].equals("wbytes")) bytes.add(e);
                if (kv[0].equals("rios") || kv[0].equals("wios")) ops.add(e);
            }
        }
        stats.put("blkio", Map.of("io_service_bytes_recursive", bytes, "io_serviced_recursive", ops));
    }
}
