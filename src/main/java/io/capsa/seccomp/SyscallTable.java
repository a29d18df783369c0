package io.capsa.seccomp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** System call numbers by name and architecture, from syscalls.csv (made by bin/gen-syscall-table). */
final class SyscallTable {
    private SyscallTable() {}

    /** name -> number per Arch ordinal, -1 where the architecture has no such call. */
    private static final Map<String, int[]> NUMBERS = load();

    static boolean exists(String name) {
        return NUMBERS.containsKey(name);
    }

    static OptionalInt number(String name, Arch arch) {
        int[] numbers = NUMBERS.get(name);
        return numbers == null || numbers[arch.ordinal()] < 0 ? OptionalInt.empty() : OptionalInt.of(numbers[arch.ordinal()]);
    }

    private static Map<String, int[]> load() {
        try (InputStream in = SyscallTable.class.getResourceAsStream("syscalls.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
            List<String> header = List.of(lines.getFirst().split(","));
            int[] column = new int[Arch.values().length];
            for (Arch a : Arch.values()) column[a.ordinal()] = header.indexOf(a.tableColumn);
            Map<String, int[]> numbers = new HashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                int[] n = new int[column.length];
                for (int i = 0; i < column.length; i++) n[i] = f[column[i]].isEmpty() ? -1 : Integer.parseInt(f[column[i]]);
                numbers.put(f[0], n);
            }
            return numbers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
