package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A path inside a container's root as the container would see it: symbolic links followed relative to the
 * root and ".." stopping at it, so that no link in an image (/etc/passwd -> /etc/shadow of the host) leads
 * out of the root.
 */
final class RootPath {
    private RootPath() {}

    private static final int MAX_LINKS = 40; // the kernel's MAXSYMLINKS
    private static final int MAX_BYTES = 4 << 20;

    /** The host path of path inside root; its last component is no symbolic link. */
    static Path resolve(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Path current = root;
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) continue;
            if (name.equals("..")) {
                if (!current.equals(root)) current = current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (++links > MAX_LINKS) throw new CapsaException(Quoted.of(path) + " in the container: too many levels of symbolic links");
            String target;
            try {
                target = Files.readSymbolicLink(next).toString();
            } catch (IOException e) {
                throw new CapsaException("cannot read the link " + next + ": " + e.getMessage());
            }
            if (target.startsWith("/")) current = root;
            push(todo, target);
        }
        return current;
    }

    /**
     * Makes the directory path inside root, as dockerd makes a missing working directory: 0755, owned by
     * the container's root (uid on the host).
     */
    static void makeDirectories(Path root, String path, long uid) {
        Path dir = resolve(root, path);
        if (Files.isDirectory(dir)) return;
        try {
            Path made = dir;
            while (!Files.exists(made.getParent())) made = made.getParent();
            Files.createDirectories(dir);
            // chown what was made, from the first new directory down
            for (Path p = dir; p.startsWith(made); p = p.getParent()) {
                Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new CapsaException("cannot make the working directory " + path + " in the container: " + e.getMessage());
        }
    }

    private static void push(Deque<String> todo, String path) {
        String[] names = path.split("/");
        for (int i = names.length - 1; i >= 0; i--) todo.addFirst(names[i]);
    }

    /**
     * A small regular file inside root, or null when there is none; not followed if it turned into a link
     * since it was resolved, and never a fifo or device that would block or never end.
     */
    static String read(Path root, String path) {
        Path file = resolve(root, path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) throw new CapsaException(path + " in the container is larger than " + (MAX_BYTES >> 20) + " MiB");
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CapsaException("cannot read " + path + " in the container: " + e.getMessage());
        }
    }
}
