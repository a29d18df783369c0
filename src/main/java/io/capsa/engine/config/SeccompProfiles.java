package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.SpecException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seccomp profiles as Docker writes them (its default: moby's profiles/seccomp/default.json, kept as
 * DockerSeccompProfile) turned into the linux.seccomp a runtime takes, as dockerd does:
 * the host's architectures from archMap, and only the rules whose includes and excludes fit the host's
 * architecture (a Go GOARCH), its kernel and the container's capabilities. A profile in the OCI form
 * (architectures instead of archMap, no includes) passes through the same way.
 */
public final class SeccompProfiles {
    private SeccompProfiles() {}

    public static String dockerDefault() {
        return DockerSeccompProfile.JSON;
    }

    /** The host's architecture as Go names it, which the profiles' includes and excludes use. */
    public static String hostGoArch() {
        return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    }

    private static final Map<String, String> NATIVE = Map.of("amd64", "SCMP_ARCH_X86_64", "arm64", "SCMP_ARCH_AARCH64");

    /** For this host: its architecture and the running kernel's version. */
    public static Map<String, Object> forContainer(String json, List<String> caps) {
        return forContainer(json, hostGoArch(), KernelVersion.running(), caps);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> forContainer(String json, String goArch, KernelVersion kernel, List<String> caps) {
        Map<String, Object> engine;
        try {
            engine = (Map<String, Object>) Json.parse(json, "seccomp profile").raw();
        } catch (SpecException | ClassCastException e) {
            throw new CapsaException(e instanceof SpecException ? e.getMessage() : "seccomp profile: not a JSON object");
        }
        if (engine.get("archMap") != null && engine.get("architectures") != null)
            throw new CapsaException("seccomp profile: give architectures or archMap, not both");
        Map<String, Object> oci = new LinkedHashMap<>();
        oci.put("defaultAction", engine.get("defaultAction"));
        if (engine.get("defaultErrnoRet") != null) oci.put("defaultErrnoRet", engine.get("defaultErrnoRet"));
        List<Object> arches = new ArrayList<>();
        if (engine.get("architectures") instanceof List<?> given) arches.addAll(given);
        for (Map<?, ?> a : JsonFields.maps(engine, "archMap")) {
            if (!a.get("architecture").equals(NATIVE.get(goArch))) continue;
            arches.add(a.get("architecture"));
            arches.addAll(JsonFields.strings(a, "subArchitectures"));
        }
        oci.put("architectures", arches);
        if (engine.get("flags") != null) oci.put("flags", engine.get("flags"));
        List<Object> syscalls = new ArrayList<>();
        for (Map<?, ?> call : JsonFields.maps(engine, "syscalls")) {
            if (!fits(call, goArch, kernel, caps)) continue;
            Map<String, Object> rule = new LinkedHashMap<>();
            // "name" is the old single-name form
            rule.put("names", call.get("names") != null ? call.get("names") : List.of(JsonFields.string(call, "name")));
            for (String key : List.of("action", "errnoRet", "args")) if (call.get(key) != null) rule.put(key, call.get(key));
            syscalls.add(rule);
        }
        oci.put("syscalls", syscalls);
        return oci;
    }

    private static boolean fits(Map<?, ?> call, String goArch, KernelVersion kernel, List<String> caps) {
        Map<?, ?> excludes = JsonFields.map(call, "excludes"), includes = JsonFields.map(call, "includes");
        if (JsonFields.strings(excludes, "arches").contains(goArch)) return false;
        for (String c : JsonFields.strings(excludes, "caps")) if (caps.contains(c)) return false;
        String notFrom = JsonFields.stringOrNull(excludes, "minKernel");
        if (notFrom != null && kernel.atLeast(KernelVersion.parse(notFrom))) return false;
        String from = JsonFields.stringOrNull(includes, "minKernel");
        if (from != null && !kernel.atLeast(KernelVersion.parse(from))) return false;
        List<String> arches = JsonFields.strings(includes, "arches");
        if (!arches.isEmpty() && !arches.contains(goArch)) return false;
        return caps.containsAll(JsonFields.strings(includes, "caps"));
    }
}
