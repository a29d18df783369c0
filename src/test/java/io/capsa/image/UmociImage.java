package io.capsa.image;

import io.capsa.image.store.FileTrees;
import io.capsa.linux.FileCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.capsa.image.TreeSnapshot.run;

/**
 * An image that umoci makes in an OCI layout, tag "t", three layers: files of every kind, then deletions as
 * whiteouts, then an opaque directory; and the root file system `umoci unpack` makes of it, the tree a
 * capsa unpack must equal.
 */
public record UmociImage(Path layout, Path rootfs) {
    public static UmociImage build(Path work) throws IOException, InterruptedException {
        Path image = work.resolve("image");
        run("umoci", "init", "--layout", image.toString());
        run("umoci", "new", "--image", image + ":t");
        Path bundle = work.resolve("bundle");
        run("umoci", "unpack", "--image", image + ":t", bundle.toString());
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/tool"), "tool v1");
        FileCalls.chmod(rootfs.resolve("usr/bin/tool").toString(), 04755);
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("usr/bin"));
        Files.createLink(rootfs.resolve("usr/bin/tool-link"), rootfs.resolve("usr/bin/tool"));
        Files.createDirectories(rootfs.resolve("home/user/cache"));
        Files.writeString(rootfs.resolve("home/user/cache/old"), "stale");
        FileCalls.lchown(rootfs.resolve("home/user").toString(), 1000, 1000);
        Files.createDirectories(rootfs.resolve("opaque/sub"));
        Files.writeString(rootfs.resolve("opaque/a"), "a");
        Files.writeString(rootfs.resolve("opaque/sub/b"), "b");
        Files.writeString(rootfs.resolve("gone"), "deleted in layer 2");
        Files.createDirectories(rootfs.resolve("tmp"));
        FileCalls.chmod(rootfs.resolve("tmp").toString(), 01777);
        FileCalls.mknod(rootfs.resolve("fifo").toString(), 0010600, 0, 0);
        Files.writeString(rootfs.resolve("ping"), "ping");
        run("setcap", "cap_net_raw+ep", rootfs.resolve("ping").toString());
        run("umoci", "repack", "--image", image + ":t", bundle.toString());

        // repack appends one layer to the image the bundle was unpacked from: unpack again for the next one
        Path bundle2 = work.resolve("bundle2");
        run("umoci", "unpack", "--image", image + ":t", bundle2.toString());
        rootfs = bundle2.resolve("rootfs");
        Files.delete(rootfs.resolve("gone")); // layer 2: whiteouts
        FileTrees.delete(rootfs.resolve("home/user/cache"));
        Files.writeString(rootfs.resolve("usr/bin/tool"), "tool v2");
        Files.writeString(rootfs.resolve("home/user/new"), "new");
        run("umoci", "repack", "--image", image + ":t", bundle2.toString());

        Path opaque = work.resolve("opaque.tar"); // layer 3: an opaque directory, which umoci does not write itself
        Files.write(opaque, new TestTar().dir("opaque", 0750).file("opaque/.wh..wh..opq", "").file("opaque/c", "c").bytes());
        run("umoci", "raw", "add-layer", "--image", image + ":t", opaque.toString());

        Path reference = work.resolve("reference");
        run("umoci", "unpack", "--image", image + ":t", reference.toString());
        return new UmociImage(image, reference.resolve("rootfs"));
    }
}
