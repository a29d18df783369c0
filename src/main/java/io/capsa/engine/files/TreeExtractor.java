package io.capsa.engine.files;

import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.Fds;
import io.capsa.linux.FileCalls;
import io.capsa.linux.RootedFiles;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Writes a tar archive's members below a directory held by an O_PATH descriptor. Each member's parent is
 * walked one name at a time without following a symlink, and the member is made by its single name in
 * that parent: a symlink in a container (put there before or while it is copied to) can make the copy fail
 * but never lead a write out of the directory. Names with ".." are refused.
 */
final class TreeExtractor {
    private final int dirFd;
    private final UnaryOperator<String> rename;
    private final boolean keepOwners;

    /**
     * rename maps a member's cleaned name to the one it gets (null: left out); what is made belongs to the
     * archive's owners with keepOwners (docker cp -a), else to root, as docker cp makes it.
     */
    TreeExtractor(int dirFd, UnaryOperator<String> rename, boolean keepOwners) {
        this.dirFd = dirFd;
        this.rename = rename;
        this.keepOwners = keepOwners;
    }

    void extract(TarReader tar) throws IOException {
        Map<String, TarEntry> directories = new LinkedHashMap<>(); // their times are set last: what is made in them changes them
        for (TarEntry e = tar.next(); e != null; e = tar.next()) {
            String name = rename.apply(clean(e.name()));
            if (name == null) continue;
            if (name.isEmpty()) { // the destination directory itself
                if (e.type() == TarEntry.Type.DIRECTORY) continue;
                throw new CapsaException("cannot overwrite a directory with the non-directory " + e.name());
            }
            TarEntry entry = e;
            inParent(name, true, path -> create(path, entry, tar));
            if (e.type() == TarEntry.Type.DIRECTORY) directories.put(name, e);
        }
        for (Map.Entry<String, TarEntry> d : directories.entrySet())
            inParent(d.getKey(), false, path -> FileCalls.lutimes(path.toString(), d.getValue().mtimeSeconds(), d.getValue().mtimeNanos()));
    }

    /** What is done to a member, by a path of its single name in its parent's descriptor. */
    private interface MemberAction {
        void apply(Path path) throws IOException;
    }

    /** Does action to the member name (a relative path), its parent reached by {@link #walk}. */
    private void inParent(String name, boolean make, MemberAction action) throws IOException {
        int slash = name.lastIndexOf('/');
        int parent = walk(slash < 0 ? "" : name.substring(0, slash), make);
        try {
            action.apply(RootedFiles.of(parent).resolve(name.substring(slash + 1)));
        } finally {
            Fds.close(parent);
        }
    }

    /** A member's name without "./" and "/" at its ends; refused when it has a "..". */
    static String clean(String name) {
        StringBuilder clean = new StringBuilder();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new CapsaException("refusing the archive member " + name + ": it leads out of the destination");
            if (!clean.isEmpty()) clean.append('/');
            clean.append(part);
        }
        return clean.toString();
    }

    /** An O_PATH descriptor of the directory at the relative path, each step a directory, not a symlink; made when missing. */
    private int walk(String path, boolean make) throws IOException {
        int fd = RootedFiles.open(RootedFiles.of(dirFd), true);
        for (String part : path.isEmpty() ? new String[0] : path.split("/")) {
            Path step = RootedFiles.of(fd).resolve(part);
            try {
                if (make && !Files.exists(step, LinkOption.NOFOLLOW_LINKS)) Files.createDirectory(step);
                int next = RootedFiles.open(step, false);
                boolean directory = Files.isDirectory(RootedFiles.of(next));
                Fds.close(fd);
                fd = next;
                if (!directory) throw new CapsaException("cannot copy to " + path + ": " + part + " is not a directory (a symlink is never followed here)");
            } catch (IOException | RuntimeException e) {
                Fds.close(fd);
                throw e;
            }
        }
        return fd;
    }

    private void create(Path path, TarEntry e, TarReader tar) throws IOException {
        BasicFileAttributes existing = attributes(path);
        boolean directory = e.type() == TarEntry.Type.DIRECTORY;
        if (existing != null && existing.isDirectory() && !directory)
            throw new CapsaException("cannot overwrite the directory " + clean(e.name()) + " with a non-directory");
        boolean kept = existing != null && existing.isDirectory() && directory;
        if (existing != null && !kept) Files.delete(path); // unlinks a symlink itself, never what it points to
        switch (e.type()) {
            case DIRECTORY -> {
                if (!kept) Files.createDirectory(path);
            }
            case FILE -> {
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                    tar.content().transferTo(out);
                }
            }
            case SYMLINK -> FileCalls.symlink(e.linkName(), path.toString());
            case HARDLINK -> {
                String target = rename.apply(clean(e.linkName()));
                if (target == null || target.isEmpty()) throw new CapsaException("the hard link " + e.name() + " points outside the copy");
                inParent(target, false, linked -> Files.createLink(path, linked));
                return; // the same inode: its owner and mode came with it
            }
            case CHAR_DEVICE -> FileCalls.mknod(path.toString(), FileModes.S_IFCHR | e.mode() & 07777, e.devMajor(), e.devMinor());
            case BLOCK_DEVICE -> FileCalls.mknod(path.toString(), FileModes.S_IFBLK | e.mode() & 07777, e.devMajor(), e.devMinor());
            case FIFO -> FileCalls.mknod(path.toString(), FileModes.S_IFIFO | e.mode() & 07777, 0, 0);
        }
        FileCalls.lchown(path.toString(), keepOwners ? e.uid() : 0, keepOwners ? e.gid() : 0);
        if (e.type() != TarEntry.Type.SYMLINK) { // chmod follows a symlink: it goes to the inode just made, by descriptor
            int fd = RootedFiles.open(path, false);
            try {
                if (!Files.readAttributes(RootedFiles.of(fd), BasicFileAttributes.class).isSymbolicLink()) FileCalls.chmod(RootedFiles.of(fd).toString(), e.mode() & 07777);
            } finally {
                Fds.close(fd);
            }
        }
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            if (Overlay.isOwn(x.getKey())) continue; // would make a whiteout or a redirect of a plain file
            try {
                FileCalls.lsetxattr(path.toString(), x.getKey(), x.getValue());
            } catch (ErrnoException notSupported) {
                if (notSupported.errno() != FileCalls.ENOTSUP) throw notSupported; // security.selinux without SELinux
            }
        }
        if (e.type() != TarEntry.Type.DIRECTORY) FileCalls.lutimes(path.toString(), e.mtimeSeconds(), e.mtimeNanos());
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
