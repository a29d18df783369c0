package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Capabilities;
import io.capsa.spec.Quoted;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The capabilities a container gets: Docker's default set, changed by --cap-add and --cap-drop, or all with --privileged. */
public final class CapabilitySet {
    private CapabilitySet() {}

    /** Docker's default set (moby's oci/caps/defaults.go). */
    public static final List<String> DOCKER_DEFAULT = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** A --cap-add or --cap-drop value as Docker keeps it: "ALL", or the name with CAP_ in capitals; unknown ones refused. */
    public static String normalized(String flag, String name) {
        String upper = name.strip().toUpperCase(Locale.ROOT);
        if (upper.equals("ALL")) return upper;
        String cap = upper.startsWith("CAP_") ? upper : "CAP_" + upper;
        if (!Capabilities.NAMES.contains(cap)) throw new CapsaException(flag + ": unknown capability " + Quoted.of(name));
        return cap;
    }

    /** Docker's TweakCapabilities: ALL in --cap-add is every one but those dropped; ALL in --cap-drop leaves only those added. */
    public static List<String> of(HostConfig h) {
        if (h.privileged()) return Capabilities.NAMES;
        List<String> caps = new ArrayList<>();
        if (h.capAdd().contains("ALL")) {
            for (String c : Capabilities.NAMES) if (!h.capDrop().contains(c)) caps.add(c);
        } else {
            if (!h.capDrop().contains("ALL")) for (String c : DOCKER_DEFAULT) if (!h.capDrop().contains(c)) caps.add(c);
            for (String c : h.capAdd()) if (!caps.contains(c)) caps.add(c);
        }
        return caps;
    }
}
