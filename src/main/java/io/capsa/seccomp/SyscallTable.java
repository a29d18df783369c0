package io.capsa.seccomp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** System call numbers by name and architecture, from SyscallNumbers (made by bin/gen-syscall-table). */
public final class SyscallTable {
    private SyscallTable() {}

    /** name -> number per Arch ordinal, -1 where the architecture has no such call. */
    private static final Map<String, int[]> NUMBERS = index();

    /** Every system call name capsa knows, sorted. */
    public static List<String> names() {
        return List.of(SyscallNumbers.NAMES);
    }

    static boolean exists(String name) {
        return NUMBERS.containsKey(name);
    }

    /** The number, or -1 when the architecture has no such call. */
    static int number(String name, Arch arch) {
        int[] numbers = NUMBERS.get(name);
        return numbers == null ? -1 : numbers[arch.ordinal()];
    }

    private static Map<String, int[]> index() {
        Arch[] arches = Arch.values();
        int[] column = new int[arches.length];
        for (Arch a : arches) column[a.ordinal()] = List.of(SyscallNumbers.COLUMNS).indexOf(a.tableColumn);
        Map<String, int[]> numbers = new HashMap<>(SyscallNumbers.NAMES.length * 2);
        for (int i = 0; i < SyscallNumbers.NAMES.length; i++) {
            int[] row = SyscallNumbers.NUMBERS[i], byArch = new int[arches.length];
            for (int a = 0; a < arches.length; a++) byArch[a] = row[column[a]];
            numbers.put(SyscallNumbers.NAMES[i], byArch);
        }
        return numbers;
    }
}
