package io.capsa.image;

import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TarReaderTest {
    private static final byte[] BINARY = {(byte) 0xff, 0, (byte) 0xfe, 1, (byte) 0x80};

    @Test
    void binaryPaxXattrKeptByteForByte() throws IOException {
        byte[] tar = new TestTar().entry("bin/ping", '0', 04755, 0, 0, 1_600_000_000L, "x".getBytes(), "",
                TestTar.pax("SCHILY.xattr.security.capability", BINARY)).bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        TarEntry e = r.next();
        assertEquals("bin/ping", e.name());
        assertEquals(04755, e.mode());
        assertArrayEquals(BINARY, e.xattrs().get("security.capability"));
        assertNull(r.next());
    }

    @Test
    void paxOverridesPathSizeOwnersAndMtime() throws IOException {
        Map<String, byte[]> pax = new java.util.LinkedHashMap<>();
        String longPath = "d/" + "n".repeat(200);
        pax.put("path", longPath.getBytes(StandardCharsets.UTF_8));
        pax.put("uid", "4294967294".getBytes());
        pax.put("gid", "3000000000".getBytes());
        pax.put("uname", "nobody".getBytes());
        pax.put("mtime", "1600000000.25".getBytes());
        byte[] tar = new TestTar().entry("short", '0', 0600, 0, 0, 1, "abc".getBytes(), "", pax).file("next", "z").bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        TarEntry e = r.next();
        assertEquals(longPath, e.name());
        assertEquals(4294967294L, e.uid());
        assertEquals(3000000000L, e.gid());
        assertEquals("nobody", e.uname());
        assertEquals(1_600_000_000L, e.mtimeSeconds());
        assertEquals(250_000_000, e.mtimeNanos());
        assertEquals("abc", new String(r.content().readAllBytes()));
        assertEquals("next", r.next().name(), "the PAX header applies to one entry only");
    }

    @Test
    void gnuLongNamesAndUnreadContentSkipped() throws IOException {
        String name = "a/" + "b".repeat(150) + "/file";
        byte[] tar = new TestTar().longName(name, "content").symlink("s", "target").bytes();
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        assertEquals(name, r.next().name());
        TarEntry s = r.next();
        assertEquals(TarEntry.Type.SYMLINK, s.type());
        assertEquals("target", s.linkName());
    }

    @Test
    void corruptHeaderRefused() {
        byte[] tar = new TestTar().file("f", "x").bytes();
        tar[0] = 'g'; // the checksum no longer matches
        ImageException e = assertThrows(ImageException.class, () -> new TarReader(new ByteArrayInputStream(tar)).next());
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void truncatedContentRefused() throws IOException {
        byte[] full = new TestTar().file("f", "x".repeat(2000)).bytes();
        byte[] tar = java.util.Arrays.copyOf(full, 1000);
        TarReader r = new TarReader(new ByteArrayInputStream(tar));
        r.next();
        assertThrows(IOException.class, () -> r.content().readAllBytes());
    }
}
