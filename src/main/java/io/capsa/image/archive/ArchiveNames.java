package io.capsa.image.archive;

import io.capsa.image.ImageException;

import java.util.ArrayDeque;
import java.util.Deque;

/** The names of an archive's members and the paths its manifest.json and links give: kept inside the archive. */
final class ArchiveNames {
    private ArchiveNames() {}

    /** "./a//b/" is "a/b"; a name that leaves the archive (absolute, or ".." above its root) is refused. */
    static String clean(String name) {
        if (name.startsWith("/")) throw outside(name);
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (!part.equals("..")) parts.addLast(part);
            else if (parts.pollLast() == null) throw outside(name);
        }
        return String.join("/", parts);
    }

    /** A symbolic link's target, relative to the directory of the link (as docker save writes them). */
    static String linkTarget(String link, String target) {
        int slash = link.lastIndexOf('/');
        return clean(slash < 0 || target.startsWith("/") ? target : link.substring(0, slash + 1) + target);
    }

    private static ImageException outside(String name) {
        return new ImageException("member " + name + ": its name leads outside the archive");
    }
}
