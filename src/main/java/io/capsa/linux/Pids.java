package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.capsa.linux.Libc.call;
import static io.capsa.linux.Libc.errno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** Waiting for a child process (the helper, when a JVM starts it itself). */
public final class Pids {
    private Pids() {}

    private static final class Calls {
        static final MethodHandle WAITPID = Libc.withErrno("waitpid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** Waits for a child; returns its exit code, or 128 + signal as a shell reports it. */
    public static int waitFor(int pid) {
        return call((arena, state) -> {
            MemorySegment status = arena.allocate(JAVA_INT);
            while ((int) Calls.WAITPID.invokeExact(state, pid, status, 0) < 0) {
                if (errno(state) != Errno.EINTR) throw new ErrnoException("waitpid " + pid, errno(state));
            }
            int s = status.get(JAVA_INT, 0);
            int signal = s & 0x7f;
            return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
        });
    }
}
