package io.capsa.linux;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static io.capsa.linux.Libc.call;
import static io.capsa.linux.Libc.check;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** bpf(2): loading a cgroup device program and attaching it to a cgroup directory. */
public final class Bpf {
    private Bpf() {}

    private static final long SYS_BPF = 321; // x86_64
    private static final int PROG_LOAD = 5, PROG_ATTACH = 8, PROG_TYPE_CGROUP_DEVICE = 15, ATTACH_CGROUP_DEVICE = 6,
            F_ALLOW_MULTI = 2, O_DIRECTORY = 0200000, ATTR_SIZE = 128, LOG_SIZE = 1 << 16;

    private static final class Calls {
        static final MethodHandle SYSCALL = Libc.function("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1));
    }

    /** Loads program (struct bpf_insn[]) as a device filter and attaches it to cgroupDir; the kernel keeps it there. */
    public static void attachDeviceFilter(byte[] program, String cgroupDir) {
        int cgroup = Libc.open(cgroupDir, O_DIRECTORY | Libc.O_CLOEXEC);
        try {
            int prog = load(program);
            try {
                call((arena, state) -> {
                    MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
                    attr.set(JAVA_INT, 0, cgroup);
                    attr.set(JAVA_INT, 4, prog);
                    attr.set(JAVA_INT, 8, ATTACH_CGROUP_DEVICE);
                    attr.set(JAVA_INT, 12, F_ALLOW_MULTI);
                    return check((int) (long) Calls.SYSCALL.invokeExact(state, SYS_BPF, PROG_ATTACH, attr, ATTR_SIZE), state,
                            "attach the device filter to " + cgroupDir);
                });
            } finally {
                Fds.close(prog);
            }
        } finally {
            Fds.close(cgroup);
        }
    }

    private static int load(byte[] program) {
        return call((arena, state) -> {
            MemorySegment insns = arena.allocateFrom(JAVA_BYTE, program);
            MemorySegment license = arena.allocateFrom("Apache-2.0");
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment attr = arena.allocate(ATTR_SIZE, 8);
            attr.set(JAVA_INT, 0, PROG_TYPE_CGROUP_DEVICE);
            attr.set(JAVA_INT, 4, program.length / 8);
            attr.set(JAVA_LONG, 8, insns.address());
            attr.set(JAVA_LONG, 16, license.address());
            attr.set(JAVA_INT, 24, 1);
            attr.set(JAVA_INT, 28, LOG_SIZE);
            attr.set(JAVA_LONG, 32, log.address());
            int fd = (int) (long) Calls.SYSCALL.invokeExact(state, SYS_BPF, PROG_LOAD, attr, ATTR_SIZE);
            if (fd < 0) {
                String verifier = log.getString(0, StandardCharsets.UTF_8).strip();
                throw new ErrnoException("load the device filter" + (verifier.isEmpty() ? "" : " (" + verifier.lines().reduce((a, b) -> b).orElse("") + ")"),
                        Libc.errno(state));
            }
            return fd;
        });
    }
}
