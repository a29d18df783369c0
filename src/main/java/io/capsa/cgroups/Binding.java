package io.capsa.cgroups;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Resources;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** A controller bound to the container's directory in the hierarchy that has it, v1 first. */
record Binding(Controller controller, CgroupDir dir, String v2Name, Path mountPoint) {

    /** A kind of controller: its v1 and v2 names and implementations, and whether a Resources needs it. */
    private record Kind(String v1Name, String v2Name, Controller v1, Controller v2, Predicate<Resources> needed,
                        String field) {}

    private static final List<Kind> KINDS = List.of(
            new Kind("cpuset", "cpuset", new Cpuset(), new Cpuset(),
                    r -> r.cpu() != null && (notEmpty(r.cpu().cpus()) || notEmpty(r.cpu().mems())), "cpu.cpus/mems"),
            new Kind("memory", "memory", new io.capsa.cgroups.v1.Memory(), new io.capsa.cgroups.v2.Memory(),
                    r -> r.memory() != null, "memory"),
            new Kind("cpu", "cpu", new io.capsa.cgroups.v1.Cpu(), new io.capsa.cgroups.v2.Cpu(),
                    r -> r.cpu() != null && (r.cpu().shares() != null || r.cpu().quota() != null || r.cpu().period() != null
                            || r.cpu().burst() != null || r.cpu().realtimeRuntime() != null
                            || r.cpu().realtimePeriod() != null || r.cpu().idle() != null), "cpu"),
            new Kind("cpuacct", null, new io.capsa.cgroups.v1.Cpuacct(), null, r -> false, "cpu"),
            new Kind("pids", "pids", new Pids(), new Pids(), r -> r.pidsLimit() != null, "pids"),
            new Kind("blkio", "io", new io.capsa.cgroups.v1.Blkio(), new io.capsa.cgroups.v2.Io(),
                    r -> r.blockIo() != null, "blockIO"),
            new Kind("hugetlb", "hugetlb", new Hugetlb(false), new Hugetlb(true), r -> !r.hugepageLimits().isEmpty(), "hugepageLimits"),
            new Kind("net_cls", null, new io.capsa.cgroups.v1.Network(), null, r -> r.network() != null, "network"),
            new Kind("rdma", "rdma", new Rdma(), new Rdma(), r -> !r.rdma().isEmpty(), "rdma"),
            new Kind("devices", "", new io.capsa.cgroups.v1.Devices(), new io.capsa.cgroups.v2.Devices(),
                    r -> !r.devices().isEmpty(), "devices"),
            new Kind(null, "", null, new io.capsa.cgroups.v2.Unified(), r -> !r.unified().isEmpty(), "unified"));

    /** The bindings r needs, in the order they are applied; a needed controller the host lacks is an error. */
    static List<Binding> needed(Resources r, CgroupLayout layout, List<Path> dirs) {
        List<Binding> out = new ArrayList<>();
        for (Kind k : KINDS) {
            if (!k.needed.test(r)) continue;
            Binding b = bind(k, layout, dirs);
            if (b != null) {
                out.add(b);
            } else {
                throw new CapsaException("linux.resources." + k.field + ": this host has no " + name(k) + " controller");
            }
        }
        return out;
    }

    /** The binding of the controller named so in v1 (memory, cpu, ...), or null if the host lacks it. */
    static Binding named(String v1Name, CgroupLayout layout, List<Path> dirs) {
        for (Kind k : KINDS) if (v1Name.equals(k.v1Name)) return bind(k, layout, dirs);
        throw new IllegalArgumentException(v1Name);
    }

    /** A binding for every controller this host has, for statistics. */
    static List<Binding> all(CgroupLayout layout, List<Path> dirs) {
        List<Binding> out = new ArrayList<>();
        for (Kind k : KINDS) {
            Binding b = bind(k, layout, dirs);
            if (b != null) out.add(b);
        }
        return out;
    }

    private static Binding bind(Kind k, CgroupLayout layout, List<Path> dirs) {
        List<Hierarchy> hs = layout.hierarchies();
        for (int i = 0; i < hs.size(); i++) {
            if (k.v1Name != null && !hs.get(i).unified() && hs.get(i).controllers().contains(k.v1Name))
                return new Binding(k.v1, new CgroupDir(dirs.get(i)), null, hs.get(i).mountPoint());
        }
        for (int i = 0; i < hs.size(); i++) {
            Hierarchy h = hs.get(i);
            if (k.v2Name != null && h.unified() && (k.v2Name.isEmpty() || available(h.mountPoint()).contains(k.v2Name)))
                return new Binding(k.v2, new CgroupDir(dirs.get(i)), k.v2Name, h.mountPoint());
        }
        return null;
    }

    static Set<String> available(Path v2Root) {
        Path f = v2Root.resolve("cgroup.controllers");
        return Files.exists(f) ? Set.copyOf(CgroupDir.words(new CgroupDir(v2Root).read("cgroup.controllers"))) : Set.of();
    }

    /**
     * On v2 a controller's files exist only where the parent enables it, so it is enabled in every
     * ancestor's cgroup.subtree_control from the root down.
     */
    void enable(Resources r) {
        if (v2Name == null) return;
        // "" is a core v2 feature (the device filter), or raw unified keys, which name their controllers
        List<String> names = !v2Name.isEmpty() ? List.of(v2Name) : !(controller instanceof io.capsa.cgroups.v2.Unified) ? List.of()
                : r.unified().keySet().stream().map(k -> k.split("\\.")[0]).filter(c -> !c.equals("cgroup")).distinct().toList();
        for (String name : names) enable(name);
    }

    private void enable(String name) {
        Path relative = mountPoint.relativize(dir.path());
        Path at = mountPoint;
        for (int i = 0; i < relative.getNameCount(); i++) {
            CgroupDir parent = new CgroupDir(at);
            if (!CgroupDir.words(parent.read("cgroup.subtree_control")).contains(name)) {
                try {
                    parent.write("cgroup.subtree_control", "+" + name);
                } catch (CapsaException e) {
                    throw new CapsaException(e.getMessage() + " (cgroup v2 enables a controller only for a cgroup"
                            + " whose processes all sit in its children)");
                }
            }
            at = at.resolve(relative.getName(i));
        }
    }

    /** The controller's files exist in the container's directory: always on v1, on v2 once a parent enables it. */
    boolean enabledHere() {
        if (!Files.isDirectory(dir.path())) return false;
        if (v2Name == null) return true;
        return !v2Name.isEmpty() && CgroupDir.words(dir.read("cgroup.controllers")).contains(v2Name);
    }

    private static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    private static String name(Kind k) {
        return k.v1Name != null ? k.v1Name : "cgroup v2";
    }
}
