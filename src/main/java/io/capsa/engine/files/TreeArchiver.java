package io.capsa.engine.files;

import io.capsa.image.archive.TarWriter;
import io.capsa.image.unpack.TarEntry;
import io.capsa.linux.Fds;
import io.capsa.linux.FileCalls;
import io.capsa.linux.RootedFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes a file tree to a tar archive, starting at an O_PATH descriptor: every member is opened below its
 * parent's descriptor without following a symlink, so a tree that changes while it is read (a running
 * container's) can make the copy fail but never lead it out of the tree. Hard links stay links.
 */
final class TreeArchiver {
    private final TarWriter out;
    private final boolean overlayUpper;
    private final Set<String> left;
    private final Map<String, String> firstNames = new HashMap<>(); // "dev:ino" of a hard-linked file -> its first name

    /** A tree as it is. */
    TreeArchiver(TarWriter out) {
        this(out, false, Set.of());
    }

    /**
     * An overlay's upper directory made an image layer: its whiteouts (0/0 character devices) become ".wh.NAME"
     * members and an opaque directory gets a ".wh..wh..opq" member, as image layers say it; the names in
     * left (below ".") are left out.
     */
    TreeArchiver(TarWriter out, Set<String> left) {
        this(out, true, left);
    }

    private TreeArchiver(TarWriter out, boolean overlayUpper, Set<String> left) {
        this.out = out;
        this.overlayUpper = overlayUpper;
        this.left = left;
    }

    /** Writes what fd holds (and, for a directory, everything below it) under the archive name name. */
    void write(int fd, String name) throws IOException {
        Path self = RootedFiles.of(fd);
        Map<String, Object> a = Files.readAttributes(self, "unix:mode,uid,gid,size,lastModifiedTime,rdev,dev,ino,nlink");
        int mode = (Integer) a.get("mode");
        long uid = (Integer) a.get("uid"), gid = (Integer) a.get("gid");
        long mtime = ((FileTime) a.get("lastModifiedTime")).toInstant().getEpochSecond();
        long rdev = (Long) a.get("rdev");
        TarEntry.Type type = switch (mode & FileModes.S_IFMT) {
            case FileModes.S_IFDIR -> TarEntry.Type.DIRECTORY;
            case FileModes.S_IFLNK -> TarEntry.Type.SYMLINK;
            case FileModes.S_IFCHR -> TarEntry.Type.CHAR_DEVICE;
            case FileModes.S_IFBLK -> TarEntry.Type.BLOCK_DEVICE;
            case FileModes.S_IFIFO -> TarEntry.Type.FIFO;
            case FileModes.S_IFSOCK -> null; // a socket cannot be archived: tar and Docker leave it out
            default -> TarEntry.Type.FILE;
        };
        if (type == null) return;
        if (overlayUpper && type == TarEntry.Type.CHAR_DEVICE && rdev == 0) {
            int slash = name.lastIndexOf('/');
            out.entry(marker(name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1), mtime), null);
            return;
        }
        String link = type == TarEntry.Type.SYMLINK ? RootedFiles.linkTarget(fd) : "";
        if (type == TarEntry.Type.FILE && (Integer) a.get("nlink") > 1) {
            String first = firstNames.putIfAbsent(a.get("dev") + ":" + a.get("ino"), name);
            if (first != null) {
                type = TarEntry.Type.HARDLINK;
                link = first;
            }
        }
        long size = type == TarEntry.Type.FILE ? (Long) a.get("size") : 0;
        TarEntry entry = new TarEntry(name, type, mode & 07777, uid, gid, "", "", size, mtime, 0, link,
                (int) ((rdev >>> 8) & 0xfff | (rdev >>> 32) & ~0xfff), (int) (rdev & 0xff | (rdev >>> 12) & ~0xff),
                type == TarEntry.Type.SYMLINK ? Map.of() : xattrs(self));
        if (type != TarEntry.Type.FILE) {
            out.entry(entry, null);
        } else {
            try (InputStream content = Files.newInputStream(self)) {
                out.entry(entry, content);
            }
        }
        if (type == TarEntry.Type.DIRECTORY && overlayUpper && Overlay.opaque(self))
            out.entry(marker((name.equals(".") ? "" : name + "/") + ".wh..wh..opq", mtime), null);
        if (type == TarEntry.Type.DIRECTORY) for (String child : children(self)) {
            if (left.contains(name.equals(".") ? child : name + "/" + child)) continue;
            int childFd = RootedFiles.open(self.resolve(child), false);
            try {
                write(childFd, name.equals(".") ? child : name + "/" + child);
            } finally {
                Fds.close(childFd);
            }
        }
    }

    /** The file's extended attributes (security.capability and the like), but an overlay's own. */
    private Map<String, byte[]> xattrs(Path self) {
        Map<String, byte[]> xattrs = new TreeMap<>();
        for (String key : FileCalls.listxattr(self.toString())) {
            if (overlayUpper && Overlay.isOwn(key)) continue;
            byte[] value = FileCalls.getxattr(self.toString(), key);
            if (value != null) xattrs.put(key, value);
        }
        return xattrs;
    }

    private static TarEntry marker(String name, long mtime) {
        return new TarEntry(name, TarEntry.Type.FILE, 0, 0, 0, "", "", 0, mtime, 0, "", 0, 0, Map.of());
    }

    private static List<String> children(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) names.add(p.getFileName().toString());
        }
        names.sort(null);
        return names;
    }
}
