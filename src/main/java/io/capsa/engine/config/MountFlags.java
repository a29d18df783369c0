package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.MountOptions;
import io.capsa.spec.Quoted;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** -v/--volume, --mount and --tmpfs values as Docker reads them, into HostConfig.MountSpec; one error line each. */
public final class MountFlags {
    private MountFlags() {}

    private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> TMPFS_DATA = Set.of("size", "mode", "uid", "gid", "nr_inodes", "nr_blocks", "mpol", "huge");

    /** -v SOURCE:TARGET[:MODES] (SOURCE absolute: a bind; else a volume name), or -v TARGET: an anonymous volume. */
    public static HostConfig.MountSpec volume(String raw) {
        String[] parts = raw.split(":", -1);
        if (parts.length > 3 || parts.length == 2 && validModes(parts[1]))
            throw new CapsaException("-v: invalid volume specification: " + Quoted.of(raw));
        String source = parts.length == 1 ? "" : parts[0], target = parts.length == 1 ? parts[0] : parts[1];
        String modes = parts.length == 3 ? parts[2] : "";
        if (!validModes(modes)) throw new CapsaException("-v: invalid mode " + Quoted.of(modes) + " in " + Quoted.of(raw));
        boolean bind = source.startsWith("/");
        if (!bind && !source.isEmpty()) volumeName("-v", source);
        target(raw, target);
        List<String> m = List.of(modes.split(","));
        String propagation = "";
        for (String mode : m) if (PROPAGATIONS.contains(mode)) propagation = mode;
        if (!bind && !propagation.isEmpty())
            throw new CapsaException("-v: propagation " + Quoted.of(propagation) + " is for binds, not volumes: " + Quoted.of(raw));
        return new HostConfig.MountSpec(bind ? "bind" : "volume", bind ? Path.of(source).normalize().toString() : source,
                Path.of(target).normalize().toString(), m.contains("ro"), propagation, m.contains("nocopy"), 0, 0);
    }

    /** Docker's ValidMountMode: comma-separated, at most one of each kind. */
    private static boolean validModes(String modes) {
        if (modes.isEmpty()) return true;
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String m : modes.split(",", -1)) {
            switch (m) {
                case "ro", "rw" -> rw++;
                case "z", "Z" -> label++;
                case "nocopy" -> copy++;
                case "cached", "delegated", "consistent" -> consistency++;
                default -> {
                    if (!PROPAGATIONS.contains(m)) return false;
                    propagation++;
                }
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    /** --mount type=bind|volume|tmpfs,source=...,target=...,readonly,bind-propagation=...,volume-nocopy,tmpfs-size=...,tmpfs-mode=... */
    public static HostConfig.MountSpec mount(String raw) {
        String type = "volume", source = "", target = null, propagation = "";
        boolean readOnly = false, noCopy = false;
        long size = 0;
        int mode = 0;
        for (String field : raw.split(",", -1)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : field.substring(eq + 1);
            if (value == null && !key.equals("readonly") && !key.equals("ro") && !key.equals("volume-nocopy"))
                throw mountError(raw, "invalid field " + Quoted.of(field) + " must be a key=value pair");
            switch (key) {
                case "type" -> type = value;
                case "source", "src" -> source = value;
                case "target", "destination", "dst" -> target = value;
                case "readonly", "ro" -> readOnly = bool(raw, key, value);
                case "volume-nocopy" -> noCopy = bool(raw, key, value);
                case "bind-propagation" -> {
                    if (!PROPAGATIONS.contains(value)) throw mountError(raw, "invalid propagation " + Quoted.of(value));
                    propagation = value;
                }
                case "tmpfs-size" -> {
                    try {
                        size = Sizes.ramInBytes(value);
                    } catch (IllegalArgumentException e) {
                        throw mountError(raw, "invalid tmpfs-size " + Quoted.of(value));
                    }
                }
                case "tmpfs-mode" -> {
                    try {
                        mode = Integer.parseInt(value, 8);
                    } catch (NumberFormatException e) {
                        throw mountError(raw, "invalid tmpfs-mode " + Quoted.of(value) + " (octal, such as 1777)");
                    }
                    if (mode < 0 || mode > 07777) throw mountError(raw, "invalid tmpfs-mode " + Quoted.of(value));
                }
                case "consistency", "bind-nonrecursive" -> { }
                case "volume-driver" -> {
                    if (!value.equals("local")) throw mountError(raw, "only the local volume driver is supported");
                }
                default -> throw mountError(raw, "unknown option " + Quoted.of(key));
            }
        }
        if (target == null || target.isEmpty()) throw mountError(raw, "target is required");
        target(raw, target);
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) throw mountError(raw, "source is required for a bind");
                if (!source.startsWith("/")) throw mountError(raw, "bind source " + Quoted.of(source) + " must be an absolute path");
                source = Path.of(source).normalize().toString();
            }
            case "volume" -> {
                if (!source.isEmpty()) volumeName("--mount", source);
            }
            case "tmpfs" -> {
                if (!source.isEmpty()) throw mountError(raw, "a tmpfs takes no source");
            }
            default -> throw mountError(raw, "unknown type " + Quoted.of(type) + " (bind, volume or tmpfs)");
        }
        if (!type.equals("bind") && !propagation.isEmpty()) throw mountError(raw, "bind-propagation is for binds");
        if (!type.equals("volume") && noCopy) throw mountError(raw, "volume-nocopy is for volumes");
        if (!type.equals("tmpfs") && (size != 0 || mode != 0)) throw mountError(raw, "tmpfs-size and tmpfs-mode are for tmpfs");
        return new HostConfig.MountSpec(type, source, Path.of(target).normalize().toString(), readOnly, propagation, noCopy, size, mode);
    }

    private static boolean bool(String raw, String key, String value) {
        if (value == null || value.equals("1") || value.equalsIgnoreCase("true")) return true;
        if (value.equals("0") || value.equalsIgnoreCase("false")) return false;
        throw mountError(raw, "invalid value " + Quoted.of(value) + " for " + key);
    }

    private static CapsaException mountError(String raw, String why) {
        return new CapsaException("--mount " + Quoted.of(raw) + ": " + why);
    }

    /** --tmpfs TARGET[:OPTIONS]: the target, and options mount(8) knows or a tmpfs takes (size=64m, mode=1777). */
    public static String[] tmpfs(String raw) {
        int colon = raw.indexOf(':');
        String target = colon < 0 ? raw : raw.substring(0, colon), options = colon < 0 ? "" : raw.substring(colon + 1);
        target(raw, target);
        if (!options.isEmpty()) {
            for (String o : options.split(",", -1)) {
                int eq = o.indexOf('=');
                if (eq < 0 ? !MountOptions.names().contains(o) : !TMPFS_DATA.contains(o.substring(0, eq)))
                    throw new CapsaException("--tmpfs " + Quoted.of(raw) + ": unknown option " + Quoted.of(o));
            }
        }
        return new String[] {Path.of(target).normalize().toString(), options};
    }

    private static void target(String raw, String target) {
        if (!target.startsWith("/")) throw new CapsaException(Quoted.of(raw) + ": the mount path " + Quoted.of(target) + " must be absolute");
        if (Path.of(target).normalize().toString().equals("/")) throw new CapsaException(Quoted.of(raw) + ": the destination can't be '/'");
    }

    /** Docker's rule for a local volume's name. */
    static void volumeName(String flag, String name) {
        boolean ok = name.length() >= 2 && Character.isLetterOrDigit(name.charAt(0)) && name.charAt(0) < 128;
        for (int i = 1; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-');
        }
        if (!ok)
            throw new CapsaException(flag + ": " + Quoted.of(name) + " includes invalid characters for a local volume name, only "
                    + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path");
    }

    /** Every mount the flags make, checked against each other: one mount per destination. */
    public static void checkDistinct(List<String> targets) {
        List<String> seen = new ArrayList<>();
        for (String t : targets) {
            if (seen.contains(t)) throw new CapsaException("duplicate mount point: " + t);
            seen.add(t);
        }
    }
}
