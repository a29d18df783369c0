package io.capsa.engine.files;

import io.capsa.linux.FileCalls;

import java.nio.file.Path;
import java.util.Arrays;

/** How overlayfs marks, in an upper directory, what it hides of the layers below. */
final class Overlay {
    private Overlay() {}

    private static final String[] OPAQUE_XATTRS = {"trusted.overlay.opaque", "user.overlay.opaque"};

    /** Whether an extended attribute is overlayfs's own mark (opaque, redirect, origin), not the file's. */
    static boolean isOwn(String xattr) {
        return xattr.startsWith("trusted.overlay.") || xattr.startsWith("user.overlay.");
    }

    /** Whether the directory hides everything below it (it was removed and made again); dir may be a /proc/self/fd path. */
    static boolean opaque(Path dir) {
        for (String name : OPAQUE_XATTRS) {
            byte[] value = FileCalls.lgetxattr(dir.resolve(".").toString(), name); // "/." reaches the directory itself, not a link to it
            if (value != null && Arrays.equals(value, new byte[] {'y'})) return true;
        }
        return false;
    }
}
