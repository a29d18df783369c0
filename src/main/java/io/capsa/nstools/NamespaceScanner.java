package io.capsa.nstools;

import io.capsa.linux.FileText;
import io.capsa.linux.NamespaceFiles;
import io.capsa.spec.NamespaceType;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every namespace in use on the host, as util-linux lsns finds them: one pass over /proc reading the
 * /proc/PID/ns links, whose text ("net:[4026531840]") holds the inode without a stat. Only the lowest
 * process of each namespace is then asked for its user, command and parent namespace. A process that
 * exits during the pass, or whose links we may not read, is left out, as lsns leaves it out.
 */
public final class NamespaceScanner {
    private final Path proc;
    private final Path passwd;

    /** Scans the host's /proc, naming users from /etc/passwd. */
    public NamespaceScanner() {
        this(Path.of("/proc"), Path.of("/etc/passwd"));
    }

    NamespaceScanner(Path proc, Path passwd) {
        this.proc = proc;
        this.passwd = passwd;
    }

    /** All namespaces of all types with the parents of pid and user namespaces, ordered by inode as lsns orders them. */
    public List<Namespace> scan() {
        return scan(Set.of(NamespaceType.values()), true);
    }

    /**
     * The namespaces of the given types (lsns -t), ordered by inode. parents: whether to ask the kernel for
     * the parents of pid and user namespaces (lsns's PNS column); the first call through FFM costs a fresh
     * JVM ~30 ms, three times the rest of the scan, so a listing that shows no parents leaves them at -1.
     */
    public List<Namespace> scan(Set<NamespaceType> types, boolean parents) {
        Map<Long, NamespaceType> typeOf = new HashMap<>();
        Map<Long, List<Integer>> pidsOf = new HashMap<>();
        for (int pid : pids()) {
            for (NamespaceType type : types) {
                long inode = inode(pid, type);
                if (inode == -1) continue;
                List<Integer> pids = pidsOf.get(inode);
                if (pids == null) {
                    pidsOf.put(inode, pids = new ArrayList<>());
                    typeOf.put(inode, type);
                }
                pids.add(pid);
            }
        }
        List<Long> inodes = new ArrayList<>(pidsOf.keySet());
        inodes.sort(null);
        UserNames users = new UserNames(passwd);
        List<Namespace> namespaces = new ArrayList<>(inodes.size());
        for (long inode : inodes) namespaces.add(describe(inode, typeOf.get(inode), pidsOf.get(inode), users, parents));
        return namespaces;
    }

    /** The processes in namespace inode of type, ascending: "who uses this namespace". */
    public List<Integer> pidsIn(NamespaceType type, long inode) {
        List<Integer> pids = new ArrayList<>();
        for (int pid : pids()) if (inode(pid, type) == inode) pids.add(pid);
        return pids;
    }

    /** pids: ascending, as the pass over /proc added them. */
    private Namespace describe(long inode, NamespaceType type, List<Integer> pids, UserNames users, boolean parents) {
        Path dir = proc.resolve(Integer.toString(pids.getFirst()));
        long parent = parents ? 0 : -1;
        if (parents && Namespace.nests(type))
            parent = NamespaceFiles.parentInode(dir.resolve("ns").resolve(type.procName()));
        return new Namespace(inode, type, pids, user(dir, users), command(dir), parent);
    }

    /** The processes' pids, ascending: the numeric entries of /proc (threads are not listed there). */
    private int[] pids() {
        String[] names = new File(proc.toString()).list();
        if (names == null) throw new IllegalStateException("cannot list " + proc);
        int[] pids = new int[names.length];
        int n = 0;
        for (String name : names) {
            if (!name.isEmpty() && name.charAt(0) >= '0' && name.charAt(0) <= '9') pids[n++] = Integer.parseInt(name);
        }
        int[] sorted = Arrays.copyOf(pids, n);
        Arrays.sort(sorted);
        return sorted;
    }

    /** The inode in the link /proc/PID/ns/TYPE, or -1 when the process is gone, a zombie, or not ours to see. */
    private long inode(int pid, NamespaceType type) {
        String link;
        try {
            link = Files.readSymbolicLink(proc.resolve(Integer.toString(pid)).resolve("ns").resolve(type.procName())).toString();
        } catch (IOException e) {
            return -1;
        }
        return inodeOf(link);
    }

    /** "net:[4026531840]" to 4026531840. */
    static long inodeOf(String link) {
        int open = link.indexOf('[');
        int close = link.indexOf(']', open + 1);
        if (open < 0 || close < 0) throw new IllegalArgumentException("not a namespace link: " + link);
        return Long.parseLong(link, open + 1, close, 10);
    }

    /** lsns's USER: the owner of /proc/PID, which is the process's effective uid (root when it is not dumpable). */
    private static String user(Path dir, UserNames users) {
        try {
            return users.of(((Number) Files.getAttribute(dir, "unix:uid")).longValue());
        } catch (IOException e) {
            return ""; // gone since the pass
        }
    }

    /** lsns's COMMAND: the arguments joined by spaces, or the name of a kernel thread, which has none. */
    private static String command(Path dir) {
        try {
            String cmdline = FileText.read(dir.resolve("cmdline"));
            if (cmdline.endsWith("\0")) cmdline = cmdline.substring(0, cmdline.length() - 1);
            if (!cmdline.isEmpty()) return cmdline.replace('\0', ' ');
            String comm = FileText.read(dir.resolve("comm"));
            return comm.endsWith("\n") ? comm.substring(0, comm.length() - 1) : comm;
        } catch (IOException e) {
            return "";
        }
    }
}
