package io.capsa.cgroups.v1;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Map;

/** v1 devices: the rules in order, through devices.allow and devices.deny. */
public final class Devices implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        for (Resources.DeviceRule d : r.devices()) dir.write(d.allow() ? "devices.allow" : "devices.deny", rule(d));
    }

    /** "c 1:3 rwm", with "*" for a missing or -1 major or minor, and "a" for every device. */
    public static String rule(Resources.DeviceRule d) {
        if (d.type().equals("a") && d.major() == null && d.minor() == null) return "a";
        return d.type() + " " + id(d.major()) + ":" + id(d.minor()) + " " + d.access();
    }

    private static String id(Long n) {
        return n == null || n < 0 ? "*" : Long.toString(n);
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
