package io.capsa.image.rootfs;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.store.ContentStore;
import io.capsa.image.store.FileTrees;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Lease;
import io.capsa.image.store.Layer;
import io.capsa.image.store.LayerStore;
import io.capsa.image.unpack.LayerUnpacker;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.FileCalls;
import io.capsa.linux.FileText;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.HostMounts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * A container's root file system from an image's unpacked layers. Normally an overlay: lower = the layers
 * (shared, never written), upper and work = the container's own directories. Where the data root's file
 * system cannot hold an overlay's upper directory (the data root on an overlay itself, as in a container,
 * or on a file system without the needed features; found by trying) the container gets a copy: the
 * layers' blobs applied one over the other into its own directory, bind-mounted at the target. The
 * container directory remembers which it was (upper/ or rootfs/), so that a restart mounts the same again.
 */
public final class RootFilesystems {
    private RootFilesystems() {}

    public enum Mode { AUTO, OVERLAY, COPY }

    public enum Kind { OVERLAY, COPY }

    /** A mounted root; fallbackReason says why an AUTO mount is a copy (else null). */
    public record Mounted(Kind kind, Path target, Path containerDir, String fallbackReason) {
    }

    private static final long MS_BIND = 4096, MS_REC = 16384;
    /** The kernel reads mount options from one page. */
    private static final int MAX_OPTIONS = 4095;

    /**
     * Mounts the root of a container for a stored image manifest at target (a directory that exists).
     * containerDir, under the data root, holds the container's upper and work directories, or its copy.
     * AUTO unpacks the layers and mounts an overlay where the data root's file system can hold one (tried
     * once per JVM), else makes a copy; a container directory made before decides by itself. A disposable
     * root (a container that is removed when it exits) is an overlay that never syncs its upper directory
     * ("volatile", as Podman mounts those of --rm): otherwise each unmount syncs the data root's whole file
     * system, and a crash loses nothing that would have been kept.
     */
    public static Mounted mount(ImageStore store, Digest manifest, Path containerDir, Path target, Mode mode, boolean disposable) {
        // Under a lease, so that no collector removes the layers between their unpacking and the mount; once
        // mounted, the engine names the container's image to the collector (collectGarbage's inUse).
        try (Lease lease = store.lease()) {
            Files.createDirectories(containerDir);
            List<Layer> layers = store.layers(manifest);
            boolean hasUpper = Files.isDirectory(containerDir.resolve("upper"));
            if (Files.isDirectory(containerDir.resolve("rootfs")) || mode == Mode.COPY && !hasUpper)
                return copy(store.blobs(), layers, containerDir, target, null);
            String reason = mode == Mode.AUTO && !hasUpper ? OverlayProbe.failure(store.root()).orElse(null) : null;
            if (reason != null) return copy(store.blobs(), layers, containerDir, target, reason);
            store.unpack(manifest);
            mountOverlay(store.layers(), layers, containerDir, target, disposable);
            return new Mounted(Kind.OVERLAY, target, containerDir, null);
        } catch (IOException | ErrnoException | CapsaException e) {
            throw new ImageException("root file system at " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Unmounts a root (lazily if it is busy); a target that is not mounted is no error. Asked of mountinfo
     * first: the monitor of a container that ended has unmounted its root, and umount(2) is a native call.
     */
    public static void unmount(Path target) {
        if (!isMountPoint(target)) return;
        try {
            FileCalls.umount(target.toString(), 0);
        } catch (ErrnoException e) {
            if (e.errno() == FileCalls.EINVAL || e.errno() == FileCalls.ENOENT) return; // not a mount point, or gone
            FileCalls.umount(target.toString(), FileCalls.MNT_DETACH);
        }
    }

    /** Whether path is a mount point in this mount namespace (one that does not exist is none). */
    static boolean isMountPoint(Path path) {
        try {
            // mountinfo's fifth field: the real path, with octal escapes for space, tab, newline and backslash
            String escaped = path.toRealPath().toString().replace("\\", "\\134").replace(" ", "\\040")
                    .replace("\t", "\\011").replace("\n", "\\012");
            for (String line : FileText.read(Path.of("/proc/self/mountinfo")).split("\n")) {
                String[] f = line.split(" ", 6);
                if (f.length > 4 && f[4].equals(escaped)) return true;
            }
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true; // umount(2) tells
        }
    }

    /** Unmounts and removes the container's directories (its changes). */
    public static void remove(Path target, Path containerDir) {
        unmount(target);
        try {
            FileTrees.delete(containerDir);
        } catch (IOException e) {
            throw new ImageException("cannot remove " + containerDir + ": " + e.getMessage(), e);
        }
    }

    private static void mountOverlay(LayerStore store, List<Layer> layers, Path containerDir, Path target, boolean disposable)
            throws IOException {
        Path upper = containerDir.resolve("upper"), work = containerDir.resolve("work");
        String own = ",upperdir=" + optionPath(upper) + ",workdir=" + optionPath(work) + (disposable ? ",volatile" : "");
        String options = "lowerdir=" + lowerDirs(store, layers, containerDir, false) + own;
        // the kernel reads the options from one page: with many layers, name them by short links (as Docker does)
        if (options.length() > MAX_OPTIONS) options = "lowerdir=" + lowerDirs(store, layers, containerDir, true) + own;
        if (options.length() > MAX_OPTIONS)
            throw new ImageException("the image has too many layers (" + layers.size() + ") for one overlay mount");
        Files.createDirectories(work);
        if (!Files.isDirectory(upper)) rootLike(Files.createDirectory(upper), layers);
        // A volatile mount leaves this behind, and the kernel refuses to mount the directories again while it is
        // there (overlayfs.rst): a restarted container of --rm, whose files are disposable anyway, takes it away.
        Path leftByVolatile = work.resolve("work/incompat/volatile");
        if (Files.exists(leftByVolatile)) FileTrees.delete(leftByVolatile);
        HostMounts.mount("overlay", target, "overlay", 0, options);
    }

    /** The lower directories as overlayfs lists them, the top layer first. */
    private static String lowerDirs(LayerStore store, List<Layer> layers, Path containerDir, boolean shortLinks)
            throws IOException {
        if (layers.isEmpty()) // an image without layers (FROM scratch with nothing added)
            return optionPath(Files.createDirectories(containerDir.resolve("empty")));
        StringBuilder lower = new StringBuilder();
        for (Layer layer : layers.reversed()) {
            if (!lower.isEmpty()) lower.append(':');
            lower.append(optionPath(shortLinks ? store.shortLink(layer) : layer.dir()));
        }
        return lower.toString();
    }

    /**
     * The merged tree's root shows the upper directory's owner, mode and mtime: those of the image's root. Through
     * the JDK's own calls (a directory just made: no link to follow), not FFM's.
     */
    private static void rootLike(Path upper, List<Layer> layers) throws IOException {
        if (layers.isEmpty()) {
            Files.setAttribute(upper, "unix:mode", 0755, LinkOption.NOFOLLOW_LINKS);
            return;
        }
        Map<String, Object> a = Files.readAttributes(layers.getLast().dir(), "unix:uid,gid,mode,lastModifiedTime");
        Files.setAttribute(upper, "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(upper, "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(upper, "unix:mode", (Integer) a.get("mode") & 07777, LinkOption.NOFOLLOW_LINKS);
        Files.setLastModifiedTime(upper, (FileTime) a.get("lastModifiedTime"));
    }

    /** overlayfs splits its options at ',' and lowerdir at ':'; the data root's paths must have neither. */
    private static String optionPath(Path path) {
        String s = path.toString();
        if (s.indexOf(',') >= 0 || s.indexOf(':') >= 0 || s.indexOf('\\') >= 0)
            throw new ImageException("the data root's path " + s + " has a ',', ':' or '\\', which overlay mount options cannot hold");
        return s;
    }

    private static Mounted copy(ContentStore blobs, List<Layer> layers, Path containerDir, Path target, String reason)
            throws IOException {
        Path copy = containerDir.resolve("rootfs");
        if (!Files.isDirectory(copy)) {
            Path temp = Files.createTempDirectory(containerDir, "rootfs-");
            try {
                FileCalls.chmod(temp.toString(), 0755);
                for (Layer layer : layers) {
                    Digest diffId;
                    try (InputStream in = blobs.open(layer.blob().digest())) {
                        diffId = LayerUnpacker.unpackBlob(in, temp, LayerUnpacker.Mode.APPLY, LayerUnpacker.Lowers.NONE).diffId();
                    }
                    if (!diffId.equals(layer.diffId()))
                        throw new ImageException("layer " + layer.blob().digest() + ": diffID mismatch: the config says "
                                + layer.diffId() + ", the layer is " + diffId);
                }
                Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                FileTrees.delete(temp);
            }
        }
        HostMounts.mount(copy.toString(), target, null, MS_BIND | MS_REC, null);
        return new Mounted(Kind.COPY, target, containerDir, reason);
    }
}
