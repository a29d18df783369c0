package io.capsa.plan;

/** The helper's steps; the codes are the ordinals plus one, in step with enum op in native/capsa-helper.c. */
public enum Op {
    PRESERVE_FDS, SETNS, UNSHARE, WRITE_FILE, OPEN_FIFO, MONITOR, CLONE, SYNC, CHILD_PROC_WRITE,
    SETHOSTNAME, SETDOMAINNAME, MOUNT, MOUNT_IN_ROOT, MKNOD_IN_ROOT, SYMLINK_IN_ROOT, PIVOT_ROOT, MOVE_ROOT,
    REMOUNT_RO, HOLD_ROOT, ENTER_HELD_ROOT, SETGROUPS, SETGID, SETUID, UMASK, CHDIR, ENV, CHECK_EXEC, READY,
    AWAIT_START, EXEC, JOIN_KEYRING, CONSOLE_SOCKET, CONSOLE_RELAY, CONSOLE, SECCOMP;

    public int code() {
        return ordinal() + 1;
    }
}
