package io.capsa.image.rootfs;

import io.capsa.image.ImageException;
import io.capsa.image.store.FileTrees;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a directory's file system can hold overlay upper directories (and the whiteouts of unpacked
 * layers), found by trying: a small overlay mounted and unmounted in a scratch directory. Kernels and file
 * systems differ too much to tell from statfs (overlay on overlay, some FUSE and network file systems);
 * the answer is kept per directory for the life of the JVM.
 */
final class OverlayProbe {
    private OverlayProbe() {}

    private static final ConcurrentHashMap<Path, Optional<String>> RESULTS = new ConcurrentHashMap<>();

    /** Empty when overlay works there, else why not (the mount's error). */
    static Optional<String> failure(Path scratchParent) {
        return RESULTS.computeIfAbsent(scratchParent, OverlayProbe::probe);
    }

    private static Optional<String> probe(Path scratchParent) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory(scratchParent, "overlay-probe-");
            Path lower = Files.createDirectory(dir.resolve("lower")), upper = Files.createDirectory(dir.resolve("upper"));
            Path work = Files.createDirectory(dir.resolve("work")), merged = Files.createDirectory(dir.resolve("merged"));
            try {
                FileCalls.mount("overlay", merged.toString(), "overlay", 0,
                        "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
            } catch (ErrnoException e) {
                return Optional.of("overlay upper directories are not supported under " + scratchParent + ": " + e.getMessage());
            }
            FileCalls.umount(merged.toString(), 0);
            return Optional.empty();
        } catch (IOException e) {
            throw new ImageException("cannot probe overlay support under " + scratchParent + ": " + e.getMessage(), e);
        } finally {
            try {
                if (dir != null) FileTrees.delete(dir);
            } catch (IOException ignored) {
                // a scratch directory under tmp/, which the garbage collector empties
            }
        }
    }
}
