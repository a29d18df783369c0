package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The container's mounts in Docker's order: its default file systems (those a mount of the user's replaces
 * left out, and all of /dev's when the user mounts /dev), then binds, volumes, tmpfs, the /etc files and the
 * init, parents before children.
 */
final class MountTable {
    private final SpecInput in;
    private final List<Map<String, Object>> own = new ArrayList<>();

    MountTable(SpecInput in) {
        this.in = in;
    }

    static Map<String, Object> mount(String destination, String type, String source, List<String> options) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("destination", destination);
        m.put("type", type);
        m.put("source", source);
        m.put("options", options);
        return m;
    }

    private boolean has(String destination) {
        for (Map<String, Object> m : own) if (m.get("destination").equals(destination)) return true;
        return false;
    }

    /** The user's binds, volumes and tmpfs, and the image's volumes no mount of the user's covers. */
    MountTable userMounts() {
        HostConfig h = in.hostConfig();
        for (String b : h.binds()) own.add(spec(MountFlags.volume(b), true));
        for (HostConfig.MountSpec s : h.mounts()) own.add(spec(s, false));
        for (Map.Entry<String, String> t : h.tmpfs().entrySet()) {
            List<String> o = new ArrayList<>(List.of("noexec", "nosuid", "nodev"));
            if (!t.getValue().isEmpty()) o.addAll(List.of(t.getValue().split(",")));
            own.add(mount(t.getKey(), "tmpfs", "tmpfs", o));
        }
        for (HostConfig.MountSpec v : imageVolumes(in.config(), h)) own.add(spec(v, false));
        return this;
    }

    /** The image's volumes (anonymous) at destinations none of the user's mounts takes. */
    static List<HostConfig.MountSpec> imageVolumes(ContainerConfig c, HostConfig h) {
        List<String> taken = new ArrayList<>(h.tmpfs().keySet());
        for (String b : h.binds()) taken.add(MountFlags.volume(b).target());
        for (HostConfig.MountSpec s : h.mounts()) taken.add(s.target());
        List<HostConfig.MountSpec> out = new ArrayList<>();
        for (String v : c.volumes()) {
            String target = Path.of(v).normalize().toString();
            if (!taken.contains(target)) out.add(new HostConfig.MountSpec("volume", "", target, false, "", false, 0, 0));
        }
        return out;
    }

    private Map<String, Object> spec(HostConfig.MountSpec s, boolean makeSource) {
        List<String> o = new ArrayList<>();
        switch (s.type()) {
            case "tmpfs" -> {
                o.addAll(List.of("nosuid", "nodev", "noexec"));
                if (s.tmpfsSize() != 0) o.add("size=" + s.tmpfsSize());
                if (s.tmpfsMode() != 0) o.add("mode=" + Integer.toOctalString(s.tmpfsMode()));
                if (s.readOnly()) o.add("ro");
                return mount(s.target(), "tmpfs", "tmpfs", o);
            }
            case "bind" -> {
                Path source = Path.of(s.source());
                if (!Files.exists(source)) {
                    // -v makes a missing directory, --mount refuses it (as Docker)
                    if (!makeSource) throw new CapsaException("invalid mount config for type \"bind\": bind source path does not exist: " + source);
                    try {
                        Files.createDirectories(source);
                    } catch (IOException e) {
                        throw new CapsaException("cannot make the bind source " + Quoted.of(s.source()) + ": " + e.getMessage());
                    }
                }
            }
            default -> { }
        }
        String source = s.source();
        if (s.type().equals("volume")) {
            String name = source.isEmpty() ? Volumes.anonymousName(in.id(), s.target()) : source;
            source = Volumes.prepare(in.volumesDir(), name, in.rootfs(), s.target(), s.noCopy()).toString();
        }
        o.add("rbind");
        o.add(s.propagation().isEmpty() ? "rprivate" : s.propagation());
        if (s.readOnly()) o.add("ro");
        return mount(s.target(), "bind", source, o);
    }

    /** /etc/hostname, /etc/hosts and /etc/resolv.conf, unless the user mounts something there. */
    MountTable etcFiles(String hostnameFile, String hosts, String resolvConf) {
        String[][] files = {{"/etc/resolv.conf", "resolv.conf", resolvConf}, {"/etc/hostname", "hostname", hostnameFile},
                {"/etc/hosts", "hosts", hosts}};
        for (String[] f : files) {
            if (!has(f[0])) etcFile(f[0], EtcFiles.write(in.containerDir(), f[1], f[2]).toString());
        }
        return this;
    }

    /** Those of the container whose network this one joins, unless the user mounts something there. */
    MountTable sharedEtcFiles(MountedFiles other) {
        for (String destination : List.of("/etc/resolv.conf", "/etc/hostname", "/etc/hosts")) {
            String source = other.source(destination);
            if (source != null && !has(destination)) etcFile(destination, source);
        }
        return this;
    }

    private void etcFile(String destination, String source) {
        boolean ro = in.hostConfig().readonlyRootfs();
        own.add(mount(destination, "bind", source, ro ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate")));
    }

    MountTable init(Path binary) {
        own.add(mount(InitBinary.DESTINATION, "bind", binary.toString(), List.of("bind", "ro")));
        return this;
    }

    /** The defaults (as Docker's: /proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm), then these. */
    List<Object> withDefaults(String sharedShm, boolean sysfsWritable) {
        HostConfig h = in.hostConfig();
        List<String> sysOptions = sysfsWritable ? List.of("nosuid", "noexec", "nodev") : List.of("nosuid", "noexec", "nodev", "ro");
        List<Map<String, Object>> defaults = new ArrayList<>(List.of(
                mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                mount("/sys", "sysfs", "sysfs", sysOptions),
                mount("/sys/fs/cgroup", "cgroup", "cgroup", sysfsWritable ? List.of("nosuid", "noexec", "nodev", "relatime")
                        : List.of("nosuid", "noexec", "nodev", "relatime", "ro"))));
        // an mqueue file system shows the queues of the IPC namespace it is mounted in, the host's with --ipc host
        defaults.add(mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")));
        long shm = h.shmSize() > 0 ? h.shmSize() : HostConfig.DEFAULT_SHM_SIZE;
        // a shared IPC namespace goes with its POSIX shared memory; none has no /dev/shm (as Docker's)
        if (sharedShm != null) defaults.add(mount("/dev/shm", "bind", sharedShm, List.of("rbind", "rprivate")));
        else if (!h.ipcMode().equals("none"))
            defaults.add(mount("/dev/shm", "tmpfs", "shm", List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + shm)));
        boolean ownDev = has("/dev");
        List<Object> all = new ArrayList<>();
        for (Map<String, Object> d : defaults) {
            String dest = (String) d.get("destination");
            if (!has(dest) && !(ownDev && dest.startsWith("/dev/"))) all.add(d);
        }
        // stable, by depth: a plain loop, as lambdas cost a CLI call their first bootstrap
        for (int depth = 1; !own.isEmpty(); depth++) {
            for (int i = 0; i < own.size(); ) {
                if (depth((String) own.get(i).get("destination")) == depth) all.add(own.remove(i));
                else i++;
            }
        }
        return all;
    }

    private static int depth(String path) {
        int n = 0;
        for (int i = 0; i < path.length(); i++) if (path.charAt(i) == '/') n++;
        return n;
    }
}
