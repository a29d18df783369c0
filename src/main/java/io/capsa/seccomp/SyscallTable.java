package io.capsa.seccomp;

import java.util.Arrays;
import java.util.List;

/**
 * System call numbers by name and architecture, from SyscallNumbers (made by bin/gen-syscall-table). A
 * call is known by its id, its place in the sorted names: a binary search, and no index to build at start.
 */
public final class SyscallTable {
    private SyscallTable() {}

    /** Every system call name capsa knows, sorted: those of every Linux architecture. */
    public static List<String> names() {
        return List.of(SyscallNumbers.NAMES);
    }

    /** The call's id, or -1 for a name no Linux architecture has. */
    static int id(String name) {
        int id = Arrays.binarySearch(SyscallNumbers.NAMES, name);
        return id < 0 ? -1 : id;
    }

    /** The architecture's numbers by id, -1 where it has no such call. */
    static int[] numbers(Arch arch) {
        return SyscallNumbers.numbers(arch.tableColumn);
    }

    /** The number, or -1 when the name is unknown or the architecture has no such call. */
    static int number(String name, Arch arch) {
        int id = id(name);
        return id == -1 ? -1 : numbers(arch)[id];
    }

    /**
     * How the architecture multiplexes the call, by id: the multiplexer's number << 16 | the call it takes
     * as first argument; 0 when it does not (i386's socketcall and ipc are the only ones capsa knows).
     */
    static int multiplexed(int id, Arch arch) {
        return arch == Arch.X86 ? SyscallNumbers.X86Multiplexed.CALLS[id] : 0;
    }
}
