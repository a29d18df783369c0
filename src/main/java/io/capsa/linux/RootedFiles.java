package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Files reached through descriptors, for copying into and out of a container's root: a path in the
 * container is resolved by openat2(2) with RESOLVE_IN_ROOT, so that no symlink or ".." it holds leads out
 * of the root, and everything below is reached through /proc/self/fd/N of an O_PATH descriptor, whose
 * last step is the exact inode opened, never a path walked again.
 */
public final class RootedFiles {
    private RootedFiles() {}

    private static final boolean ARM = System.getProperty("os.arch").equals("aarch64");
    public static final int O_PATH = 010000000;
    public static final int O_DIRECTORY = ARM ? 040000 : 0200000;
    public static final int O_NOFOLLOW = ARM ? 0100000 : 0400000;
    private static final long SYS_OPENAT2 = 437; // the same on every architecture since Linux 5.6
    private static final long RESOLVE_NO_MAGICLINKS = 0x02, RESOLVE_IN_ROOT = 0x10;

    private static final class Openat2 {
        static final MethodHandle H = Libc.function("syscall", FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT,
                ADDRESS, ADDRESS, JAVA_LONG), Libc.ERRNO, Linker.Option.firstVariadicArg(1));
    }

    private static final class Readlinkat {
        static final MethodHandle H = Libc.withErrno("readlinkat",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    }

    /**
     * An O_PATH descriptor (close-on-exec) of path resolved inside the directory rootFd as if it were "/";
     * with follow, a symlink at the last step is followed too (inside the root as well).
     */
    public static int openInRoot(int rootFd, String path, boolean follow) {
        int flags = O_PATH | Libc.O_CLOEXEC | (follow ? 0 : O_NOFOLLOW);
        return Libc.call((arena, state) -> {
            MemorySegment how = arena.allocate(JAVA_LONG, 3);
            how.setAtIndex(JAVA_LONG, 0, flags);
            how.setAtIndex(JAVA_LONG, 2, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
            long fd = (long) Openat2.H.invokeExact(state, SYS_OPENAT2, rootFd, arena.allocateFrom(path), how, how.byteSize());
            if (fd == -1) throw new ErrnoException("open " + path, Libc.errno(state));
            return (int) fd;
        });
    }

    /** An O_PATH descriptor of path; with follow false, of a symlink at its last step itself. */
    public static int open(Path path, boolean follow) {
        return Libc.open(path.toString(), O_PATH | Libc.O_CLOEXEC | (follow ? 0 : O_NOFOLLOW));
    }

    /** The path that reaches exactly what fd was opened on. */
    public static Path of(int fd) {
        return Path.of("/proc/self/fd/" + fd);
    }

    /** The target of the symlink an O_PATH, O_NOFOLLOW descriptor holds, byte for byte. */
    public static String linkTarget(int fd) {
        return Libc.call((arena, state) -> {
            MemorySegment buf = arena.allocate(4096);
            long n = (long) Readlinkat.H.invokeExact(state, fd, arena.allocateFrom(""), buf, buf.byteSize());
            if (n == -1) throw new ErrnoException("readlink", Libc.errno(state));
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        });
    }
}
