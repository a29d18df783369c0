package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import static io.capsa.linux.Libc.call;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Questions to a namespace file (/proc/PID/ns/TYPE) through the nsfs ioctls, as lsns asks them. */
public final class NamespaceFiles {
    private NamespaceFiles() {}

    private static final class Calls {
        // ioctl is variadic; NS_GET_PARENT passes nothing after the request, so the fixed form is the same call.
        static final MethodHandle IOCTL = Libc.withErrno("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }

    private static final long NS_GET_PARENT = 0xb702; // _IO(0xb7, 0x2), linux/nsfs.h

    /**
     * The inode of the parent of a pid or user namespace, or 0 as lsns shows it when there is none to
     * see: the initial namespace, a parent outside our own (EPERM), or a process that has gone.
     */
    public static long parentInode(Path nsFile) {
        int fd;
        try {
            fd = Libc.open(nsFile.toString(), Libc.O_CLOEXEC); // O_RDONLY is 0
        } catch (ErrnoException e) {
            return 0;
        }
        try {
            int parent = call((arena, state) -> (int) Calls.IOCTL.invokeExact(state, fd, NS_GET_PARENT));
            if (parent < 0) return 0;
            try {
                long inode = Proc.namespaceInode(Path.of("/proc/self/fd/" + parent));
                return inode == -1 ? 0 : inode;
            } finally {
                Fds.close(parent);
            }
        } finally {
            Fds.close(fd);
        }
    }
}
