package io.capsa.image.rootfs;

import io.capsa.image.ImageException;
import io.capsa.image.store.DataRoot;
import io.capsa.image.store.FileTrees;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.FileCalls;
import io.capsa.linux.FileText;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether a data root's file system can hold overlay upper directories (and the whiteouts of unpacked
 * layers), found by trying: a small overlay mounted and unmounted in a scratch directory. Kernels and file
 * systems differ too much to tell from statfs (overlay on overlay, some FUSE and network file systems).
 * The answer is kept per data root for the life of the JVM, and a yes in the data root until the next boot
 * (the file overlay-probed holds the boot's id): each mount and umount here is a native call, whose first
 * one costs a CLI call ~35 ms.
 */
final class OverlayProbe {
    private OverlayProbe() {}

    private static final ConcurrentHashMap<Path, Optional<String>> RESULTS = new ConcurrentHashMap<>();
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");

    /** Empty when overlay works there, else why not (the mount's error). */
    static Optional<String> failure(DataRoot root) {
        return RESULTS.computeIfAbsent(root.dir(), dir -> {
            Path probed = dir.resolve("overlay-probed");
            try {
                String boot = FileText.read(BOOT_ID);
                if (Files.exists(probed) && FileText.read(probed).equals(boot)) return Optional.empty();
                Optional<String> failure = probe(root.tmp());
                if (failure.isEmpty()) FileText.write(probed, boot);
                return failure;
            } catch (IOException e) {
                throw new ImageException("cannot probe overlay support under " + dir + ": " + e.getMessage(), e);
            }
        });
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
