package io.capsa.runtime;

import io.capsa.spec.Hook;
import io.capsa.spec.Node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What capsa records of a container under --root/ID/state.json. The init is identified by pid and
 * start time together, so a reused pid is never mistaken for it. Its processes are those in its cgroup
 * and in its init's mount namespace (mountNamespace, the inode): a cgroup may be shared with others.
 * ownedCgroupDirs are the cgroup directories capsa made, the only ones it removes.
 */
public record ContainerState(String ociVersion, String id, int pid, long startTime, long mountNamespace, String bundle,
                             String rootfs, String created, int owner, Map<String, String> annotations,
                             List<String> cgroupDirs, List<String> ownedCgroupDirs, Object hooks) {

    public ContainerState withInit(int newPid, long newStartTime, long newMountNamespace) {
        return new ContainerState(ociVersion, id, newPid, newStartTime, newMountNamespace, bundle, rootfs, created, owner,
                annotations, cgroupDirs, ownedCgroupDirs, hooks);
    }

    /** The config's hooks, kept so that poststart and poststop run even if the bundle has changed since. */
    Map<String, List<Hook>> parsedHooks() {
        return Hook.parseAll(Node.root(hooks, "hooks"));
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ociVersion", ociVersion);
        m.put("id", id);
        m.put("pid", pid);
        m.put("startTime", startTime);
        m.put("mountNamespace", mountNamespace);
        m.put("bundle", bundle);
        m.put("rootfs", rootfs);
        m.put("created", created);
        m.put("owner", owner);
        m.put("annotations", annotations);
        m.put("cgroupDirs", cgroupDirs);
        m.put("ownedCgroupDirs", ownedCgroupDirs);
        m.put("hooks", hooks);
        return m;
    }

    static ContainerState fromJson(Node n) {
        Map<String, String> annotations = new LinkedHashMap<>();
        n.get("annotations").entries().forEach((k, v) -> annotations.put(k, v.string("")));
        return new ContainerState(n.get("ociVersion").string(""), n.get("id").string(""),
                (int) n.get("pid").integer(0), n.get("startTime").integer(-1), n.get("mountNamespace").integer(-1),
                n.get("bundle").string(""), n.get("rootfs").string(""), n.get("created").string(""),
                (int) n.get("owner").integer(0), annotations, n.get("cgroupDirs").strings(),
                n.get("ownedCgroupDirs").strings(), n.get("hooks").raw());
    }
}
