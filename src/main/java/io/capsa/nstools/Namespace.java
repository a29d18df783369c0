package io.capsa.nstools;

import io.capsa.spec.NamespaceType;

import java.util.List;

/**
 * One namespace in use, as a row of lsns: its inode, type, the processes in it (ascending), and the user
 * and command of the lowest of them. parent is the inode of a pid or user namespace's parent, 0 when there
 * is none to see or the type has no parents (lsns's PNS column), -1 when the scan did not ask.
 */
public record Namespace(long inode, NamespaceType type, List<Integer> pids, String user, String command, long parent) {
    public Namespace {
        pids = List.copyOf(pids);
    }

    /** lsns's NPROCS. */
    public int nprocs() {
        return pids.size();
    }

    /** lsns's PID: the lowest pid in the namespace. */
    public int pid() {
        return pids.getFirst();
    }

    /** Whether the type has parents: only pid and user namespaces nest. */
    public boolean nests() {
        return nests(type);
    }

    static boolean nests(NamespaceType type) {
        return type == NamespaceType.PID || type == NamespaceType.USER;
    }
}
