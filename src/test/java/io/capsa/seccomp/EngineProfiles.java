package io.capsa.seccomp;

import io.capsa.spec.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default seccomp profiles of Docker (docker-default.json: moby b985e23's
 * vendor/github.com/moby/profiles/seccomp/default.json, kept as test data) and Podman (as Debian's
 * golang-github-containers-common installs it), turned into the linux.seccomp an engine hands a runtime,
 * the way both do it: the host's architectures from archMap, and the rules whose includes and excludes
 * fit the host's architecture (a Go GOARCH) and the container's capabilities. Kernel versions are taken
 * to be new enough.
 */
public final class EngineProfiles {
    private EngineProfiles() {}

    public static final List<String> DOCKER_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    /** containers.conf's default_capabilities. */
    public static final List<String> PODMAN_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID",
            "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT");
    public static final Path PODMAN_PROFILE = Path.of("/usr/share/containers/seccomp.json");

    public static Map<String, Object> docker(String goArch) {
        try (InputStream in = EngineProfiles.class.getResourceAsStream("docker-default.json")) {
            return forHost(new String(in.readAllBytes(), StandardCharsets.UTF_8), goArch, DOCKER_CAPS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Object> podman(String goArch) {
        try {
            return forHost(Files.readString(PODMAN_PROFILE), goArch, PODMAN_CAPS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, String> NATIVE = Map.of("amd64", "SCMP_ARCH_X86_64", "arm64", "SCMP_ARCH_AARCH64");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> forHost(String json, String goArch, List<String> caps) {
        Map<String, Object> engine = (Map<String, Object>) Json.parse(json, "profile").raw();
        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("defaultAction", engine.get("defaultAction"));
        if (engine.get("defaultErrnoRet") != null) oci.put("defaultErrnoRet", engine.get("defaultErrnoRet"));
        List<Object> arches = new ArrayList<>();
        for (Object o : (List<Object>) engine.get("archMap")) {
            Map<String, Object> a = (Map<String, Object>) o;
            if (!a.get("architecture").equals(NATIVE.get(goArch))) continue;
            arches.add(a.get("architecture"));
            arches.addAll((List<Object>) a.get("subArchitectures"));
        }
        oci.put("architectures", arches);
        List<Object> syscalls = new ArrayList<>();
        for (Object o : (List<Object>) engine.get("syscalls")) {
            Map<String, Object> call = (Map<String, Object>) o;
            if (!fits(call, goArch, caps)) continue;
            Map<String, Object> rule = new LinkedHashMap<>();
            for (String key : List.of("names", "action", "errnoRet", "args")) if (call.get(key) != null) rule.put(key, call.get(key));
            syscalls.add(rule);
        }
        oci.put("syscalls", syscalls);
        return oci;
    }

    private static boolean fits(Map<String, Object> call, String goArch, List<String> caps) {
        if (list(call, "excludes", "arches").contains(goArch)) return false;
        for (Object c : list(call, "excludes", "caps")) if (caps.contains(c)) return false;
        if (section(call, "excludes").get("minKernel") != null) return false;
        List<Object> arches = list(call, "includes", "arches");
        if (!arches.isEmpty() && !arches.contains(goArch)) return false;
        return caps.containsAll(list(call, "includes", "caps"));
    }

    /** includes or excludes, which a profile may leave out or set to null, as may be each of their lists. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> call, String name) {
        Object section = call.get(name);
        return section == null ? Map.of() : (Map<String, Object>) section;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Map<String, Object> call, String section, String key) {
        Object list = section(call, section).get(key);
        return list == null ? List.of() : (List<Object>) list;
    }
}
