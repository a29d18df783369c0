package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static io.capsa.linux.Libc.call;
import static io.capsa.linux.Libc.check;
import static io.capsa.linux.Libc.errno;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Waiting for and signalling processes; pidfds, so that a reused pid is never signalled by mistake. */
public final class Pids {
    private Pids() {}

    private static final class Calls {
        static final MethodHandle WAITPID = Libc.withErrno("waitpid",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle PIDFD_OPEN = Libc.withErrno("pidfd_open",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle PIDFD_SEND_SIGNAL = Libc.withErrno("pidfd_send_signal",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle POLL = Libc.withErrno("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
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

    /** A pidfd for pid, or -1 when no such process exists. */
    public static int open(int pid) {
        return call((arena, state) -> {
            int fd = (int) Calls.PIDFD_OPEN.invokeExact(state, pid, 0);
            if (fd < 0 && errno(state) == Errno.ESRCH) return -1;
            return check(fd, state, "pidfd_open " + pid);
        });
    }

    /** Sends signal through a pidfd; returns false when the process has already exited. */
    public static boolean signal(int pidfd, int signal) {
        return call((arena, state) -> {
            int rc = (int) Calls.PIDFD_SEND_SIGNAL.invokeExact(state, pidfd, signal, MemorySegment.NULL, 0);
            if (rc < 0 && errno(state) == Errno.ESRCH) return false;
            check(rc, state, "signal");
            return true;
        });
    }

    /** What {@link #awaitExitOrWritable} saw first. */
    public enum Event { EXITED, WRITABLE, TIMED_OUT }

    /**
     * Waits up to timeoutMillis (-1: no limit) for the process behind pidfd to exit or, unless it is -1,
     * for fd to take more bytes.
     */
    public static Event awaitExitOrWritable(int pidfd, int fd, int timeoutMillis) {
        return call((arena, state) -> {
            MemorySegment pollfds = arena.allocate(16, 4);
            pollfds.set(JAVA_INT, 0, pidfd);
            pollfds.set(JAVA_SHORT, 4, (short) 1); // POLLIN: the process has exited
            pollfds.set(JAVA_INT, 8, fd); // poll skips a negative fd
            pollfds.set(JAVA_SHORT, 12, (short) 4); // POLLOUT
            int rc;
            while ((rc = (int) Calls.POLL.invokeExact(state, pollfds, 2L, timeoutMillis)) < 0) {
                if (errno(state) != Errno.EINTR) throw new ErrnoException("poll", errno(state));
            }
            if (rc == 0) return Event.TIMED_OUT;
            return pollfds.get(JAVA_SHORT, 6) != 0 ? Event.EXITED : Event.WRITABLE;
        });
    }
}
