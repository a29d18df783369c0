package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.util.List;
import java.util.Map;

/**
 * --security-opt: no-new-privileges[:true|false], seccomp=unconfined, seccomp=<profile JSON> (the CLI puts a
 * file's content there, as Docker's), and the AppArmor and SELinux options capsa has no use for when they
 * ask for nothing (apparmor=unconfined, label=disable).
 */
public final class SecurityOpts {
    private SecurityOpts() {}

    /** Checks one option as the user gave it ("=" or ":" after the key). */
    public static void check(String opt) {
        String key = key(opt), value = value(opt);
        switch (key) {
            case "no-new-privileges" -> {
                if (value != null && !value.equals("true") && !value.equals("false"))
                    throw new CapsaException("--security-opt: invalid no-new-privileges value " + Quoted.of(value) + " (true or false)");
            }
            case "seccomp" -> {
                if (value == null || value.isEmpty()) throw new CapsaException("--security-opt: seccomp needs unconfined or a profile file");
            }
            case "apparmor", "label" -> {
                if (!"unconfined".equals(value) && !"disable".equals(value))
                    throw new CapsaException("--security-opt: " + key + " is not supported: capsa applies no AppArmor or SELinux labels");
            }
            default -> throw new CapsaException("--security-opt: unknown option " + Quoted.of(opt)
                    + " (no-new-privileges, seccomp=unconfined|FILE)");
        }
    }

    static String key(String opt) {
        int at = separator(opt);
        return at < 0 ? opt : opt.substring(0, at);
    }

    /** What follows the key and its = or :, or null. */
    public static String value(String opt) {
        int at = separator(opt);
        return at < 0 ? null : opt.substring(at + 1);
    }

    private static int separator(String opt) {
        int eq = opt.indexOf('='), colon = opt.indexOf(':');
        return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
    }

    static boolean noNewPrivileges(List<String> opts) {
        boolean on = false;
        for (String o : opts) if (key(o).equals("no-new-privileges")) on = !"false".equals(value(o));
        return on;
    }

    /** Docker's default profile for these capabilities, the user's, or none (unconfined, or --privileged). */
    static Map<String, Object> seccomp(HostConfig h, List<String> caps) {
        String profile = null;
        for (String o : h.securityOpt()) if (key(o).equals("seccomp")) profile = value(o);
        if ("unconfined".equals(profile) || h.privileged() && profile == null) return null;
        return SeccompProfiles.forContainer(profile != null ? profile : SeccompProfiles.dockerDefault(), caps);
    }
}
