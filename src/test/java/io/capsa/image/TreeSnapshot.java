package io.capsa.image;

import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory tree as a user would check it: per path its type, mode (all twelve bits), owner, device
 * numbers, content digest or link target, xattrs (hex), mtime, and which paths share an inode.
 */
public final class TreeSnapshot {
    private TreeSnapshot() {}

    public static Map<String, String> of(Path root, boolean xattrs, boolean dirTimes) throws IOException {
        Map<String, String> tree = new TreeMap<>();
        Map<Object, String> inodes = new HashMap<>();
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(root)) {
            paths = new ArrayList<>(walk.sorted().toList());
        }
        for (Path p : paths) {
            String rel = root.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            StringBuilder s = new StringBuilder();
            s.append(String.format("type=%o mode=%04o owner=%s:%s", type >> 12, mode & 07777, a.get("uid"), a.get("gid")));
            if (type == 0020000 || type == 0060000) s.append(" rdev=").append(a.get("rdev"));
            if (type == 0100000) {
                Object inode = a.get("ino");
                if ((Integer) a.get("nlink") > 1 && inodes.containsKey(inode)) s.append(" hardlink=").append(inodes.get(inode));
                else s.append(" sha=").append(Digest.of(Files.readAllBytes(p)).hex(), 0, 12);
                inodes.putIfAbsent(inode, rel);
            }
            if (type == 0120000) s.append(" -> ").append(Files.readSymbolicLink(p));
            if (type != 0040000 || dirTimes)
                s.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
            if (xattrs) {
                String[] names = FileCalls.llistxattr(p.toString());
                Arrays.sort(names);
                for (String n : names) {
                    if (n.startsWith("trusted.overlay.")) continue;
                    s.append(' ').append(n).append('=').append(HexFormat.of().formatHex(FileCalls.lgetxattr(p.toString(), n)));
                }
            }
            tree.put(rel.isEmpty() ? "." : rel, s.toString());
        }
        return tree;
    }

    /** Runs a command, failing the test with its output if it fails. */
    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new AssertionError(String.join(" ", command) + " failed: " + out);
        return out;
    }
}
