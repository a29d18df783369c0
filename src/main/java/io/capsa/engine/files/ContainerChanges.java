package io.capsa.engine.files;

import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.RunState;
import io.capsa.image.archive.ImageCommitter;
import io.capsa.image.archive.LoadedImage;
import io.capsa.image.archive.TarWriter;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;
import io.capsa.linux.Fds;
import io.capsa.linux.RootedFiles;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container changed in its image's files, read from its overlay's upper directory: docker diff's
 * list, and docker commit's new image. A container whose root is a copy (a data root that cannot hold an
 * overlay) has no such record of its changes, and is refused.
 */
public final class ContainerChanges {
    public enum Kind { C, A, D }

    /** One changed path, as docker diff prints it: "A /tmp/new". */
    public record Change(Kind kind, String path) {}

    /** docker commit's -c, -m, -a and -p; reference may be null. */
    public record CommitOptions(String reference, List<String> changes, String message, String author, boolean pause) {}

    /** The config keys an image keeps of a container's config. */
    private static final Set<String> IMAGE_KEYS = Set.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes",
            "WorkingDir", "Labels", "StopSignal");

    /**
     * The mount targets the runtime makes in the upper directory for the files the engine mounts: Docker keeps
     * them in an init layer of its own, so that neither diff nor commit sees them.
     */
    private static final Set<String> MOUNT_TARGETS = Set.of("etc/hostname", "etc/hosts", "etc/resolv.conf");

    private final Engine engine;

    public ContainerChanges(Engine engine) {
        this.engine = engine;
    }

    /** docker diff: every path added (A), changed (C) or deleted (D), by path. */
    public List<Change> diff(ContainerRecord record) {
        Path upper = upper(record);
        List<Change> changes = new ArrayList<>();
        if (upper == null) return changes;
        List<Path> lowers = new ArrayList<>();
        for (Layer layer : engine.images().layers(record.imageManifest())) lowers.add(layer.dir());
        try {
            Files.walkFileTree(upper, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(upper)) visitFile(dir, attrs);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    String path = upper.relativize(file).toString();
                    if (MOUNT_TARGETS.contains(path)) return FileVisitResult.CONTINUE;
                    Kind kind = whiteout(file, attrs) ? Kind.D : inLowers(lowers, path) ? Kind.C : Kind.A;
                    changes.add(new Change(kind, "/" + path));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        changes.sort((a, b) -> a.path().compareTo(b.path()));
        changes.removeIf(c -> c.kind() == Kind.C && onlyAboveMountTargets(c.path(), changes));
        return changes;
    }

    /** A directory changed only by the mount targets made in it (/etc for /etc/hosts): not the container's change. */
    private static boolean onlyAboveMountTargets(String dir, List<Change> changes) {
        boolean above = false;
        for (String target : MOUNT_TARGETS) above |= ("/" + target).startsWith(dir + "/");
        if (!above) return false;
        for (Change c : changes) if (c.path().startsWith(dir + "/")) return false;
        return true;
    }

    private static boolean whiteout(Path file, BasicFileAttributes attrs) {
        if (!attrs.isOther()) return false;
        try {
            return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS) >> 12 == FileModes.S_IFCHR >> 12
                    && (Long) Files.getAttribute(file, "unix:rdev", LinkOption.NOFOLLOW_LINKS) == 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean inLowers(List<Path> lowers, String path) {
        for (Path lower : lowers) if (Files.exists(lower.resolve(path), LinkOption.NOFOLLOW_LINKS)) return true;
        return false;
    }

    /** docker commit: a new image of the container's changes on its image; pause stops the container's processes meanwhile. */
    public LoadedImage commit(ContainerRecord record, CommitOptions options) {
        Path upper = upper(record);
        boolean paused = options.pause() && engine.state(record).status() == RunState.Status.RUNNING;
        if (paused) engine.pause(record, true);
        ImageStore images = engine.images();
        try {
            Path layer = Files.createTempFile(images.root().tmp(), "commit-", ".tar");
            try {
                try (OutputStream out = Files.newOutputStream(layer)) {
                    TarWriter tar = new TarWriter(out);
                    if (upper != null) {
                        int fd = RootedFiles.open(upper, true);
                        try {
                            new TreeArchiver(tar, MOUNT_TARGETS).write(fd, ".");
                        } finally {
                            Fds.close(fd);
                        }
                    }
                    tar.finish();
                }
                Map<String, Object> config = new LinkedHashMap<>();
                for (Map.Entry<String, Object> e : record.config().toJson().entrySet())
                    if (IMAGE_KEYS.contains(e.getKey()) && e.getValue() != null) config.put(e.getKey(), e.getValue());
                try (InputStream in = Files.newInputStream(layer)) {
                    return ImageCommitter.commit(images, record.imageManifest(), in, config,
                            new ImageCommitter.Commit(options.reference(), options.author(), options.message(), record.id(), options.changes()));
                }
            } finally {
                Files.deleteIfExists(layer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (paused) engine.pause(record, false);
        }
    }

    /** The container's upper directory; null when it never ran (nothing changed). */
    private Path upper(ContainerRecord record) {
        Path dir = engine.store().dir(record.id());
        if (Files.isDirectory(dir.resolve("rootfs")))
            throw new CapsaException("container " + record.name() + " has a copied root (no overlay), whose changes are not recorded");
        Path upper = dir.resolve("upper");
        return Files.isDirectory(upper) ? upper : null;
    }
}
