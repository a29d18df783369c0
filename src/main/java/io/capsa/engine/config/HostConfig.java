package io.capsa.engine.config;

import io.capsa.network.Attachment;
import io.capsa.network.PortMapping;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.capsa.engine.config.JsonFields.bool;
import static io.capsa.engine.config.JsonFields.boolOrNull;
import static io.capsa.engine.config.JsonFields.map;
import static io.capsa.engine.config.JsonFields.maps;
import static io.capsa.engine.config.JsonFields.number;
import static io.capsa.engine.config.JsonFields.string;
import static io.capsa.engine.config.JsonFields.stringMap;
import static io.capsa.engine.config.JsonFields.strings;

/**
 * Docker's "HostConfig": how the container is set up on the host. Modes are as Docker spells them ("" is
 * the default; "host", "container:X", ...); securityOpt holds a seccomp profile inline ("seccomp=<json>"),
 * as the docker CLI sends it. capsa adds timeOffsets (null: no time namespace; clock -> seconds) and
 * mountNsMode.
 */
public record HostConfig(List<String> binds, List<MountSpec> mounts, Map<String, String> tmpfs, String networkMode,
                         String pidMode, String ipcMode, String utsMode, String usernsMode, String cgroupnsMode,
                         List<String> capAdd, List<String> capDrop, boolean privileged, List<DeviceMapping> devices,
                         List<String> securityOpt, List<Ulimit> ulimits, Boolean init, RestartPolicy restartPolicy,
                         boolean autoRemove, long shmSize, Map<String, String> sysctls, List<String> extraHosts,
                         List<String> dns, List<String> dnsOptions, List<String> dnsSearch, boolean readonlyRootfs,
                         ResourceLimits resources, Map<String, Long> timeOffsets, String mountNsMode,
                         List<PortMapping> portBindings, boolean publishAllPorts, List<Attachment> networks) {

    /** A --mount: type bind, volume or tmpfs; source "" for an anonymous volume or a tmpfs. */
    public record MountSpec(String type, String source, String target, boolean readOnly, String propagation,
                            boolean noCopy, long tmpfsSize, int tmpfsMode) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", type);
            m.put("Source", source);
            m.put("Target", target);
            m.put("ReadOnly", readOnly);
            if (type.equals("bind") && !propagation.isEmpty()) m.put("BindOptions", Map.of("Propagation", propagation));
            if (type.equals("volume") && noCopy) m.put("VolumeOptions", Map.of("NoCopy", true));
            if (type.equals("tmpfs") && (tmpfsSize != 0 || tmpfsMode != 0)) {
                Map<String, Object> t = new LinkedHashMap<>();
                if (tmpfsSize != 0) t.put("SizeBytes", tmpfsSize);
                if (tmpfsMode != 0) t.put("Mode", tmpfsMode);
                m.put("TmpfsOptions", t);
            }
            return m;
        }

        static MountSpec fromJson(Map<?, ?> m) {
            return new MountSpec(string(m, "Type"), string(m, "Source"), string(m, "Target"), bool(m, "ReadOnly"),
                    string(map(m, "BindOptions"), "Propagation"), bool(map(m, "VolumeOptions"), "NoCopy"),
                    number(map(m, "TmpfsOptions"), "SizeBytes"), (int) number(map(m, "TmpfsOptions"), "Mode"));
        }
    }

    /** A --device: a host device node, where it appears in the container, and its cgroup permissions (rwm). */
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("PathOnHost", pathOnHost);
            m.put("PathInContainer", pathInContainer);
            m.put("CgroupPermissions", cgroupPermissions);
            return m;
        }

        static DeviceMapping fromJson(Map<?, ?> m) {
            return new DeviceMapping(string(m, "PathOnHost"), string(m, "PathInContainer"), string(m, "CgroupPermissions"));
        }
    }

    /** A --ulimit, by Docker's name ("nofile"); -1 is unlimited. */
    public record Ulimit(String name, long soft, long hard) {
        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Name", name);
            m.put("Hard", hard);
            m.put("Soft", soft);
            return m;
        }

        static Ulimit fromJson(Map<?, ?> m) {
            return new Ulimit(string(m, "Name"), number(m, "Soft"), number(m, "Hard"));
        }
    }

    public HostConfig {
        binds = List.copyOf(binds == null ? List.of() : binds);
        mounts = List.copyOf(mounts == null ? List.of() : mounts);
        tmpfs = ordered(tmpfs);
        networkMode = orEmpty(networkMode);
        pidMode = orEmpty(pidMode);
        ipcMode = orEmpty(ipcMode);
        utsMode = orEmpty(utsMode);
        usernsMode = orEmpty(usernsMode);
        cgroupnsMode = orEmpty(cgroupnsMode);
        capAdd = List.copyOf(capAdd == null ? List.of() : capAdd);
        capDrop = List.copyOf(capDrop == null ? List.of() : capDrop);
        devices = List.copyOf(devices == null ? List.of() : devices);
        securityOpt = List.copyOf(securityOpt == null ? List.of() : securityOpt);
        ulimits = List.copyOf(ulimits == null ? List.of() : ulimits);
        if (restartPolicy == null) restartPolicy = RestartPolicy.NO;
        sysctls = ordered(sysctls);
        extraHosts = List.copyOf(extraHosts == null ? List.of() : extraHosts);
        dns = List.copyOf(dns == null ? List.of() : dns);
        dnsOptions = List.copyOf(dnsOptions == null ? List.of() : dnsOptions);
        dnsSearch = List.copyOf(dnsSearch == null ? List.of() : dnsSearch);
        if (resources == null) resources = ResourceLimits.NONE;
        if (timeOffsets != null) timeOffsets = ordered(timeOffsets);
        mountNsMode = orEmpty(mountNsMode);
        portBindings = List.copyOf(portBindings == null ? List.of() : portBindings);
        networks = List.copyOf(networks == null ? List.of() : networks);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static <V> Map<String, V> ordered(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** /dev/shm's size when --shm-size is not given: 64 MiB, as Docker's. */
    public static final long DEFAULT_SHM_SIZE = 64L << 20;

    /** As `docker inspect` prints .HostConfig (the resource fields at its top level, as Docker's). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Binds", binds);
        m.put("NetworkMode", networkMode);
        m.put("RestartPolicy", restartPolicy.toJson());
        m.put("AutoRemove", autoRemove);
        m.put("CapAdd", capAdd);
        m.put("CapDrop", capDrop);
        m.put("CgroupnsMode", cgroupnsMode);
        m.put("Dns", dns);
        m.put("DnsOptions", dnsOptions);
        m.put("DnsSearch", dnsSearch);
        m.put("ExtraHosts", extraHosts);
        m.put("IpcMode", ipcMode);
        m.put("PidMode", pidMode);
        m.put("Privileged", privileged);
        m.put("ReadonlyRootfs", readonlyRootfs);
        m.put("SecurityOpt", securityOpt);
        m.put("Tmpfs", tmpfs);
        m.put("UTSMode", utsMode);
        m.put("UsernsMode", usernsMode);
        m.put("ShmSize", shmSize);
        m.putAll(resources.toJson());
        List<Object> devs = new ArrayList<>();
        for (DeviceMapping d : devices) devs.add(d.toJson());
        m.put("Devices", devs);
        List<Object> limits = new ArrayList<>();
        for (Ulimit u : ulimits) limits.add(u.toJson());
        m.put("Ulimits", limits);
        if (init != null) m.put("Init", init);
        List<Object> ms = new ArrayList<>();
        for (MountSpec s : mounts) ms.add(s.toJson());
        m.put("Mounts", ms);
        m.put("Sysctls", sysctls);
        if (timeOffsets != null) m.put("TimeOffsets", timeOffsets);
        m.put("MountNsMode", mountNsMode);
        Map<String, Object> bindings = new LinkedHashMap<>(); // Docker's: "80/tcp" -> [{HostIp, HostPort}]
        for (PortMapping p : portBindings) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) bindings.computeIfAbsent(p.containerPort() + "/" + p.protocol(), k -> new ArrayList<>());
            list.add(Map.of("HostIp", p.hostIp(), "HostPort", p.hostPort() == 0 ? "" : Integer.toString(p.hostPort())));
        }
        m.put("PortBindings", bindings);
        m.put("PublishAllPorts", publishAllPorts);
        List<Object> nets = new ArrayList<>(); // capsa's: what each network was asked for (Docker's NetworkingConfig)
        for (Attachment a : networks) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("Name", a.network());
            n.put("Aliases", a.aliases());
            if (a.ip() != null) n.put("IPAddress", a.ip());
            if (a.mac() != null) n.put("MacAddress", a.mac());
            nets.add(n);
        }
        m.put("Networks", nets);
        return m;
    }

    public static HostConfig fromJson(Map<?, ?> m) {
        List<MountSpec> mounts = new ArrayList<>();
        for (Map<?, ?> s : maps(m, "Mounts")) mounts.add(MountSpec.fromJson(s));
        List<DeviceMapping> devices = new ArrayList<>();
        for (Map<?, ?> d : maps(m, "Devices")) devices.add(DeviceMapping.fromJson(d));
        List<Ulimit> ulimits = new ArrayList<>();
        for (Map<?, ?> u : maps(m, "Ulimits")) ulimits.add(Ulimit.fromJson(u));
        Map<String, Long> offsets = null;
        if (m.get("TimeOffsets") instanceof Map<?, ?> o) {
            offsets = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : o.entrySet()) offsets.put(String.valueOf(e.getKey()), ((Number) e.getValue()).longValue());
        }
        return new HostConfig(strings(m, "Binds"), mounts, stringMap(m, "Tmpfs"), string(m, "NetworkMode"),
                string(m, "PidMode"), string(m, "IpcMode"), string(m, "UTSMode"), string(m, "UsernsMode"),
                string(m, "CgroupnsMode"), strings(m, "CapAdd"), strings(m, "CapDrop"), bool(m, "Privileged"), devices,
                strings(m, "SecurityOpt"), ulimits, boolOrNull(m, "Init"), RestartPolicy.fromJson(map(m, "RestartPolicy")),
                bool(m, "AutoRemove"), number(m, "ShmSize"), stringMap(m, "Sysctls"), strings(m, "ExtraHosts"),
                strings(m, "Dns"), strings(m, "DnsOptions"), strings(m, "DnsSearch"), bool(m, "ReadonlyRootfs"),
                ResourceLimits.fromJson(m), offsets, string(m, "MountNsMode"), portBindings(map(m, "PortBindings")),
                bool(m, "PublishAllPorts"), networks(maps(m, "Networks")));
    }

    private static List<PortMapping> portBindings(Map<?, ?> bindings) {
        List<PortMapping> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : bindings.entrySet()) {
            String[] port = String.valueOf(e.getKey()).split("/", 2);
            for (Object o : (List<?>) e.getValue()) {
                Map<?, ?> b = (Map<?, ?>) o;
                String hostPort = string(b, "HostPort");
                list.add(new PortMapping(string(b, "HostIp"), hostPort.isEmpty() ? 0 : Integer.parseInt(hostPort),
                        Integer.parseInt(port[0]), port.length > 1 ? port[1] : "tcp"));
            }
        }
        return list;
    }

    private static List<Attachment> networks(List<Map<?, ?>> list) {
        List<Attachment> networks = new ArrayList<>();
        for (Map<?, ?> n : list) {
            String ip = string(n, "IPAddress"), mac = string(n, "MacAddress");
            networks.add(new Attachment(string(n, "Name"), strings(n, "Aliases"), ip.isEmpty() ? null : ip, mac.isEmpty() ? null : mac));
        }
        return networks;
    }
}
