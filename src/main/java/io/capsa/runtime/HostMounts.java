package io.capsa.runtime;

import io.capsa.plan.Op;
import io.capsa.plan.Plan;

import java.nio.file.Path;

/**
 * Mounts where capsa is, made by a helper that then waits for the container's plan: a JVM's own mount(2)
 * is a native call, whose first one costs a CLI call ~35 ms (FFM's set-up, interpreted).
 */
public final class HostMounts {
    private HostMounts() {}

    /** mount(2): source, fstype and data may be null; a failure is a CapsaException that names target. */
    public static void mount(String source, Path target, String fstype, long flags, String data) {
        Plan plan = new Plan()
                .add(Op.MOUNT, "mount " + (source != null ? source : "") + " on " + target, orEmpty(source), target,
                        orEmpty(fstype), flags, orEmpty(data))
                .add(Op.NEXT_PLAN, "wait for the next plan");
        try (Helper helper = Helper.start(plan, 0)) {
            helper.awaitNext();
        }
    }

    private static String orEmpty(String s) {
        return s != null ? s : "";
    }
}
