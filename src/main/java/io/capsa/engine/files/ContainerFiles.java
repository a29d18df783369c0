package io.capsa.engine.files;

import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.image.archive.TarWriter;
import io.capsa.image.unpack.TarReader;
import io.capsa.linux.Errno;
import io.capsa.linux.ErrnoException;
import io.capsa.linux.Fds;
import io.capsa.linux.RootedFiles;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * docker cp: files from a container to the host or a tar stream, and back, by Docker's rules for what
 * the destination becomes. A path in a container is resolved inside its root (openat2 RESOLVE_IN_ROOT): a
 * symlink there that points to /etc/passwd or ../../.. reaches the container's own file, never the host's.
 * Every copy is a tar stream between the two sides, as Docker's is, so "-" on either side is the same copy.
 */
public final class ContainerFiles {
    /** -a: keep the owners (else the files belong to the receiving side's root user); -L: follow a symlink given as the source. */
    public record CopyOptions(boolean archive, boolean followLink) {}

    private final Engine engine;

    public ContainerFiles(Engine engine) {
        this.engine = engine;
    }

    /** docker cp CONTAINER:SRC DEST. */
    public void copyOut(ContainerRecord record, String source, Path dest, CopyOptions options) {
        String src = containerPath(source);
        engine.withRoot(record, true, root -> inRoot(root, rootFd -> {
            copy(new Side(rootFd, record.name()), src, new Side(-1, null), dest.toString(), options);
            return null;
        }));
    }

    /** docker cp CONTAINER:SRC -: a tar archive of SRC, named by its last name. */
    public void copyOut(ContainerRecord record, String source, OutputStream tar, CopyOptions options) {
        String src = containerPath(source);
        engine.withRoot(record, true, root -> inRoot(root, rootFd -> {
            Side side = new Side(rootFd, record.name());
            int fd = side.openSource(src, options.followLink());
            try {
                archive(fd, baseName(src), tar);
            } finally {
                Fds.close(fd);
            }
            return null;
        }));
    }

    /** docker cp SRC CONTAINER:DEST. */
    public void copyIn(Path source, ContainerRecord record, String dest, CopyOptions options) {
        String dst = containerPath(dest);
        engine.withRoot(record, true, root -> inRoot(root, rootFd -> {
            copy(new Side(-1, null), source.toString(), new Side(rootFd, record.name()), dst, options);
            return null;
        }));
    }

    /** docker cp - CONTAINER:DEST: a tar archive's members below the directory DEST. */
    public void copyIn(InputStream tar, ContainerRecord record, String dest, CopyOptions options) {
        String dst = containerPath(dest);
        engine.withRoot(record, true, root -> inRoot(root, rootFd -> {
            Side side = new Side(rootFd, record.name());
            int dirFd = side.openDirectory(dst);
            try {
                new TreeExtractor(dirFd, UnaryOperator.identity(), options.archive()).extract(new TarReader(tar));
            } finally {
                Fds.close(dirFd);
            }
            return null;
        }));
    }

    /** docker export: the container's whole root file system (without what is mounted in it) as a tar archive. */
    public void export(ContainerRecord record, OutputStream tar) {
        engine.withRoot(record, false, root -> inRoot(root, rootFd -> {
            archive(rootFd, ".", tar);
            return null;
        }));
    }

    /** A path in a container, relative ones from its root; one with ".." above the root is refused. */
    static String containerPath(String path) {
        if (path.isEmpty()) throw new CapsaException("no path given in the container (CONTAINER:PATH)");
        int depth = 0;
        for (String part : path.split("/")) {
            if (part.equals("..") && --depth < 0) throw new CapsaException("the path " + path + " leads out of the container's root");
            if (!part.isEmpty() && !part.equals(".") && !part.equals("..")) depth++;
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    /** What a copy does with the container's root, opened. */
    private interface RootedAction {
        Void apply(int rootFd) throws IOException;
    }

    private static Void inRoot(Path root, RootedAction action) throws IOException {
        int rootFd = RootedFiles.open(root, true);
        try {
            return action.apply(rootFd);
        } finally {
            Fds.close(rootFd);
        }
    }

    /** One side of a copy: a container's root (its descriptor, its name for messages), or the host (rootFd -1). */
    private record Side(int rootFd, String container) {
        int open(String path, boolean follow) {
            return rootFd < 0 ? RootedFiles.open(Path.of(path), follow) : RootedFiles.openInRoot(rootFd, path, follow);
        }

        int openSource(String path, boolean follow) {
            try {
                // a trailing "/" or "/." means the directory a symlink names, as for cp
                int fd = open(path, follow || path.endsWith("/") || path.endsWith("/."));
                if ((path.endsWith("/") || path.endsWith("/.")) && !isDirectory(fd)) {
                    Fds.close(fd);
                    throw new CapsaException(path + ": not a directory");
                }
                return fd;
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT && e.errno() != Errno.ENOTDIR) throw e;
                throw new CapsaException(container == null ? "lstat " + path + ": no such file or directory"
                        : "Could not find the file " + path + " in container " + container);
            }
        }

        /** The existing directory at path (a symlink to one followed, inside the root). */
        int openDirectory(String path) {
            int fd = openSource(path, true);
            if (!isDirectory(fd)) {
                Fds.close(fd);
                throw new CapsaException(path + ": not a directory");
            }
            return fd;
        }
    }

    private static boolean isDirectory(int fd) {
        return Files.isDirectory(RootedFiles.of(fd));
    }

    /** Docker's rules: into an existing directory under the source's name, else as the destination's name. */
    private static void copy(Side from, String source, Side to, String dest, CopyOptions options) throws IOException {
        int srcFd = from.openSource(source, options.followLink());
        try {
            boolean srcDir = isDirectory(srcFd);
            String top = baseName(source);
            boolean contents = srcDir && (source.endsWith("/.") || source.equals("/"));
            int dirFd;
            UnaryOperator<String> rename;
            int destFd = -1;
            try {
                destFd = to.open(dest, true);
            } catch (ErrnoException e) {
                if (e.errno() != Errno.ENOENT) throw e;
            }
            if (destFd >= 0 && isDirectory(destFd)) {
                dirFd = destFd;
                rename = contents ? renamed(top, "") : UnaryOperator.identity();
            } else {
                Fds.close(destFd);
                if (destFd >= 0 && srcDir) throw new CapsaException("cannot copy a directory to a file: " + dest);
                if (dest.endsWith("/")) throw new CapsaException(destFd >= 0 ? dest + ": not a directory" : dest + ": no such directory");
                dirFd = to.openDirectory(parent(dest));
                rename = renamed(top, baseName(dest));
            }
            try {
                transfer(srcFd, top, new TreeExtractor(dirFd, rename, options.archive()));
            } finally {
                Fds.close(dirFd);
            }
        } finally {
            Fds.close(srcFd);
        }
    }

    /** Members named top (and below it) are named as name (and below it); name "" puts what is below top in the directory itself. */
    private static UnaryOperator<String> renamed(String top, String name) {
        return member -> {
            if (top.equals(".")) return member.isEmpty() || name.isEmpty() ? name + member : name + "/" + member; // the root is ""
            if (member.equals(top)) return name;
            if (!member.startsWith(top + "/")) return null;
            String rest = member.substring(top.length() + 1);
            return name.isEmpty() ? rest : name + "/" + rest;
        };
    }

    /** Archives the source on a thread of its own while the extractor reads the archive. */
    private static void transfer(int srcFd, String top, TreeExtractor extractor) throws IOException {
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread writer = Thread.ofPlatform().start(() -> {
            try (out) {
                archive(srcFd, top, out);
            } catch (IOException | RuntimeException e) {
                failure.set(e);
            }
        });
        try (in) {
            extractor.extract(new TarReader(in));
        } finally {
            join(writer);
        }
        if (failure.get() instanceof IOException e) throw e;
        if (failure.get() instanceof RuntimeException e) throw e;
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CapsaException("interrupted");
        }
    }

    private static void archive(int fd, String top, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        new TreeArchiver(tar).write(fd, top);
        tar.finish();
    }

    /** The last name of a path ("." for the root, or a path ending in "/."). */
    static String baseName(String path) {
        String p = path;
        while (p.endsWith("/.") || p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - (p.endsWith("/.") ? 2 : 1));
        if (p.isEmpty() || p.equals("/") || p.equals(".")) return ".";
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** The directory a path's last name is in. */
    static String parent(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        return slash < 0 ? "." : slash == 0 ? "/" : p.substring(0, slash);
    }
}
