package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.util.List;
import java.util.Map;

/**
 * --userns: "" or "host" (the host's user namespace, as Docker's default), or capsa's "remap:HOSTID[:SIZE]":
 * a user namespace of the container's own in which uids and gids 0..SIZE-1 (default 65536) are HOSTID.. on
 * the host, so that root in the container is an unprivileged user outside (the image's files, owned by the
 * host's root, are then read-only to it).
 */
public final class UsernsMode {
    private UsernsMode() {}

    static final long DEFAULT_SIZE = 65536;
    private static final long MAX_ID = 4294967295L;

    static boolean remaps(String mode) {
        return mode.startsWith("remap:");
    }

    /** Checks the mode; returns {hostId, size} for a remap, else null. */
    public static long[] parse(String mode) {
        if (mode.isEmpty() || mode.equals("host")) return null;
        if (!remaps(mode)) throw new CapsaException("--userns: invalid mode " + Quoted.of(mode) + " (host or remap:HOSTID[:SIZE])");
        String[] parts = mode.substring(6).split(":", -1);
        try {
            long host = Long.parseLong(parts[0]), size = parts.length > 1 ? Long.parseLong(parts[1]) : DEFAULT_SIZE;
            if (parts.length > 2 || host < 1 || size < 1 || host + size - 1 > MAX_ID - 1) throw new NumberFormatException();
            return new long[] {host, size};
        } catch (NumberFormatException e) {
            throw new CapsaException("--userns: " + Quoted.of(mode) + " is not remap:HOSTID[:SIZE] with HOSTID > 0 and the range within 32 bits");
        }
    }

    static void mappings(String mode, Map<String, Object> linux) {
        long[] remap = parse(mode);
        if (remap == null) return;
        List<Object> map = List.of(Map.of("containerID", 0L, "hostID", remap[0], "size", remap[1]));
        linux.put("uidMappings", map);
        linux.put("gidMappings", map);
    }
}
