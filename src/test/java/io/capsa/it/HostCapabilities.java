package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the test process may hand to a container. */
final class HostCapabilities {
    private HostCapabilities() {}

    /** Whether the bounding set holds every capability the kernel knows. */
    static boolean boundingSetIsFull() {
        try {
            int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
            String bounding = Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
            long all = last == 63 ? -1L : (1L << (last + 1)) - 1;
            return Long.parseUnsignedLong(bounding, 16) == all;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
