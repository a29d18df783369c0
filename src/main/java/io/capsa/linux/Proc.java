package io.capsa.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about processes read from /proc. */
public final class Proc {
    private Proc() {}

    /**
     * The start time of pid in clock ticks since boot (field 22 of /proc/PID/stat), or -1 if the process
     * is gone or is a zombie. With the pid it identifies a process even after the pid is reused.
     */
    public static long startTime(int pid) {
        String stat;
        try {
            stat = FileText.read(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return -1;
        }
        // The command name may contain spaces and parentheses; the fields after the last ')' do not.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (f[0].equals("Z") || f[0].equals("X")) return -1;
        return Long.parseLong(f[19]);
    }

    /** The parent of pid (field 4 of /proc/PID/stat), or -1 if the process is gone. */
    public static int parentPid(int pid) {
        return statField(pid, 1);
    }

    /** The session of pid (field 6 of /proc/PID/stat), or -1 if the process is gone. */
    public static int sessionId(int pid) {
        return statField(pid, 3);
    }

    /** A numeric field of /proc/PID/stat, counted from the state (field 3) as 0; -1 if the process is gone. */
    private static int statField(int pid, int index) {
        try {
            String stat = FileText.read(Path.of("/proc/" + pid + "/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ", index + 2)[index]);
        } catch (IOException e) {
            return -1;
        }
    }

    /** This process's effective uid: the second number of the Uid: line of /proc/self/status. */
    public static int effectiveUid() {
        try {
            String status = FileText.read(Path.of("/proc/self/status"));
            int line = status.indexOf("\nUid:");
            String[] ids = status.substring(line + 5, status.indexOf('\n', line + 1)).strip().split("\t");
            return Integer.parseInt(ids[1]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** pid as its own pid namespace numbers it: the last number of the NSpid: line of /proc/PID/status. */
    public static int pidInItsNamespace(int pid) {
        try {
            String status = FileText.read(Path.of("/proc/" + pid + "/status"));
            int line = status.indexOf("\nNSpid:");
            String ids = status.substring(line + 7, status.indexOf('\n', line + 1)).strip();
            return Integer.parseInt(ids.substring(ids.lastIndexOf('\t') + 1));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** This process's limit of open files (RLIMIT_NOFILE, soft): no descriptor number reaches it. */
    public static long openFileLimit() {
        try {
            String limits = FileText.read(Path.of("/proc/self/limits"));
            int line = limits.indexOf("\nMax open files");
            String[] f = limits.substring(line + 1, limits.indexOf('\n', line + 1)).split(" +");
            return f[3].equals("unlimited") ? Integer.MAX_VALUE : Long.parseLong(f[3]);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The inode of a namespace file such as /proc/self/ns/net, or -1 if it cannot be read. */
    public static long namespaceInode(Path nsFile) {
        try {
            return ((Number) Files.getAttribute(nsFile, "unix:ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }
}
