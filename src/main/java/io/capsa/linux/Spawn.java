package io.capsa.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static io.capsa.linux.Libc.call;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * posix_spawn(3) from Java. ProcessBuilder can neither place a pipe on a chosen descriptor nor keep the
 * ones --preserve-fds passes on; posix_spawn can, and is safe in a multithreaded JVM. Only a JVM that runs
 * more than one container starts helpers through it: bin/capsa-runtime forks each call's helper before the JVM.
 */
public final class Spawn {
    private Spawn() {}

    private static final int POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final long OPAQUE_SIZE = 1024, SIGSET_SIZE = 128;

    private static final class Calls {
        static final MethodHandle SPAWN = Libc.function("posix_spawn",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        static final MethodHandle ACTIONS_INIT = unary("posix_spawn_file_actions_init");
        static final MethodHandle ACTIONS_DESTROY = unary("posix_spawn_file_actions_destroy");
        static final MethodHandle ADD_DUP2 = Libc.function("posix_spawn_file_actions_adddup2",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle ATTR_INIT = unary("posix_spawnattr_init");
        static final MethodHandle ATTR_DESTROY = unary("posix_spawnattr_destroy");
        static final MethodHandle SET_FLAGS = Libc.function("posix_spawnattr_setflags",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        static final MethodHandle SET_SIGMASK = binary("posix_spawnattr_setsigmask");
        static final MethodHandle SET_SIGDEFAULT = binary("posix_spawnattr_setsigdefault");
        static final MethodHandle SIGEMPTYSET = unary("sigemptyset");
        static final MethodHandle SIGFILLSET = unary("sigfillset");

        static MethodHandle unary(String name) {
            return Libc.function(name, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        }

        static MethodHandle binary(String name) {
            return Libc.function(name, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        }
    }

    /**
     * Starts program with argv and env; dup2s maps child descriptor to parent descriptor. Signal
     * dispositions and the mask are reset, since the JVM's would otherwise leak into the child.
     */
    public static int spawn(String program, List<String> argv, List<String> env, Map<Integer, Integer> dup2s) {
        return call((arena, state) -> {
            MemorySegment actions = arena.allocate(OPAQUE_SIZE, 16);
            MemorySegment attr = arena.allocate(OPAQUE_SIZE, 16);
            MemorySegment empty = arena.allocate(SIGSET_SIZE, 16);
            MemorySegment all = arena.allocate(SIGSET_SIZE, 16);
            int ignored = (int) Calls.ACTIONS_INIT.invokeExact(actions);
            ignored = (int) Calls.ATTR_INIT.invokeExact(attr);
            try {
                for (Map.Entry<Integer, Integer> e : dup2s.entrySet()) {
                    ignored = (int) Calls.ADD_DUP2.invokeExact(actions, (int) e.getValue(), (int) e.getKey());
                }
                ignored = (int) Calls.SIGEMPTYSET.invokeExact(empty);
                ignored = (int) Calls.SIGFILLSET.invokeExact(all);
                ignored = (int) Calls.SET_SIGMASK.invokeExact(attr, empty);
                ignored = (int) Calls.SET_SIGDEFAULT.invokeExact(attr, all);
                ignored = (int) Calls.SET_FLAGS.invokeExact(attr, (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK));
                MemorySegment pid = arena.allocate(JAVA_INT);
                int rc = (int) Calls.SPAWN.invokeExact(pid, arena.allocateFrom(program), actions, attr,
                        strings(arena, argv), strings(arena, env));
                if (rc != 0) throw new ErrnoException("spawn " + program, rc);
                return pid.get(JAVA_INT, 0);
            } finally {
                ignored = (int) Calls.ACTIONS_DESTROY.invokeExact(actions);
                ignored = (int) Calls.ATTR_DESTROY.invokeExact(attr);
            }
        });
    }

    private static MemorySegment strings(Arena arena, List<String> values) {
        MemorySegment array = arena.allocate(ADDRESS, values.size() + 1);
        for (int i = 0; i < values.size(); i++) array.setAtIndex(ADDRESS, i, arena.allocateFrom(values.get(i)));
        array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
        return array;
    }
}
