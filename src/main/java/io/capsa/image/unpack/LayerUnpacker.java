package io.capsa.image.unpack;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.store.FileTrees;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes a layer's tar into a directory, keeping owners, modes (setuid, setgid, sticky), mtimes, xattrs
 * byte for byte, devices, fifos and hardlinks. Two modes: OVERLAY makes the layer's own directory, with
 * whiteouts as overlayfs reads them (a 0/0 character device, trusted.overlay.opaque=y on a directory);
 * APPLY applies the layer onto the layers below it in one directory (whiteouts delete), for a root
 * file system that cannot be an overlay.
 *
 * <p>No entry reaches outside the directory. As Docker does, a leading "/" is dropped and names are
 * cleaned lexically ("a/../b" is "b"); a name that climbs above the root ("../x") is refused. Every
 * parent directory is checked without following symlinks, so an entry under a symlink that an earlier
 * entry made is refused rather than written where the symlink points; files are created with O_EXCL
 * after whatever was at their name is removed, so the last component is never followed either. A
 * hardlink must name a file of the same layer by the same rules. The checks hold because nothing else
 * writes to the directory during the unpack: it is a fresh temporary directory, or a container's copy no
 * container runs in yet. Runs as root (owners, devices, trusted.* xattrs).
 *
 * <p>A directory that a layer changes without naming it (the parent of a new file) keeps its attributes:
 * in APPLY its mtime is put back afterwards; in OVERLAY, where the layer's own directory would hide the
 * one below, it is made with the owner, mode, xattrs and mtime of the same directory in the layers below
 * (as containerd does), so that the mounted tree equals the flattened one.
 *
 * <p>A layer can unpack beside the layers below it (OVERLAY): it asks for them ({@link Lowers}) only when it
 * first makes a directory without an entry, or at its end for a root without a "./" entry, so that a layer
 * whose tar names its directories (as Docker's, BuildKit's and umoci's do) writes all of its files first.
 */
public final class LayerUnpacker {
    public enum Mode { OVERLAY, APPLY }

    private static final String WHITEOUT = ".wh.", OPAQUE = ".wh..wh..opq";
    private static final byte[] OPAQUE_VALUE = {'y'};
    private static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFBLK = 0060000;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Mode mode;
    /** Relative paths known to be real directories (checked or made here). */
    private final Set<String> directories = new HashSet<>();
    /** Directories' mtimes, set at the end: every entry made inside a directory changes its mtime. */
    private final Map<String, Time> directoryTimes = new LinkedHashMap<>();
    /** OVERLAY: the layers below this one, as they become available. */
    private final Lowers lowers;
    /** The unpacked layers below, top first: null until first needed. */
    private List<Path> below;
    /** The root's attributes are settled: it had an entry ("./"), took those of the root below, or is flattened onto. */
    private boolean rootSettled;

    private record Time(long seconds, int nanos) {
    }
    /** What this layer wrote (APPLY): an opaque directory keeps it and removes only what lower layers had. */
    private final Set<String> written = new HashSet<>();
    /** Bytes of the layer as Docker counts them: its files' contents and its symlinks' targets. */
    private long size;

    /** A layer unpacked: its diffID (the sha256 of its tar) and its size ({@link #size}). */
    public record Unpacked(Digest diffId, long size) {
    }

    /**
     * OVERLAY: the unpacked layers below, bottom first, complete. Asked for at most once, possibly long after
     * the unpack started: a caller that unpacks layers side by side waits there for those below.
     */
    @FunctionalInterface
    public interface Lowers {
        Lowers NONE = List::of;

        List<Path> await() throws IOException;
    }

    private LayerUnpacker(Path root, Mode mode, Lowers lowers) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.mode = mode;
        this.lowers = lowers;
        directories.add("");
        if (mode == Mode.APPLY) {
            keepTime("");
            rootSettled = true;
        }
    }

    /**
     * Unpacks a layer blob (gzip, zstd or plain tar, told by its magic bytes) into a directory and returns its
     * diffID, the sha256 of the uncompressed tar, which the caller compares with the image config's, and its
     * size. lowers (OVERLAY only) are the unpacked layers below.
     */
    public static Unpacked unpackBlob(InputStream blob, Path root, Mode mode, Lowers lowers) throws IOException {
        MessageDigest sha = Digest.sha256();
        long size;
        try (InputStream tar = new DigestInputStream(Decompression.open(blob), sha)) {
            size = unpack(tar, root, mode, lowers);
            tar.transferTo(OutputStream.nullOutputStream()); // the zero blocks after the end count too
        }
        return new Unpacked(Digest.of(sha), size);
    }

    /** Unpacks a plain tar stream into a directory that exists; returns its size ({@link #size}). */
    public static long unpack(InputStream tar, Path root, Mode mode, Lowers lowers) throws IOException {
        LayerUnpacker unpacker = new LayerUnpacker(root, mode, lowers);
        unpacker.run(new TarReader(tar));
        return unpacker.size;
    }

    private void run(TarReader reader) throws IOException {
        TarEntry e;
        while ((e = reader.next()) != null) {
            try {
                entry(e, reader);
            } catch (ImageException | IOException | ErrnoException | InvalidPathException ex) {
                String why = ex instanceof NoSuchFileException ? "no such file " + ex.getMessage() : ex.getMessage();
                throw new ImageException("tar entry " + e.name() + ": " + why, ex);
            }
        }
        settleRoot();
        for (Map.Entry<String, Time> d : directoryTimes.entrySet())
            FileCalls.lutimes(absolute(d.getKey()), d.getValue().seconds(), d.getValue().nanos());
    }

    private void entry(TarEntry e, TarReader reader) throws IOException {
        String rel = clean(e.name());
        if (rel.isEmpty()) { // "./": the layer's root directory itself
            if (e.type() != TarEntry.Type.DIRECTORY) throw new ImageException("the root can only be a directory");
            metadata(rel, e);
            rootSettled = true;
            return;
        }
        int slash = rel.lastIndexOf('/');
        String parent = slash < 0 ? "" : rel.substring(0, slash), base = rel.substring(slash + 1);
        if (base.startsWith(WHITEOUT)) {
            whiteout(parent, base);
            return;
        }
        directory(parent, true);
        Path path = root.resolve(rel);
        BasicFileAttributes existing = attributes(path);
        if (existing != null && !(e.type() == TarEntry.Type.DIRECTORY && existing.isDirectory())) remove(rel);
        if (mode == Mode.APPLY) { // with its parents: "d/sub/x" keeps d/sub when d is made opaque
            String p = rel;
            while (written.add(p) && p.lastIndexOf('/') > 0) p = p.substring(0, p.lastIndexOf('/'));
        }
        switch (e.type()) {
            case DIRECTORY -> {
                if (existing == null || !existing.isDirectory()) Files.createDirectory(path);
                directories.add(rel);
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    reader.content().transferTo(out);
                }
                size += e.size();
            }
            case SYMLINK -> {
                FileCalls.symlink(e.linkName(), path.toString());
                size += e.linkName().getBytes(StandardCharsets.UTF_8).length;
            }
            case HARDLINK -> {
                hardlink(path, e.linkName());
                return; // the link shares its target's inode and metadata
            }
            case CHAR_DEVICE -> FileCalls.mknod(path.toString(), S_IFCHR | e.mode(), e.devMajor(), e.devMinor());
            case BLOCK_DEVICE -> FileCalls.mknod(path.toString(), S_IFBLK | e.mode(), e.devMajor(), e.devMinor());
            case FIFO -> FileCalls.mknod(path.toString(), S_IFIFO | e.mode(), 0, 0);
        }
        metadata(rel, e);
    }

    /** Owner first (chown clears setuid bits and security.capability), then mode, xattrs and mtime. */
    private void metadata(String rel, TarEntry e) {
        String path = absolute(rel);
        FileCalls.lchown(path, e.uid(), e.gid());
        if (e.type() != TarEntry.Type.SYMLINK) FileCalls.chmod(path, e.mode());
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            // overlayfs's own attributes would turn a file into a whiteout or redirect: only the unpacker sets them
            if (x.getKey().startsWith("trusted.overlay.")) continue;
            try {
                FileCalls.lsetxattr(path, x.getKey(), x.getValue());
            } catch (ErrnoException notSupported) {
                // a file system without that namespace (security.selinux without SELinux): skipped, as containerd does
                if (notSupported.errno() != FileCalls.ENOTSUP) throw notSupported;
            }
        }
        if (e.type() == TarEntry.Type.DIRECTORY) directoryTimes.put(rel, new Time(e.mtimeSeconds(), e.mtimeNanos()));
        else FileCalls.lutimes(path, e.mtimeSeconds(), e.mtimeNanos());
    }

    private void whiteout(String parent, String base) throws IOException {
        if (base.equals(OPAQUE)) {
            if (mode == Mode.OVERLAY) {
                directory(parent, true);
                FileCalls.lsetxattr(absolute(parent), "trusted.overlay.opaque", OPAQUE_VALUE);
            } else if (directory(parent, false)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(root.resolve(parent))) {
                    for (Path child : children) {
                        String rel = join(parent, child.getFileName().toString());
                        if (!written.contains(rel)) remove(rel);
                    }
                }
            }
            return;
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) return; // aufs's own bookkeeping (.wh..wh.plnk): not a whiteout
        String name = base.substring(WHITEOUT.length());
        if (name.isEmpty() || name.equals(".") || name.equals("..")) throw new ImageException("invalid whiteout");
        String rel = join(parent, name);
        if (mode == Mode.OVERLAY) {
            directory(parent, true);
            if (attributes(root.resolve(rel)) != null) remove(rel);
            FileCalls.mknod(absolute(rel), S_IFCHR, 0, 0);
        } else if (directory(parent, false)) {
            remove(rel);
        }
    }

    /**
     * Makes sure that a relative path is a real directory, each of its components checked without following
     * symlinks. Missing ones are made (0755, as tar makes implied parents) when create is set; else false.
     */
    private boolean directory(String rel, boolean create) throws IOException {
        if (directories.contains(rel)) return true;
        int slash = rel.lastIndexOf('/');
        if (!directory(slash < 0 ? "" : rel.substring(0, slash), create)) return false;
        Path path = root.resolve(rel);
        BasicFileAttributes a = attributes(path);
        if (a == null) {
            if (!create) return false;
            Files.createDirectory(path);
            if (mode == Mode.APPLY || !inherit(rel)) FileCalls.chmod(path.toString(), 0755); // whatever the umask
        } else if (a.isSymbolicLink()) {
            throw new ImageException("its parent " + rel + " is a symbolic link (an entry may not be written through one)");
        } else if (!a.isDirectory()) {
            throw new ImageException("its parent " + rel + " is not a directory");
        } else if (mode == Mode.APPLY) {
            keepTime(rel);
        }
        directories.add(rel);
        return true;
    }

    /** A directory of the layers below that this one changes: its mtime is put back at the end. */
    private void keepTime(String rel) throws IOException {
        FileTime t = Files.getLastModifiedTime(root.resolve(rel), NOFOLLOW);
        directoryTimes.putIfAbsent(rel, new Time(t.to(TimeUnit.SECONDS), (int) (t.to(TimeUnit.NANOSECONDS) % 1_000_000_000L)));
    }

    /** OVERLAY: the root without an entry of its own takes the attributes of the root below, if any. */
    private void settleRoot() throws IOException {
        if (rootSettled) return;
        rootSettled = true;
        inherit("");
    }

    /**
     * A directory made here without an entry of its own takes the attributes of the one below it, if any. The
     * root's are settled first, as if it had had them from the start: a directory made in a setgid one takes its group.
     */
    private boolean inherit(String rel) throws IOException {
        if (below == null) below = lowers.await().reversed();
        settleRoot();
        Path lower = lowerDirectory(rel);
        if (lower == null) return false;
        Map<String, Object> a = Files.readAttributes(lower, "unix:uid,gid,mode,lastModifiedTime", NOFOLLOW);
        String path = absolute(rel);
        FileCalls.lchown(path, (Integer) a.get("uid"), (Integer) a.get("gid"));
        FileCalls.chmod(path, (Integer) a.get("mode") & 07777);
        for (String name : FileCalls.llistxattr(lower.toString())) {
            if (name.startsWith("trusted.overlay.")) continue;
            byte[] value = FileCalls.lgetxattr(lower.toString(), name);
            if (value != null) FileCalls.lsetxattr(path, name, value);
        }
        FileTime t = (FileTime) a.get("lastModifiedTime");
        directoryTimes.put(rel, new Time(t.to(TimeUnit.SECONDS), (int) (t.to(TimeUnit.NANOSECONDS) % 1_000_000_000L)));
        return true;
    }

    /**
     * The directory at rel as overlayfs would show it from the layers below: the top-most layer that has it,
     * unless a layer above that hides it (a file, symlink or whiteout on the way, or an opaque directory).
     * Components are looked up without following symlinks.
     */
    private Path lowerDirectory(String rel) throws IOException {
        for (Path lower : below) {
            Path p = lower;
            boolean found = true, opaque = false;
            for (String part : rel.isEmpty() ? new String[0] : rel.split("/")) {
                p = p.resolve(part);
                BasicFileAttributes a = attributes(p);
                if (a == null) {
                    found = false;
                    break;
                }
                if (!a.isDirectory()) return null;
                opaque |= FileCalls.lgetxattr(p.toString(), "trusted.overlay.opaque") != null;
            }
            if (found) return p;
            if (opaque) return null;
        }
        return null;
    }

    private void hardlink(Path path, String linkName) throws IOException {
        String target = clean(linkName);
        int slash = target.lastIndexOf('/');
        if (target.isEmpty() || !directory(slash < 0 ? "" : target.substring(0, slash), false))
            throw new ImageException("hardlink target " + linkName + " is not in the layer");
        BasicFileAttributes a = attributes(root.resolve(target));
        if (a == null) throw new ImageException("hardlink target " + linkName + " is not in the layer");
        if (a.isDirectory()) throw new ImageException("hardlink target " + linkName + " is a directory");
        Files.createLink(path, root.resolve(target)); // link(2) does not follow a symlink target on Linux
    }

    /** Removes whatever is at a relative path (a tree too), and forgets the directories it held. */
    private void remove(String rel) throws IOException {
        FileTrees.delete(root.resolve(rel));
        String prefix = rel + "/";
        directories.removeIf(d -> d.equals(rel) || d.startsWith(prefix));
        directoryTimes.keySet().removeIf(d -> d.equals(rel) || d.startsWith(prefix));
    }

    /**
     * A tar name as a path relative to the root: "/" and "./" prefixes and "." components dropped, ".."
     * applied lexically; refused if it climbs above the root.
     */
    static String clean(String name) {
        ArrayDeque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) {
                if (parts.isEmpty()) throw new ImageException("the path " + name + " climbs out of the layer (..)");
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    private static String join(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }

    private String absolute(String rel) {
        return rel.isEmpty() ? root.toString() : root.resolve(rel).toString();
    }

    /** Null when nothing is there: asked before every entry is made, mostly of a name not taken (no exception then). */
    private static BasicFileAttributes attributes(Path path) throws IOException {
        return path.getFileSystem().provider().readAttributesIfExists(path, BasicFileAttributes.class, NOFOLLOW);
    }
}
