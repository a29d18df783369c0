package io.capsa.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mount(8)-style options split as mount(2) takes them: flags, propagation, the filesystem's data, and the
 * recursive attributes ("rro", "rnosuid", ...) that mount_setattr(2) applies to a whole subtree; copyUp
 * ("tmpcopyup"): a tmpfs starts with a copy of what the root filesystem has at its destination.
 */
public record MountOptions(long flags, long propagation, String data, long recursiveSet, long recursiveClear,
                           boolean copyUp) {

    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_REMOUNT = 32, MS_MANDLOCK = 64, MS_DIRSYNC = 128, MS_NOSYMFOLLOW = 256, MS_NOATIME = 1024,
            MS_NODIRATIME = 2048, MS_BIND = 4096, MS_MOVE = 8192, MS_REC = 16384, MS_UNBINDABLE = 1 << 17,
            MS_PRIVATE = 1 << 18, MS_SLAVE = 1 << 19, MS_SHARED = 1 << 20, MS_RELATIME = 1 << 21,
            MS_STRICTATIME = 1 << 24;

    /** option -> {flags to set, flags to clear}. */
    private static final Map<String, long[]> FLAGS = Map.ofEntries(
            Map.entry("defaults", new long[] {0, 0}),
            Map.entry("ro", new long[] {MS_RDONLY, 0}), Map.entry("rw", new long[] {0, MS_RDONLY}),
            Map.entry("nosuid", new long[] {MS_NOSUID, 0}), Map.entry("suid", new long[] {0, MS_NOSUID}),
            Map.entry("nodev", new long[] {MS_NODEV, 0}), Map.entry("dev", new long[] {0, MS_NODEV}),
            Map.entry("noexec", new long[] {MS_NOEXEC, 0}), Map.entry("exec", new long[] {0, MS_NOEXEC}),
            Map.entry("sync", new long[] {MS_SYNCHRONOUS, 0}), Map.entry("async", new long[] {0, MS_SYNCHRONOUS}),
            Map.entry("dirsync", new long[] {MS_DIRSYNC, 0}), Map.entry("remount", new long[] {MS_REMOUNT, 0}),
            Map.entry("mand", new long[] {MS_MANDLOCK, 0}), Map.entry("nomand", new long[] {0, MS_MANDLOCK}),
            Map.entry("noatime", new long[] {MS_NOATIME, 0}), Map.entry("atime", new long[] {0, MS_NOATIME}),
            Map.entry("nodiratime", new long[] {MS_NODIRATIME, 0}), Map.entry("diratime", new long[] {0, MS_NODIRATIME}),
            Map.entry("relatime", new long[] {MS_RELATIME, 0}), Map.entry("norelatime", new long[] {0, MS_RELATIME}),
            Map.entry("strictatime", new long[] {MS_STRICTATIME, 0}),
            Map.entry("nostrictatime", new long[] {0, MS_STRICTATIME}),
            Map.entry("nosymfollow", new long[] {MS_NOSYMFOLLOW, 0}),
            Map.entry("bind", new long[] {MS_BIND, 0}), Map.entry("rbind", new long[] {MS_BIND | MS_REC, 0}));

    private static final long ATTR_RDONLY = 0x1, ATTR_NOSUID = 0x2, ATTR_NODEV = 0x4, ATTR_NOEXEC = 0x8,
            ATTR_ATIME = 0x70, ATTR_NOATIME = 0x10, ATTR_STRICTATIME = 0x20, ATTR_NODIRATIME = 0x80,
            ATTR_NOSYMFOLLOW = 0x200000;

    /** recursive option -> {MOUNT_ATTR_* to set, MOUNT_ATTR_* to clear}, as runc names them. */
    private static final Map<String, long[]> RECURSIVE = Map.ofEntries(
            Map.entry("rro", new long[] {ATTR_RDONLY, 0}), Map.entry("rrw", new long[] {0, ATTR_RDONLY}),
            Map.entry("rnosuid", new long[] {ATTR_NOSUID, 0}), Map.entry("rsuid", new long[] {0, ATTR_NOSUID}),
            Map.entry("rnodev", new long[] {ATTR_NODEV, 0}), Map.entry("rdev", new long[] {0, ATTR_NODEV}),
            Map.entry("rnoexec", new long[] {ATTR_NOEXEC, 0}), Map.entry("rexec", new long[] {0, ATTR_NOEXEC}),
            Map.entry("rnodiratime", new long[] {ATTR_NODIRATIME, 0}), Map.entry("rdiratime", new long[] {0, ATTR_NODIRATIME}),
            Map.entry("rrelatime", new long[] {0, ATTR_ATIME}), Map.entry("rnoatime", new long[] {ATTR_NOATIME, ATTR_ATIME}),
            Map.entry("rstrictatime", new long[] {ATTR_STRICTATIME, ATTR_ATIME}),
            Map.entry("rnosymfollow", new long[] {ATTR_NOSYMFOLLOW, 0}), Map.entry("rsymfollow", new long[] {0, ATTR_NOSYMFOLLOW}));

    /** Every option name that is not filesystem data, for the features document. */
    public static java.util.SortedSet<String> names() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>(FLAGS.keySet());
        names.addAll(RECURSIVE.keySet());
        names.addAll(List.of("private", "rprivate", "shared", "rshared", "slave", "rslave", "unbindable", "runbindable",
                "tmpcopyup"));
        return names;
    }

    /** The mount(2) flags of a propagation option such as "rslave", or 0 if it is none. */
    public static long propagation(String option) {
        return switch (option) {
            case "private" -> MS_PRIVATE;
            case "rprivate" -> MS_PRIVATE | MS_REC;
            case "shared" -> MS_SHARED;
            case "rshared" -> MS_SHARED | MS_REC;
            case "slave" -> MS_SLAVE;
            case "rslave" -> MS_SLAVE | MS_REC;
            case "unbindable" -> MS_UNBINDABLE;
            case "runbindable" -> MS_UNBINDABLE | MS_REC;
            default -> 0;
        };
    }

    public static MountOptions parse(List<String> options) {
        long flags = 0, propagation = 0, set = 0, clear = 0;
        boolean copyUp = false;
        List<String> data = new ArrayList<>();
        for (String option : options) {
            long[] f = FLAGS.get(option);
            long[] r = RECURSIVE.get(option);
            long p = propagation(option);
            if (option.equals("tmpcopyup")) {
                copyUp = true;
            } else if (f != null) {
                flags = (flags | f[0]) & ~f[1];
            } else if (r != null) {
                set = (set & ~r[1]) | r[0];
                clear = (clear & ~r[0]) | r[1];
            } else if (p != 0) {
                propagation = p;
            } else {
                data.add(option);
            }
        }
        return new MountOptions(flags, propagation, String.join(",", data), set, clear, copyUp);
    }

    public boolean bind() {
        return (flags & MS_BIND) != 0;
    }
}
