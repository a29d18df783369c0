package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The file calls that java.nio lacks, for unpacking image layers: device nodes, modes with setuid/setgid/
 * sticky, owners, xattrs outside the user namespace, times of symlinks and symlink targets byte for byte,
 * none of them following a symlink at the path's last component; and mount/umount2 for container root
 * file systems.
 */
public final class FileCalls {
    private FileCalls() {}

    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int ENOENT = 2, EINVAL = 22, ENODATA = 61, ENOTSUP = 95;
    public static final int MNT_DETACH = 2;

    // One holder class per function: linking a downcall costs ~10-15 ms in a cold JVM, and a caller that
    // mounts a root should not pay for the xattr calls it never makes.
    private static final class Mknodat {
        static final MethodHandle H = Libc.withErrno("mknodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    }

    private static final class Fchmodat {
        static final MethodHandle H = Libc.withErrno("fchmodat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    private static final class Fchownat {
        static final MethodHandle H = Libc.withErrno("fchownat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    private static final class Lsetxattr {
        static final MethodHandle H = Libc.withErrno("lsetxattr",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    private static final class Lgetxattr {
        static final MethodHandle H = Libc.withErrno("lgetxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Llistxattr {
        static final MethodHandle H = Libc.withErrno("llistxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Getxattr {
        static final MethodHandle H = Libc.withErrno("getxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Listxattr {
        static final MethodHandle H = Libc.withErrno("listxattr",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    }

    private static final class Utimensat {
        static final MethodHandle H = Libc.withErrno("utimensat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }

    private static final class Symlinkat {
        static final MethodHandle H = Libc.withErrno("symlinkat",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    }

    private static final class Mount {
        static final MethodHandle H = Libc.withErrno("mount",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    }

    private static final class Syncfs {
        static final MethodHandle H = Libc.withErrno("syncfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    private static final class Umount2 {
        static final MethodHandle H = Libc.withErrno("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /**
     * syncfs(2) of the file system that holds path: whatever was written to it (a whole unpacked layer: its
     * files' data, their inodes, the directories) reaches the disk in one call rather than an fsync a file.
     */
    public static void syncFileSystem(String path) {
        int fd = Libc.open(path, Libc.O_CLOEXEC);
        try {
            Libc.call((arena, state) -> Libc.check((int) Syncfs.H.invokeExact(state, fd), state, "syncfs " + path));
        } finally {
            Fds.close(fd);
        }
    }

    /** mknod(2); mode holds the file type (S_IFCHR, S_IFBLK, S_IFIFO) and the permission bits. */
    public static void mknod(String path, int mode, int major, int minor) {
        long dev = ((long) (major & 0xfffff000) << 32) | ((major & 0xfffL) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xffL); // glibc's makedev
        Libc.call((arena, state) -> Libc.check((int) Mknodat.H.invokeExact(state, AT_FDCWD,
                arena.allocateFrom(path), mode, dev), state, "mknod " + path));
    }

    /** symlink(2) with the target exactly as given (java.nio would drop a trailing or doubled slash). */
    public static void symlink(String target, String path) {
        Libc.call((arena, state) -> Libc.check((int) Symlinkat.H.invokeExact(state, arena.allocateFrom(target),
                AT_FDCWD, arena.allocateFrom(path)), state, "symlink " + path + " -> " + target));
    }

    /** chmod(2) with all twelve bits; never called on a symlink (Linux has no lchmod). */
    public static void chmod(String path, int mode) {
        Libc.call((arena, state) -> Libc.check((int) Fchmodat.H.invokeExact(state, AT_FDCWD,
                arena.allocateFrom(path), mode, 0), state, "chmod " + path));
    }

    /** lchown(2). */
    public static void lchown(String path, long uid, long gid) {
        Libc.call((arena, state) -> Libc.check((int) Fchownat.H.invokeExact(state, AT_FDCWD,
                arena.allocateFrom(path), (int) uid, (int) gid, AT_SYMLINK_NOFOLLOW), state, "chown " + path));
    }

    /** lsetxattr(2): the value byte for byte. */
    public static void lsetxattr(String path, String name, byte[] value) {
        Libc.call((arena, state) -> Libc.check((int) Lsetxattr.H.invokeExact(state, arena.allocateFrom(path),
                arena.allocateFrom(name), arena.allocateFrom(JAVA_BYTE, value), (long) value.length, 0),
                state, "setxattr " + name + " on " + path));
    }

    /** lgetxattr(2); null when the file has no such attribute. */
    public static byte[] lgetxattr(String path, String name) {
        return getxattr(Lgetxattr.H, path, name);
    }

    /**
     * getxattr(2), which follows a symlink: for /proc/self/fd/N, whose last step is exactly the inode N was
     * opened on (a symlink too).
     */
    public static byte[] getxattr(String path, String name) {
        return getxattr(Getxattr.H, path, name);
    }

    private static byte[] getxattr(MethodHandle call, String path, String name) {
        return Libc.call((arena, state) -> {
            MemorySegment buf = arena.allocate(65536);
            long n = (long) call.invokeExact(state, arena.allocateFrom(path), arena.allocateFrom(name),
                    buf, buf.byteSize());
            if (n == -1 && Libc.errno(state) == ENODATA) return null;
            if (n == -1) throw new ErrnoException("getxattr " + name + " on " + path, Libc.errno(state));
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        });
    }

    /** llistxattr(2): the names, each ended by a NUL. */
    public static String[] llistxattr(String path) {
        return listxattr(Llistxattr.H, path);
    }

    /** listxattr(2), which follows a symlink (see {@link #getxattr}). */
    public static String[] listxattr(String path) {
        return listxattr(Listxattr.H, path);
    }

    private static String[] listxattr(MethodHandle call, String path) {
        return Libc.call((arena, state) -> {
            MemorySegment buf = arena.allocate(65536);
            long n = (long) call.invokeExact(state, arena.allocateFrom(path), buf, buf.byteSize());
            if (n == -1 && Libc.errno(state) == ENOTSUP) return new String[0];
            if (n == -1) throw new ErrnoException("listxattr " + path, Libc.errno(state));
            if (n == 0) return new String[0];
            return new String(buf.asSlice(0, n - 1).toArray(JAVA_BYTE), StandardCharsets.UTF_8)
                    .split("\0");
        });
    }

    /** utimensat(2) without following a symlink: access and modification time both set to the given one. */
    public static void lutimes(String path, long seconds, int nanos) {
        Libc.call((arena, state) -> {
            MemorySegment times = arena.allocate(JAVA_LONG, 4);
            for (int i = 0; i < 2; i++) {
                times.setAtIndex(JAVA_LONG, 2 * i, seconds);
                times.setAtIndex(JAVA_LONG, 2 * i + 1, nanos);
            }
            return Libc.check((int) Utimensat.H.invokeExact(state, AT_FDCWD, arena.allocateFrom(path), times,
                    AT_SYMLINK_NOFOLLOW), state, "utimensat " + path);
        });
    }

    /** mount(2); type and data may be null. */
    public static void mount(String source, String target, String type, long flags, String data) {
        Libc.call((arena, state) -> {
            MemorySegment fsType = type == null ? MemorySegment.NULL : arena.allocateFrom(type);
            MemorySegment options = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            return Libc.check((int) Mount.H.invokeExact(state, arena.allocateFrom(source), arena.allocateFrom(target),
                    fsType, flags, options), state, "mount " + (type == null ? source : type) + " on " + target);
        });
    }

    /** umount2(2). */
    public static void umount(String target, int flags) {
        Libc.call((arena, state) -> Libc.check((int) Umount2.H.invokeExact(state, arena.allocateFrom(target),
                flags), state, "umount " + target));
    }
}
