package io.capsa.engine.files;

import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.RunState;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** The disk space containers take with their own files (Docker's SizeRw), and container prune, which gives it back. */
public final class ContainerSpace {
    /** The ids of the removed containers, and the bytes their files took. */
    public record PruneResult(List<String> deleted, long reclaimed) {}

    private final Engine engine;

    public ContainerSpace(Engine engine) {
        this.engine = engine;
    }

    /** The bytes of the files the container wrote: its upper directory, or its copied root. */
    public long size(ContainerRecord record) {
        Path dir = engine.store().dir(record.id());
        return bytes(dir.resolve("upper")) + bytes(dir.resolve("rootfs"));
    }

    /** docker container prune: removes every container that is not running (created or exited). */
    public PruneResult prune() {
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Engine.Container c : engine.list(true)) {
            if (c.state().isUp() || c.state().status() == RunState.Status.RESTARTING) continue;
            long size = size(c.record());
            try {
                engine.remove(c.record(), false);
            } catch (CapsaException startedMeanwhile) {
                continue; // as Docker's prune, it is left to the next one
            }
            deleted.add(c.record().id());
            reclaimed += size;
        }
        return new PruneResult(deleted, reclaimed);
    }

    /** The bytes of the regular files in a tree (0 when it is not there). */
    public static long bytes(Path tree) {
        if (!Files.isDirectory(tree)) return 0;
        long[] sum = {0};
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) sum[0] += attrs.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE; // removed meanwhile by the container
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sum[0];
    }
}
