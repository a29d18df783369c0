package io.capsa.spec;

import io.capsa.seccomp.Profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime configuration (config.json). The fields capsa acts on are typed and validated;
 * the whole document is kept as {@link #raw} so that nothing a caller wrote is lost.
 */
public record Spec(String ociVersion, ProcessSpec process, Root root, String hostname, String domainname,
                   List<Mount> mounts, Linux linux, Map<String, List<Hook>> hooks, Map<String, String> annotations,
                   Object raw) {

    public record Root(String path, boolean readonly) {}

    public record Mount(String destination, String type, String source, List<String> options) {}

    public record Namespace(NamespaceType type, String path) {}

    public record IdMapping(long containerId, long hostId, long size) {}

    /** A linux.devices entry: a node to make in the container's /dev. */
    public record Device(String path, char type, long major, long minor, long fileMode, long uid, long gid) {}

    public record Linux(List<Namespace> namespaces, List<IdMapping> uidMappings, List<IdMapping> gidMappings,
                        Map<String, long[]> timeOffsets, String cgroupsPath, String rootfsPropagation,
                        List<String> maskedPaths, List<String> readonlyPaths, Map<String, String> sysctl,
                        Long personality, List<Device> devices, Profile seccomp,
                        Resources resources) {

        public boolean has(NamespaceType type) {
            for (Namespace n : namespaces) if (n.type() == type) return true;
            return false;
        }

        /** True when the container gets a namespace of this type of its own. */
        public boolean creates(NamespaceType type) {
            return Spec.creates(namespaces, type);
        }
    }

    /** The kernel's device numbers have 12 bits of major and 20 of minor; a larger one would name another device. */
    static final long MAX_MAJOR = 4095, MAX_MINOR = 1_048_575;

    public static Spec load(Path bundle) {
        Path file = bundle.resolve("config.json");
        return parse(Json.read(file));
    }

    public static Spec parse(Node doc) {
        String ociVersion = doc.get("ociVersion").requiredString();
        Node rootNode = doc.get("root");
        if (rootNode.missing()) throw rootNode.error("is required");
        Root root = new Root(rootNode.get("path").requiredString(), rootNode.get("readonly").bool(false));
        ProcessSpec process = doc.get("process").missing() ? null : ProcessSpec.parse(doc.get("process"));
        List<Mount> mounts = new ArrayList<>();
        for (Node m : doc.get("mounts").list()) {
            Node dest = m.get("destination");
            String destination = dest.requiredString();
            if (!destination.startsWith("/")) throw dest.error("must be an absolute path");
            mounts.add(new Mount(destination, m.get("type").string(""), m.get("source").string(""),
                    m.get("options").strings()));
        }
        Linux linux = parseLinux(doc.get("linux"));
        Map<String, String> annotations = new LinkedHashMap<>();
        doc.get("annotations").entries().forEach((k, v) -> annotations.put(k, v.string("")));
        String hostname = doc.get("hostname").string(null);
        String domainname = doc.get("domainname").string(null);
        // As runc: a uts namespace joined by path takes the names too.
        if (hostname != null && !linux.has(NamespaceType.UTS))
            throw doc.get("hostname").error("cannot be set without a uts namespace");
        if (domainname != null && !linux.has(NamespaceType.UTS))
            throw doc.get("domainname").error("cannot be set without a uts namespace");
        return new Spec(ociVersion, process, root, hostname, domainname, List.copyOf(mounts), linux,
                Hook.parseAll(doc.get("hooks")), annotations, doc.raw());
    }

    private static boolean creates(List<Namespace> namespaces, NamespaceType type) {
        for (Namespace n : namespaces) if (n.type() == type && n.path() == null) return true;
        return false;
    }

    private static Linux parseLinux(Node linux) {
        List<Namespace> namespaces = new ArrayList<>();
        // Not an EnumSet: its first use finds the constants reflectively, ~1 ms in a fresh JVM.
        boolean[] seen = new boolean[NamespaceType.values().length];
        for (Node n : linux.get("namespaces").list()) {
            NamespaceType type = NamespaceType.of(n.get("type"));
            if (seen[type.ordinal()]) throw n.get("type").error("namespace type \"" + type.specName() + "\" given twice");
            seen[type.ordinal()] = true;
            String path = n.get("path").string(null);
            if (path != null && path.isEmpty()) path = null;
            if (path != null && !path.startsWith("/")) throw n.get("path").error("must be an absolute path");
            namespaces.add(new Namespace(type, path));
        }
        List<IdMapping> uid = mappings(linux.get("uidMappings"));
        List<IdMapping> gid = mappings(linux.get("gidMappings"));
        boolean newUser = creates(namespaces, NamespaceType.USER);
        if (!uid.isEmpty() && !newUser) throw linux.get("uidMappings").error("needs a new user namespace");
        if (!gid.isEmpty() && !newUser) throw linux.get("gidMappings").error("needs a new user namespace");
        if (newUser && (uid.isEmpty() || gid.isEmpty()))
            throw linux.get(uid.isEmpty() ? "uidMappings" : "gidMappings").error("is required with a new user namespace");
        Map<String, long[]> offsets = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : linux.get("timeOffsets").entries().entrySet()) {
            if (!e.getKey().equals("monotonic") && !e.getKey().equals("boottime"))
                throw e.getValue().error("unknown clock (expected monotonic or boottime)");
            offsets.put(e.getKey(), new long[] {e.getValue().get("secs").integer(0),
                    e.getValue().get("nanosecs").integer(0, 0, 999_999_999)});
        }
        boolean newTime = creates(namespaces, NamespaceType.TIME);
        if (!offsets.isEmpty() && !newTime) throw linux.get("timeOffsets").error("needs a new time namespace");
        String propagation = linux.get("rootfsPropagation").string(null);
        if (propagation != null && MountOptions.propagation(propagation) == 0)
            throw linux.get("rootfsPropagation").error("unknown propagation \"" + propagation + "\"");
        Map<String, String> sysctl = new LinkedHashMap<>();
        linux.get("sysctl").entries().forEach((k, v) -> sysctl.put(k, v.string("")));
        return new Linux(List.copyOf(namespaces), uid, gid, offsets, linux.get("cgroupsPath").string(""), propagation,
                absolutePaths(linux.get("maskedPaths")), absolutePaths(linux.get("readonlyPaths")), sysctl,
                personality(linux.get("personality")), devices(linux.get("devices")),
                Profile.parse(linux.get("seccomp")), Resources.parse(linux.get("resources")));
    }

    private static List<String> absolutePaths(Node list) {
        for (Node p : list.list()) if (!p.string("").startsWith("/")) throw p.error("must be an absolute path");
        return list.strings();
    }

    /** PER_LINUX or PER_LINUX32; personality flags are not in the spec's list of domains and are refused. */
    private static Long personality(Node p) {
        if (p.missing()) return null;
        if (!p.get("flags").list().isEmpty()) throw p.get("flags").error("personality flags are not supported");
        return switch (p.get("domain").requiredString()) {
            case "LINUX" -> 0L;
            case "LINUX32" -> 8L;
            default -> throw p.get("domain").error("unknown domain (expected LINUX or LINUX32)");
        };
    }

    private static List<Device> devices(Node list) {
        List<Device> out = new ArrayList<>();
        for (Node d : list.list()) {
            String path = d.get("path").requiredString();
            // Compared cleaned: "/dev/../etc/passwd" starts with /dev/ but is no device path.
            if (!path.startsWith("/") || !Path.of(path).normalize().startsWith("/dev/") || Path.of(path).normalize().toString().equals("/dev"))
                throw d.get("path").error("must be under /dev");
            String type = d.get("type").requiredString();
            if (!List.of("c", "b", "u", "p").contains(type)) throw d.get("type").error("unknown device type (c, b, u or p)");
            boolean fifo = type.equals("p");
            if (!fifo && (d.get("major").missing() || d.get("minor").missing())) throw d.error("major and minor are required");
            out.add(new Device(path, type.charAt(0), d.get("major").integer(0, 0, MAX_MAJOR), d.get("minor").integer(0, 0, MAX_MINOR),
                    d.get("fileMode").uint32(0666), ProcessSpec.id(d.get("uid")), ProcessSpec.id(d.get("gid"))));
        }
        return List.copyOf(out);
    }

    private static List<IdMapping> mappings(Node list) {
        List<IdMapping> out = new ArrayList<>();
        for (Node m : list.list()) {
            long size = m.get("size").uint32(-1);
            if (size <= 0) throw m.get("size").error("must be positive");
            out.add(new IdMapping(m.get("containerID").uint32(0), m.get("hostID").uint32(0), size));
        }
        return List.copyOf(out);
    }
}
