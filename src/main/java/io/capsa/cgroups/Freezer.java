package io.capsa.cgroups;

import io.capsa.runtime.CapsaException;

/** Freezing a cgroup: v1 freezer.state, v2 cgroup.freeze; both report the state reached only once it is. */
final class Freezer {
    private Freezer() {}

    static void set(CgroupDir dir, boolean v2, boolean frozen) {
        if (v2) dir.write("cgroup.freeze", frozen ? 1 : 0);
        else dir.write("freezer.state", frozen ? "FROZEN" : "THAWED");
        for (int i = 0; i < 500; i++) {
            if (isFrozen(dir, v2) == frozen) return;
            if (!v2 && frozen) dir.write("freezer.state", "FROZEN"); // v1 may need asking again while tasks fork
            sleep();
        }
        throw new CapsaException("cgroup " + dir.path() + " did not become " + (frozen ? "frozen" : "thawed") + " within 5 s");
    }

    static boolean isFrozen(CgroupDir dir, boolean v2) {
        return v2 ? dir.keyed("cgroup.events").getOrDefault("frozen", 0L) == 1 : dir.read("freezer.state").equals("FROZEN");
    }

    private static void sleep() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
