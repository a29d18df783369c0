package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Map;

/** linux.resources.unified: raw v2 file names and values, written as they are, last. */
public final class Unified implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        r.unified().forEach(dir::write);
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
