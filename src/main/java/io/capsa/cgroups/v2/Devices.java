package io.capsa.cgroups.v2;

import io.capsa.cgroups.CgroupDir;
import io.capsa.cgroups.Controller;
import io.capsa.spec.Resources;

import java.util.Map;

/**
 * v2 device rules are an eBPF program (DeviceFilter) attached to the container's cgroup. The helper loads
 * and attaches it, as a step of the container's plan (ContainerCgroup.deviceProgram): bpf(2) from Java
 * would cost every run ~35 ms of FFM start-up. So there is nothing to write here.
 */
public final class Devices implements Controller {
    @Override
    public void apply(Resources r, CgroupDir dir) {}

    @Override
    public void stats(CgroupDir dir, Map<String, Object> stats) {}
}
