package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Local volumes as Docker keeps them: VOLUMES/NAME/_data. An anonymous volume's name is derived from the
 * container and its destination, so that a restart (which builds the spec again) finds the same one. A new
 * (empty) volume starts with a copy of what the image has at its destination, unless nocopy.
 */
public final class Volumes {
    private Volumes() {}

    /** The name of the anonymous volume at destination of container id: 64 hex digits, as Docker's. */
    public static String anonymousName(String containerId, String destination) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest((containerId + ":" + destination).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the anonymous volumes the container uses (the -v DST, --mount without a source, the image's), which `rm -v` removes. */
    public static List<String> anonymous(String containerId, ContainerConfig c, HostConfig h) {
        List<HostConfig.MountSpec> specs = new ArrayList<>();
        for (String b : h.binds()) specs.add(MountFlags.volume(b));
        specs.addAll(h.mounts());
        specs.addAll(MountTable.imageVolumes(c, h));
        List<String> names = new ArrayList<>();
        for (HostConfig.MountSpec s : specs)
            if (s.type().equals("volume") && s.source().isEmpty()) names.add(anonymousName(containerId, s.target()));
        return names;
    }

    /** The volume's data directory, made (and filled from the image at destination) when it is new. */
    static Path prepare(Path volumesDir, String name, Path rootfs, String destination, boolean noCopy) {
        Path data = volumesDir.resolve(name).resolve("_data");
        try {
            if (Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
                try (var entries = Files.list(data)) {
                    if (entries.findAny().isPresent() || noCopy) return data;
                }
            } else {
                Files.createDirectories(data);
            }
            if (!noCopy) copyUp(RootPath.resolve(rootfs, destination), data);
            return data;
        } catch (IOException e) {
            throw new CapsaException("volume " + name + ": " + e.getMessage());
        }
    }

    /** What the image has at the volume's destination, links copied as links, owners and modes kept. */
    private static void copyUp(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) return;
        keepOwnerAndMode(from, to);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from)) {
                    Path target = to.resolve(from.relativize(dir).toString());
                    Files.createDirectory(target);
                    keepOwnerAndMode(dir, target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    Path target = to.resolve(from.relativize(file).toString());
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile()) keepOwnerAndMode(file, target);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void keepOwnerAndMode(Path from, Path to) throws IOException {
        PosixFileAttributes a = Files.readAttributes(from, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributeView view = Files.getFileAttributeView(to, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        view.setOwner(a.owner());
        view.setGroup(a.group());
        view.setPermissions(a.permissions());
    }
}
