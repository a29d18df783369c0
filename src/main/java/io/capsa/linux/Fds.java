package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.capsa.linux.Libc.call;
import static io.capsa.linux.Libc.check;
import static io.capsa.linux.Libc.errno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** Raw file descriptors: pipes to and from the helper, which java.io cannot hand to a child. */
public final class Fds {
    private Fds() {}

    private static final class Calls {
        static final MethodHandle PIPE2 = Libc.withErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle WRITE = Libc.withErrno("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle FCNTL = Libc.function("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
                Libc.ERRNO, Linker.Option.firstVariadicArg(2));
    }

    /** A close-on-exec pipe: {read end, write end}. */
    public static int[] pipe() {
        return call((arena, state) -> {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check((int) Calls.PIPE2.invokeExact(state, fds, Libc.O_CLOEXEC), state, "pipe2");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        });
    }

    private static final int F_SETFL = 4, O_NONBLOCK = 04000;

    /** Writes never block on fd from now on: {@link #writeSome} returns 0 instead. */
    public static void setNonBlocking(int fd) {
        call((arena, state) -> check((int) Calls.FCNTL.invokeExact(state, fd, F_SETFL, O_NONBLOCK), state, "fcntl"));
    }

    /** Writes what it can of bytes from offset on; returns how many, 0 when a non-blocking fd is full. */
    public static int writeSome(int fd, byte[] bytes, int offset) {
        return call((arena, state) -> {
            MemorySegment buf = arena.allocateFrom(JAVA_BYTE, bytes).asSlice(offset);
            long n;
            while ((n = (long) Calls.WRITE.invokeExact(state, fd, buf, buf.byteSize())) < 0 && errno(state) == Errno.EINTR) {}
            if (n < 0 && errno(state) == Errno.EAGAIN) return 0;
            if (n < 0) throw new ErrnoException("write", errno(state));
            return (int) n;
        });
    }

    // Apart from the others: a caller that only closes (NamespaceFiles) should not pay ~5 ms a handle for pipes and writes.
    private static final class Close {
        static final MethodHandle CLOSE = Libc.function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    public static void close(int fd) {
        if (fd < 0) return;
        try {
            int ignored = (int) Close.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
