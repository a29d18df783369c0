package io.capsa.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The few libc calls capsa makes from Java, through FFM. Each handle is made on first use, since a
 * CLI call that never signals a process should not pay for linking kill().
 */
public final class Libc {
    private Libc() {}

    private static final Linker LINKER = Linker.nativeLinker();
    static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_HANDLE =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /** A handle whose first argument is a call-state segment that receives errno. */
    static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return function(name, descriptor, ERRNO);
    }

    static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO_HANDLE.get(state, 0L);
    }

    /** Throws an {@link ErrnoException} for a -1 result, else returns it. */
    static int check(int result, MemorySegment state, String what) {
        if (result == -1) throw new ErrnoException(what, errno(state));
        return result;
    }

    /** A native call; method handles declare Throwable, which only ever means a bug here. */
    @FunctionalInterface
    interface Call<T> {
        T call(Arena arena, MemorySegment errnoState) throws Throwable;
    }

    static <T> T call(Call<T> call) {
        try (Arena arena = Arena.ofConfined()) {
            return call.call(arena, callState(arena));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static final class Isatty {
        static final MethodHandle ISATTY = function("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    /** isatty(3): whether the descriptor is a terminal, which binary output must not go to. */
    public static boolean isatty(int fd) {
        return call((arena, state) -> (int) Isatty.ISATTY.invokeExact(fd) == 1);
    }

    private static final class Kill {
        static final MethodHandle KILL = withErrno("kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    /** kill(2); returns false when the process does not exist. */
    public static boolean kill(int pid, int signal) {
        return call((arena, state) -> {
            if ((int) Kill.KILL.invokeExact(state, pid, signal) == 0) return true;
            if (errno(state) == Errno.ESRCH) return false;
            throw new ErrnoException("kill " + pid, errno(state));
        });
    }

    private static final class Open {
        static final MethodHandle OPEN = function("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));
    }

    public static final int O_CLOEXEC = 02000000;

    /** open(2) without O_CREAT; returns a raw descriptor. */
    public static int open(String path, int flags) {
        return call((arena, state) ->
                check((int) Open.OPEN.invokeExact(state, arena.allocateFrom(path), flags, 0), state, "open " + path));
    }
}
