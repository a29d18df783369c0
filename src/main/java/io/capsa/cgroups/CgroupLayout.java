package io.capsa.cgroups;

import io.capsa.linux.FileText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cgroup hierarchies of this host, read from /proc/self/mountinfo and /proc/self/cgroup:
 * pure v2, v1, or hybrid (v1 controllers plus a v2 mount). Paths are never assumed.
 */
public record CgroupLayout(List<Hierarchy> hierarchies) {

    public static CgroupLayout detect() {
        try {
            // whole, then split: readAllLines's decoder is slow in a JVM that has not compiled it
            return parse(List.of(FileText.read(Path.of("/proc/self/mountinfo")).split("\n")),
                    List.of(FileText.read(Path.of("/proc/self/cgroup")).split("\n")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CgroupLayout parse(List<String> mountinfo, List<String> procCgroup) {
        Map<String, String> own = new HashMap<>(); // "cpu,cpuacct" or "" (v2) -> path
        for (String line : procCgroup) {
            String[] f = line.split(":", 3);
            if (f.length == 3) own.put(f[1], f[2]);
        }
        List<Hierarchy> found = new ArrayList<>();
        for (String line : mountinfo) {
            int dash = line.indexOf(" - cgroup"); // cgroup or cgroup2; the other mounts are skipped unsplit
            if (dash < 0) continue;
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) continue;
            Path mountPoint = Path.of(unescape(pre[4]));
            if (post[0].equals("cgroup2")) {
                found.add(new Hierarchy(mountPoint, true, List.of(), own.getOrDefault("", "/")));
            } else if (post[0].equals("cgroup")) {
                List<String> controllers = new ArrayList<>();
                for (String o : post[2].split(",")) {
                    if (!o.equals("rw") && !o.equals("ro") && !o.startsWith("release_agent") && !o.equals("clone_children")
                            && !o.equals("noprefix") && !o.startsWith("xattr")) controllers.add(o);
                }
                String key = String.join(",", controllers);
                found.add(new Hierarchy(mountPoint, false, controllers, own.getOrDefault(key, "/")));
            }
        }
        return new CgroupLayout(List.copyOf(found));
    }

    /** True on a pure v2 host: one unified hierarchy and no v1 one. */
    public boolean unifiedOnly() {
        for (Hierarchy h : hierarchies) if (!h.unified()) return false;
        return !hierarchies.isEmpty();
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
