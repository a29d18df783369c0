package io.capsa.engine;

import io.capsa.engine.config.MountedFiles;
import io.capsa.linux.Proc;
import io.capsa.network.Endpoint;
import io.capsa.network.PortMapping;
import io.capsa.spec.NamespaceType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container as `docker inspect` shows it (fields in Docker's order), plus capsa's "Namespaces": for a
 * running container each of its init's namespaces with its /proc path, inode, and whether the host or
 * another running container has it too.
 */
public final class ContainerInspection {
    private ContainerInspection() {}

    public static Map<String, Object> of(Engine engine, Engine.Container c, List<Engine.Container> running) {
        ContainerRecord r = c.record();
        Path dir = engine.store().dir(r.id());
        List<String> command = new ArrayList<>();
        if (r.config().entrypoint() != null) command.addAll(r.config().entrypoint());
        if (r.config().cmd() != null) command.addAll(r.config().cmd());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created().toString());
        m.put("Path", command.isEmpty() ? "" : command.getFirst());
        m.put("Args", command.isEmpty() ? List.of() : command.subList(1, command.size()));
        m.put("State", c.state().toDocker());
        m.put("Image", r.imageId().toString());
        MountedFiles mounted = MountedFiles.of(dir); // another container's with its network, as Docker shows them
        m.put("ResolvConfPath", orElse(mounted.source("/etc/resolv.conf"), dir.resolve("resolv.conf")));
        m.put("HostnamePath", orElse(mounted.source("/etc/hostname"), dir.resolve("hostname")));
        m.put("HostsPath", orElse(mounted.source("/etc/hosts"), dir.resolve("hosts")));
        m.put("LogPath", engine.logFile(r.id()).toString());
        m.put("Name", "/" + r.name());
        m.put("RestartCount", c.state().restartCount());
        m.put("Driver", Files.isDirectory(dir.resolve("upper")) ? "overlay" : "copy");
        m.put("Platform", "linux");
        m.put("MountLabel", "");
        m.put("ProcessLabel", "");
        m.put("AppArmorProfile", "");
        m.put("ExecIDs", null);
        m.put("HostConfig", r.hostConfig().toJson());
        m.put("GraphDriver", Map.of("Name", "overlay", "Data", Map.of("MergedDir", engine.rootfs(r.id()).toString(),
                "UpperDir", dir.resolve("upper").toString(), "WorkDir", dir.resolve("work").toString())));
        m.put("Mounts", List.of());
        m.put("Config", r.config().toJson());
        m.put("NetworkSettings", networkSettings(engine.networkSettings(r.id())));
        m.put("Namespaces", namespaces(c, running));
        return m;
    }

    private static String orElse(String path, Path fallback) {
        return path != null ? path : fallback.toString();
    }

    /**
     * Docker's NetworkSettings: the first network's address at the top (as Docker's default bridge has it), each
     * network's endpoint by the name it was asked for, the published ports, and the netns file as SandboxKey.
     */
    private static Map<String, Object> networkSettings(ContainerNetworks.Settings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        Endpoint first = s.endpoints().isEmpty() ? null : s.endpoints().getFirst();
        m.put("SandboxKey", s.netns());
        Map<String, Object> ports = new LinkedHashMap<>();
        for (PortMapping p : s.ports()) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) ports.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            list.add(Map.of("HostIp", p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp(), "HostPort", Integer.toString(p.hostPort())));
        }
        m.put("Ports", ports);
        m.put("Gateway", first == null ? "" : first.gateway());
        m.put("IPAddress", first == null ? "" : first.address());
        m.put("IPPrefixLen", first == null ? 0 : first.prefixLength());
        m.put("MacAddress", first == null ? "" : first.mac());
        Map<String, Object> networks = new LinkedHashMap<>();
        for (int i = 0; i < s.endpoints().size(); i++) {
            Endpoint e = s.endpoints().get(i);
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("NetworkID", e.networkId());
            n.put("Gateway", e.gateway());
            n.put("IPAddress", e.address());
            n.put("IPPrefixLen", e.prefixLength());
            n.put("MacAddress", e.mac());
            networks.put(s.requested().get(i), n);
        }
        m.put("Networks", networks);
        return m;
    }

    /** Each namespace of a running container's init; nothing for one not running. */
    private static List<Map<String, Object>> namespaces(Engine.Container c, List<Engine.Container> running) {
        List<Map<String, Object>> list = new ArrayList<>();
        if (!c.state().isUp()) return list;
        for (NamespaceType type : NamespaceType.values()) {
            Path file = Path.of("/proc/" + c.state().pid() + "/ns/" + type.procName());
            if (!Files.exists(file)) continue;
            long inode = Proc.namespaceInode(file);
            List<String> sharedWith = new ArrayList<>();
            // The host's are the engine's own, as --pid=host means them; /proc/1's may be hidden from us.
            if (inode == Proc.namespaceInode(Path.of("/proc/self/ns/" + type.procName()))) sharedWith.add("host");
            for (Engine.Container other : running) {
                if (other.record().id().equals(c.record().id()) || !other.state().isUp()) continue;
                Path theirs = Path.of("/proc/" + other.state().pid() + "/ns/" + type.procName());
                if (Files.exists(theirs) && Proc.namespaceInode(theirs) == inode) sharedWith.add(other.record().name());
            }
            Map<String, Object> ns = new LinkedHashMap<>();
            ns.put("Type", type.specName());
            ns.put("Path", file.toString());
            ns.put("Inode", inode);
            ns.put("SharedWith", sharedWith);
            list.add(ns);
        }
        return list;
    }
}
