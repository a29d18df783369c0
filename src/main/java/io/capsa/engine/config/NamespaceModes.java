package io.capsa.engine.config;

import io.capsa.cgroups.CgroupLayout;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.Quoted;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The namespace modes of --pid, --ipc, --uts, --network, --cgroupns, --userns and --timens: a namespace of
 * the container's own (the default), none ("host": the host's), or another container's ("container:X",
 * joined through its init's /proc/PID/ns).
 */
public final class NamespaceModes {
    private NamespaceModes() {}

    /** "container:X" -> X, else null. */
    public static String container(String mode) {
        return mode.startsWith("container:") ? mode.substring("container:".length()) : null;
    }

    /**
     * --cgroupns when not given, as Docker's daemon chooses it: the host's on a cgroup v1 or hybrid host, a
     * namespace of its own on a pure v2 one.
     */
    public static String defaultCgroupns() {
        return CgroupLayout.detect().unifiedOnly() ? "private" : "host";
    }

    /** Refuses a mode the flag does not take, and "container:" without a name. */
    public static void check(String flag, String mode, List<String> modes, boolean containerToo) {
        String other = container(mode);
        if (other != null && containerToo) {
            if (other.isEmpty()) throw new CapsaException(flag + ": container: needs a container name or id");
            return;
        }
        if (!modes.contains(mode))
            throw new CapsaException(flag + ": invalid mode " + Quoted.of(mode) + " (" + String.join(", ", modes)
                    + (containerToo ? ", container:NAME" : "") + ")");
    }

    static List<Object> namespaces(HostConfig h, ContainerResolver containers) {
        List<Object> list = new ArrayList<>();
        if (UsernsMode.remaps(h.usernsMode())) list.add(Map.of("type", "user"));
        add(list, NamespaceType.PID, h.pidMode(), containers);
        add(list, NamespaceType.NETWORK, h.networkMode(), containers);
        add(list, NamespaceType.IPC, h.ipcMode(), containers);
        add(list, NamespaceType.UTS, h.utsMode(), containers);
        list.add(Map.of("type", "mount"));
        add(list, NamespaceType.CGROUP, h.cgroupnsMode(), containers);
        if (h.timeOffsets() != null) list.add(Map.of("type", "time"));
        return list;
    }

    private static void add(List<Object> list, NamespaceType type, String mode, ContainerResolver containers) {
        if (mode.equals("host")) return;
        Map<String, Object> ns = new LinkedHashMap<>();
        ns.put("type", type.specName());
        String other = container(mode);
        if (other != null) ns.put("path", "/proc/" + containers.runningPid(other) + "/ns/" + type.procName());
        list.add(ns);
    }
}
