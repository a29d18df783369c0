package io.capsa.cgroups;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupLayoutTest {
    private static final List<String> HYBRID_MOUNTS = List.of(
            "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
            "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
    private static final List<String> HYBRID_PROC = List.of("2:cpu,cpuacct:/user", "1:name=systemd:/user", "0::/user");

    @Test
    void readsHybridHierarchiesWithCoMountedControllers() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTS, HYBRID_PROC);
        assertEquals(3, layout.hierarchies().size());
        Hierarchy cpu = layout.hierarchies().get(0);
        assertEquals(List.of("cpu", "cpuacct"), cpu.controllers());
        assertEquals("/user", cpu.ownPath());
        assertEquals("name=systemd", layout.hierarchies().get(1).mountOptions());
        assertTrue(layout.hierarchies().get(2).unified());
        assertFalse(layout.unifiedOnly());
    }

    @Test
    void otherMountsAreSkippedAndEscapedMountPointsRead() {
        CgroupLayout layout = CgroupLayout.parse(List.of(
                "22 1 8:1 / /data\\040dir rw - ext4 /dev/sda1 rw",
                "41 31 0:38 / /sys/fs/my\\040cgroup rw,relatime - cgroup2 cgroup2 rw"), List.of("0::/"));
        assertEquals(1, layout.hierarchies().size());
        assertEquals(Path.of("/sys/fs/my cgroup"), layout.hierarchies().getFirst().mountPoint());
    }

    @Test
    void pureV2IsUnifiedOnly() {
        CgroupLayout layout = CgroupLayout.parse(
                List.of("30 23 0:27 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate"), List.of("0::/init.scope"));
        assertTrue(layout.unifiedOnly());
        assertEquals("/init.scope", layout.hierarchies().getFirst().ownPath());
    }

    @Test
    void cgroupsPathIsAbsoluteFromTheRootAndRelativeFromTheCallersCgroup() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTS, HYBRID_PROC);
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct/a/b"), ContainerCgroup.forPath(layout, "/a/b", "id").dirs().get(0));
        assertEquals(Path.of("/sys/fs/cgroup/unified/user/a"), ContainerCgroup.forPath(layout, "a", "id").dirs().get(2));
        assertEquals(Path.of("/sys/fs/cgroup/systemd/user/id"), ContainerCgroup.forPath(layout, "", "id").dirs().get(1));
        assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.forPath(layout, "/a/../../etc", "id"));
        assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.forPath(layout, "system.slice:capsa:id", "id"));
    }

    @Test
    void cgroupsPathNoKernelTakesIsRefused() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID_MOUNTS, HYBRID_PROC);
        for (String path : new String[] {"/a".repeat(2048), "/a/" + "b".repeat(256), "/a\u0000b", "/a\nb", "/" + "/b".repeat(2040)}) {
            assertThrows(IllegalArgumentException.class, () -> ContainerCgroup.forPath(layout, path, "id"), path.substring(0, 4));
        }
        ContainerCgroup.forPath(layout, "/a/" + "b".repeat(255), "id"); // as long as a name may be
    }
}
