package io.capsa.cgroups;

import java.nio.file.Path;
import java.util.List;

/**
 * One mounted cgroup hierarchy: a v1 hierarchy with its controllers (or a name= hierarchy), or the v2
 * unified one. ownPath is the calling process's cgroup in it, from /proc/self/cgroup.
 */
public record Hierarchy(Path mountPoint, boolean unified, List<String> controllers, String ownPath) {

    /** The options that mount this v1 hierarchy again (inside a container), e.g. "cpu" or "name=systemd". */
    public String mountOptions() {
        return String.join(",", controllers);
    }

    /** The directory name the hierarchy has under /sys/fs/cgroup. */
    public String dirName() {
        return mountPoint.getFileName() == null ? "" : mountPoint.getFileName().toString();
    }
}
