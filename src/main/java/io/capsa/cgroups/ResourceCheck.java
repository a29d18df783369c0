package io.capsa.cgroups;

import io.capsa.linux.FileText;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/** What linux.resources names must exist on this host: online cpus and nodes, block devices, cgroup v2. */
final class ResourceCheck {
    private ResourceCheck() {}

    static void check(Resources r, CgroupLayout layout) {
        if (r.cpu() != null) {
            within("cpu.cpus", r.cpu().cpus(), "/sys/devices/system/cpu/online");
            within("cpu.mems", r.cpu().mems(), "/sys/devices/system/node/online");
        }
        if (r.blockIo() != null) {
            r.blockIo().weightDevices().forEach(d -> device("blockIO.weightDevice", d.major(), d.minor()));
            for (var list : java.util.List.of(r.blockIo().readBps(), r.blockIo().writeBps(), r.blockIo().readIops(), r.blockIo().writeIops()))
                list.forEach(d -> device("blockIO throttle", d.major(), d.minor()));
        }
        if (!r.unified().isEmpty()) {
            Hierarchy v2 = layout.hierarchies().stream().filter(Hierarchy::unified).findFirst().orElseThrow(() ->
                    new CapsaException("linux.resources.unified: this host has no cgroup v2 hierarchy (it runs cgroup v1 only)"));
            for (String key : r.unified().keySet()) {
                String controller = key.split("\\.")[0];
                if (!controller.equals("cgroup") && !Binding.available(v2.mountPoint()).contains(controller))
                    throw new CapsaException("linux.resources.unified." + key + ": the " + controller
                            + " controller is not in this host's cgroup v2 hierarchy " + v2.mountPoint());
            }
        }
    }

    private static void within(String field, String list, String online) {
        if (list == null || list.isEmpty()) return;
        BitSet wanted = parse(list), have;
        try {
            have = parse(FileText.read(Path.of(online)).strip());
        } catch (IOException e) {
            return; // a kernel without the file: the cgroup write will tell
        }
        BitSet missing = (BitSet) wanted.clone();
        missing.andNot(have);
        if (!missing.isEmpty())
            throw new CapsaException("linux.resources." + field + ": \"" + list + "\" names " + format(missing)
                    + ", not online on this host (online: " + format(have) + ")");
    }

    private static void device(String field, long major, long minor) {
        if (!Files.exists(Path.of("/sys/dev/block/" + major + ":" + minor)))
            throw new CapsaException("linux.resources." + field + ": no block device " + major + ":" + minor + " on this host");
    }

    /** "0-3,5" as a set. */
    static BitSet parse(String list) {
        BitSet set = new BitSet();
        for (String part : list.split(",")) {
            String[] range = part.split("-");
            int from = Integer.parseInt(range[0].strip()), to = range.length > 1 ? Integer.parseInt(range[1].strip()) : from;
            if (to >= from && to < 65536) set.set(from, to + 1);
        }
        return set;
    }

    /** {0, 2, 3, 4} as "0,2-4". */
    private static String format(BitSet set) {
        StringBuilder s = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; from = set.nextSetBit(set.nextClearBit(from))) {
            int to = set.nextClearBit(from) - 1;
            s.append(s.isEmpty() ? "" : ",").append(from).append(to > from ? "-" + to : "");
        }
        return s.toString();
    }
}
