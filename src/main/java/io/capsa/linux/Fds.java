package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.capsa.linux.Libc.call;
import static io.capsa.linux.Libc.check;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Raw file descriptors: pipes to and from the helper, which java.io cannot hand to a child. */
public final class Fds {
    private Fds() {}

    private static final class Calls {
        static final MethodHandle PIPE2 = Libc.withErrno("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** A close-on-exec pipe: {read end, write end}. */
    public static int[] pipe() {
        return call((arena, state) -> {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            check((int) Calls.PIPE2.invokeExact(state, fds, Libc.O_CLOEXEC), state, "pipe2");
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        });
    }

    // Apart from PIPE2: a caller that only closes (NamespaceFiles) should not pay ~5 ms a handle for pipes.
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
