package io.capsa.image;

import io.capsa.image.store.FileTrees;
import io.capsa.image.store.ImageStore;
import io.capsa.image.unpack.LayerUnpacker;
import io.capsa.image.unpack.LayerUnpacker.Lowers;
import io.capsa.image.unpack.LayerUnpacker.Mode;
import io.capsa.linux.FileCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.capsa.image.TreeSnapshot.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layers unpacked as root: what GNU tar wrote comes back exactly; crafted tarballs cannot reach outside. */
class UnpackIT {
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        dir = Files.createTempDirectory("capsa-unpack-");
    }

    @AfterEach
    void tearDown() throws IOException {
        FileTrees.delete(dir);
    }

    /** Every kind of file GNU tar knows, with a real file capability, through a POSIX (PAX) archive. */
    @Test
    void gnuTarPosixArchiveKeptExactly() throws Exception {
        Path src = sampleTree();
        run("tar", "--format=posix", "--xattrs", "--xattrs-include=*", "--numeric-owner", "-cpf",
                dir.resolve("layer.tar").toString(), "-C", src.toString(), ".");
        Path out = Files.createDirectory(dir.resolve("out"));
        Digest diffId;
        try (InputStream in = Files.newInputStream(dir.resolve("layer.tar"))) {
            diffId = LayerUnpacker.unpackBlob(in, out, Mode.OVERLAY, Lowers.NONE).diffId();
        }
        assertEquals(Digest.of(Files.readAllBytes(dir.resolve("layer.tar"))), diffId);
        assertEquals(TreeSnapshot.of(src, true, true), TreeSnapshot.of(out, true, true));
        byte[] capability = FileCalls.lgetxattr(out.resolve("bin/ping").toString(), "security.capability");
        assertArrayEquals(FileCalls.lgetxattr(src.resolve("bin/ping").toString(), "security.capability"), capability);
        assertTrue(TreeSnapshot.run("getcap", out.resolve("bin/ping").toString()).contains("cap_net_raw"));
    }

    /** GNU's own format: ././@LongLink names and link targets; gzip and zstd compressed, told by magic bytes. */
    @Test
    void gnuFormatLongNamesGzipAndZstd() throws Exception {
        Path src = sampleTree();
        Path tar = dir.resolve("layer.tar");
        run("tar", "--format=gnu", "--numeric-owner", "-cpf", tar.toString(), "-C", src.toString(), ".");
        run("gzip", "-k", tar.toString());
        run("zstd", "-q", tar.toString());
        Digest expected = Digest.of(Files.readAllBytes(tar));
        for (String blob : List.of("layer.tar.gz", "layer.tar.zst")) {
            Path out = Files.createDirectory(dir.resolve("out-" + blob));
            try (InputStream in = Files.newInputStream(dir.resolve(blob))) {
                assertEquals(expected, LayerUnpacker.unpackBlob(in, out, Mode.OVERLAY, Lowers.NONE).diffId(), blob);
            }
            assertEquals(TreeSnapshot.of(src, false, true), TreeSnapshot.of(out, false, true), blob);
        }
    }

    @Test
    void whiteoutsBecomeOverlayWhiteouts() throws IOException {
        byte[] tar = new TestTar().dir("d", 0755).file("d/.wh..wh..opq", "").file("d/new", "n")
                .file(".wh.gone", "").dir("e", 0700).file("e/.wh.f", "").bytes();
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(tar), out, Mode.OVERLAY, Lowers.NONE);
        assertArrayEquals("y".getBytes(), FileCalls.lgetxattr(out.resolve("d").toString(), "trusted.overlay.opaque"));
        for (String whiteout : List.of("gone", "e/f")) {
            Map<String, Object> a = Files.readAttributes(out.resolve(whiteout), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            assertEquals(0020000, (Integer) a.get("mode") & 0170000, whiteout + " is a character device");
            assertEquals(0L, a.get("rdev"), whiteout + " is 0/0");
        }
        assertTrue(Files.exists(out.resolve("d/new")));
        assertFalse(Files.exists(out.resolve(".wh.gone")));
    }

    @Test
    void whiteoutsAppliedWhenFlattening() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().dir("d", 0755).file("d/old", "o")
                .file("gone", "g").dir("e", 0755).file("e/f", "f").file("e/kept", "k").bytes()), out, Mode.APPLY, Lowers.NONE);
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().file("d/new", "n").file("d/sub/x", "x")
                .file("d/.wh..wh..opq", "").file(".wh.gone", "").file("e/.wh.f", "").bytes()), out, Mode.APPLY, Lowers.NONE);
        assertEquals(Map.of(".", "", "d", "", "d/new", "", "d/sub", "", "d/sub/x", "", "e", "", "e/kept", ""), names(out));
        assertEquals(null, FileCalls.lgetxattr(out.resolve("d").toString(), "trusted.overlay.opaque"));
    }

    @Test
    void climbingOutWithDotDotRefused() throws IOException {
        for (String name : List.of("../escape", "a/../../escape", "./../escape")) {
            refused(new TestTar().file(name, "x").bytes(), "tar entry " + name + ": the path " + name + " climbs out of the layer (..)");
            assertFalse(Files.exists(dir.resolve("escape")), name);
        }
    }

    @Test
    void entryUnderASymlinkRefused() throws IOException {
        Path outside = Files.createDirectory(dir.resolve("outside"));
        refused(new TestTar().symlink("link", outside.toString()).file("link/pwned", "x").bytes(),
                "tar entry link/pwned: its parent link is a symbolic link (an entry may not be written through one)");
        refused(new TestTar().dir("a", 0755).symlink("a/up", "../../../../../../..").dir("a/up/tmp", 0755).bytes(),
                "tar entry a/up/tmp: its parent a/up is a symbolic link (an entry may not be written through one)");
        refused(new TestTar().symlink("link", outside.toString()).hardlink("h", "link/target").bytes(),
                "tar entry h: its parent link is a symbolic link (an entry may not be written through one)");
        try (var left = Files.list(outside)) {
            assertEquals(0, left.count(), "nothing written outside");
        }
    }

    @Test
    void hardlinkOutsideRefused() throws IOException {
        refused(new TestTar().hardlink("h", "../../../../etc/passwd").bytes(),
                "tar entry h: the path ../../../../etc/passwd climbs out of the layer (..)");
        refused(new TestTar().hardlink("h", "/etc/passwd").bytes(),
                "tar entry h: hardlink target /etc/passwd is not in the layer");
    }

    /** A hardlink to a symlink links the symlink itself (link(2) does not follow it), not the file it names. */
    @Test
    void hardlinkToASymlinkDoesNotReachItsTarget() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "original");
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().symlink("s", victim.toString()).hardlink("h", "s")
                .bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertTrue(Files.isSymbolicLink(out.resolve("h")));
        assertEquals(victim.toString(), Files.readSymbolicLink(out.resolve("h")).toString());
        assertEquals(1, (Integer) Files.getAttribute(victim, "unix:nlink"), "no second link to the file outside");
    }

    /**
     * A layer asks for the layers below only when it makes its first directory without an entry: the files before
     * it are written first (layers unpack side by side). That directory, and the root without a "./" entry, then
     * take the attributes of the same directory below; a layer that names all of its directories never asks.
     */
    @Test
    void layersBelowAskedForOnlyByAnImpliedDirectory() throws IOException {
        Path lower = Files.createDirectory(dir.resolve("lower"));
        Files.createDirectory(lower.resolve("d"));
        FileCalls.lchown(lower.resolve("d").toString(), 5, 6);
        FileCalls.chmod(lower.resolve("d").toString(), 0750);
        FileCalls.lutimes(lower.resolve("d").toString(), 1_000_000, 0);
        FileCalls.chmod(lower.toString(), 0711);
        Path out = Files.createDirectory(dir.resolve("out"));
        boolean[] fileFirst = new boolean[1];
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().dir("named", 0700).file("named/f", "f").file("d/x", "x").bytes()),
                out, Mode.OVERLAY, () -> {
                    fileFirst[0] = Files.exists(out.resolve("named/f"));
                    return List.of(lower);
                });
        assertTrue(fileFirst[0], "the files before the implied directory are written before the layers below are asked for");
        assertEquals(0750, (Integer) Files.getAttribute(out.resolve("d"), "unix:mode") & 07777);
        assertEquals(5, (Integer) Files.getAttribute(out.resolve("d"), "unix:uid"));
        assertEquals(6, (Integer) Files.getAttribute(out.resolve("d"), "unix:gid"));
        assertEquals(1_000_000_000L, Files.getLastModifiedTime(out.resolve("d"), LinkOption.NOFOLLOW_LINKS).toMillis());
        assertEquals(0711, (Integer) Files.getAttribute(out, "unix:mode") & 07777, "the root without an entry, as the one below");

        Path named = Files.createDirectory(dir.resolve("named"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().dir(".", 0705).dir("d", 0700).file("d/x", "x").bytes()),
                named, Mode.OVERLAY, () -> {
                    throw new AssertionError("the layers below asked for");
                });
        assertEquals(0705, (Integer) Files.getAttribute(named, "unix:mode") & 07777);
    }

    /** A layer's size, as Docker counts it: its files' bytes (a hard link once) and its symlinks' targets. */
    @Test
    void sizeCountsFilesOnceAndSymlinkTargets() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        long size = LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().dir("d", 0755).file("d/a", "abc")
                .hardlink("d/h", "d/a").symlink("s", "target").file("e", "").bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertEquals(3 + 6, size);
    }

    /** Directories that a layer implies (no entry of their own, nothing below) are 0755 whatever the umask. */
    @Test
    void impliedDirectoriesAre0755UnderAnyUmask() throws Exception {
        Path tar = Files.write(dir.resolve("layer.tar"), new TestTar().file("implied/deeper/file", "x").bytes());
        Path out = Files.createDirectory(dir.resolve("out"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        run("sh", "-c", "umask 077 && exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" \"$2\" \"$3\" \"$4\"", java,
                System.getProperty("java.class.path"), Unpack.class.getName(), tar.toString(), out.toString());
        assertEquals("x", Files.readString(out.resolve("implied/deeper/file")));
        for (String d : List.of("implied", "implied/deeper"))
            assertEquals(0755, (Integer) Files.getAttribute(out.resolve(d), "unix:mode") & 07777, d);
    }

    /** Unpacks a tar file into a directory, in a JVM of its own (another umask). */
    static final class Unpack {
        public static void main(String[] args) throws IOException {
            try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                LayerUnpacker.unpack(in, Path.of(args[1]), Mode.OVERLAY, Lowers.NONE);
            }
        }
    }

    /** Symlink targets byte for byte: a trailing slash (the target must be a directory) is kept. */
    @Test
    void symlinkTargetsKeptExactly() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().symlink("s", "usr//lib/").bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertEquals("usr//lib/\n", run("readlink", out.resolve("s").toString()));
    }

    /** As Docker does: a leading "/" is dropped, so the entry lands inside the layer. */
    @Test
    void absoluteNameLandsInside() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().file("/abs/file", "x").bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertEquals("x", Files.readString(out.resolve("abs/file")));
    }

    /** Names are UTF-8 bytes, in the header and in PAX path records (the JVM runs with a UTF-8 locale). */
    @Test
    void utf8NamesKept() throws IOException {
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().file("café/naïve", "x")
                .entry("ignored", '0', 0644, 0, 0, 1, "y".getBytes(), "", TestTar.pax("path", "日本/語".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertEquals("x", Files.readString(out.resolve("café/naïve")));
        assertEquals("y", Files.readString(out.resolve("日本/語")));
    }

    /** A file whose name an earlier entry made a symlink replaces the symlink; the symlink's target is untouched. */
    @Test
    void fileReplacesSymlinkRatherThanWritingThroughIt() throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "original");
        Path out = Files.createDirectory(dir.resolve("out"));
        LayerUnpacker.unpack(new ByteArrayInputStream(new TestTar().symlink("f", victim.toString())
                .file("f", "replaced").bytes()), out, Mode.OVERLAY, Lowers.NONE);
        assertEquals("original", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(out.resolve("f")));
        assertEquals("replaced", Files.readString(out.resolve("f")));
    }

    /** Through the layer store: the refusal names the layer and the entry, and no layer or temporary is kept. */
    private void refused(byte[] tar, String message) throws IOException {
        ImageStore store = new ImageStore(dir.resolve("root"));
        Digest blob = store.blobs().put(tar);
        Descriptor d = new Descriptor(MediaTypes.OCI_LAYER, blob, tar.length);
        ImageException e = assertThrows(ImageException.class, () -> store.layers().unpack(store.layers().describe(List.of(d), List.of(blob))));
        assertEquals("layer " + blob + ": " + message, e.getMessage());
        assertEquals(Map.of(), names(store.root().layers()), "no layer kept");
        assertEquals(Map.of(), names(store.root().tmp()), "no temporary directory kept");
    }

    /** Relative paths under a directory (not the directory itself when empty). */
    private static Map<String, String> names(Path root) throws IOException {
        Map<String, String> names = new java.util.TreeMap<>();
        try (var walk = Files.walk(root)) {
            walk.forEach(p -> names.put(root.relativize(p).toString().isEmpty() ? "." : root.relativize(p).toString(), ""));
        }
        if (names.size() == 1) return Map.of();
        return names;
    }

    /** Files of every type with owners, special mode bits, xattrs, a capability, hardlinks, long names and mtimes. */
    private Path sampleTree() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Path bin = Files.createDirectories(src.resolve("bin"));
        Files.writeString(bin.resolve("ping"), "#!/bin/sh\n");
        run("setcap", "cap_net_raw+ep", bin.resolve("ping").toString());
        Files.writeString(bin.resolve("su"), "setuid");
        FileCalls.lchown(bin.resolve("su").toString(), 0, 0);
        FileCalls.chmod(bin.resolve("su").toString(), 04755);
        Files.writeString(bin.resolve("wall"), "setgid");
        FileCalls.lchown(bin.resolve("wall").toString(), 0, 5);
        FileCalls.chmod(bin.resolve("wall").toString(), 02755);
        Path tmp = Files.createDirectory(src.resolve("tmp"));
        FileCalls.chmod(tmp.toString(), 01777);
        Path home = Files.createDirectories(src.resolve("home/user"));
        Files.writeString(home.resolve("notes"), "mine");
        FileCalls.lchown(home.resolve("notes").toString(), 1000, 1000);
        FileCalls.lchown(home.toString(), 1000, 1000);
        FileCalls.chmod(home.resolve("notes").toString(), 0600);
        Files.createLink(home.resolve("notes-link"), home.resolve("notes"));
        Files.writeString(home.resolve("blob"), "x");
        FileCalls.lsetxattr(home.resolve("blob").toString(), "user.binary", new byte[] {(byte) 0xff, 0, (byte) 0xfe, 1, (byte) 0x80});
        Path dev = Files.createDirectory(src.resolve("dev"));
        FileCalls.mknod(dev.resolve("null").toString(), 0020666, 1, 3);
        FileCalls.mknod(dev.resolve("loop9").toString(), 0060660, 7, 9);
        FileCalls.mknod(dev.resolve("fifo").toString(), 0010640, 0, 0);
        Files.createSymbolicLink(src.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(src.resolve("rel"), Path.of("bin/su"));
        FileCalls.lchown(src.resolve("rel").toString(), 7, 8);
        String longDir = "long/" + "d".repeat(120) + "/" + "e".repeat(80);
        Files.createDirectories(src.resolve(longDir));
        Files.writeString(src.resolve(longDir + "/file-with-a-long-path"), "long");
        Files.createSymbolicLink(src.resolve("long/link"), Path.of("/" + longDir + "/file-with-a-long-path"));
        Files.createLink(src.resolve("long/hard"), src.resolve(longDir + "/file-with-a-long-path"));
        long t = 1_500_000_000L;
        try (var walk = Files.walk(src)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList())
                FileCalls.lutimes(p.toString(), t++, 0);
        }
        return src;
    }
}
