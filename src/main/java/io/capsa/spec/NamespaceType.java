package io.capsa.spec;

/** The eight namespace types of linux.namespaces, with their clone flag and their name under /proc/PID/ns. */
public enum NamespaceType {
    // In no order that joining needs: ContainerPlanner.joinNamespaces opens them all first and joins the user one last.
    USER("user", 0x10000000L, "user"),
    PID("pid", 0x20000000L, "pid"),
    NETWORK("network", 0x40000000L, "net"),
    IPC("ipc", 0x08000000L, "ipc"),
    UTS("uts", 0x04000000L, "uts"),
    CGROUP("cgroup", 0x02000000L, "cgroup"),
    TIME("time", 0x00000080L, "time"),
    MOUNT("mount", 0x00020000L, "mnt");

    private final String specName;
    private final long cloneFlag;
    private final String procName;

    NamespaceType(String specName, long cloneFlag, String procName) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    public String specName() {
        return specName;
    }

    public long cloneFlag() {
        return cloneFlag;
    }

    /** The file name under /proc/PID/ns. */
    public String procName() {
        return procName;
    }

    public static NamespaceType of(Node node) {
        String name = node.requiredString();
        for (NamespaceType t : values()) if (t.specName.equals(name)) return t;
        throw node.error("unknown namespace type \"" + name + "\"");
    }
}
