package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.linux.Bpf;
import io.capsa.spec.Resources;

import java.util.Map;

/** v2 device rules: an eBPF program capsa generates (DeviceFilter) and attaches to the container's cgroup. */
public final class Devices implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {
        Bpf.attachDeviceFilter(DeviceFilter.compile(r.devices()), dir.path().toString());
    }

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
