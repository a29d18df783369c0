package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A container's cgroup files on the host, found through /proc/PID/cgroup as a user would find them. */
final class ContainerCgroup {
    static final boolean V2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));

    private ContainerCgroup() {}

    /** The directory of pid's cgroup in the controller's hierarchy (the unified one on cgroup v2). */
    static Path of(long pid, String controller) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                String[] f = line.split(":", 3);
                if (V2 && f[0].equals("0")) return Path.of("/sys/fs/cgroup" + f[2]);
                if (!V2 && ("," + f[1] + ",").contains("," + controller + ","))
                    return Path.of("/sys/fs/cgroup/" + controller + f[2]);
            }
            throw new AssertionError("pid " + pid + " has no " + controller + " cgroup");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One of pid's cgroup files: v1File on cgroup v1, v2File on v2. */
    static String read(long pid, String controller, String v1File, String v2File) {
        try {
            return Files.readString(of(pid, controller).resolve(V2 ? v2File : v1File)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
