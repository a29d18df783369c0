package io.capsa.image.archive;

import io.capsa.image.unpack.TarEntry;
import io.capsa.image.unpack.TarReader;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The tar writer's file-tree members read back by the tar reader: what ustar cannot hold goes through PAX. */
class TarWriterTest {
    private static final byte[] BINARY = {(byte) 0xff, 0, (byte) 0xfe, '\n', (byte) 0x80};

    @Test
    void longNamesLargeIdsBinaryXattrsAndEveryTypeRoundTrip() throws IOException {
        String longName = "d/" + "é".repeat(80) + "/file";
        String longLink = "../" + "t".repeat(150);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(bytes);
        w.entry(entry("d", TarEntry.Type.DIRECTORY, 0, "", Map.of()), null);
        byte[] content = "content\n".getBytes(StandardCharsets.UTF_8);
        w.entry(new TarEntry(longName, TarEntry.Type.FILE, 04755, 3_000_000_000L, 7, "", "", content.length, 1_600_000_000L, 0, "", 0, 0,
                Map.of("security.capability", BINARY)), new ByteArrayInputStream(content));
        w.entry(entry("link", TarEntry.Type.SYMLINK, 0, longLink, Map.of()), null);
        w.entry(new TarEntry("null", TarEntry.Type.CHAR_DEVICE, 0666, 0, 0, "", "", 0, 0, 0, "", 1, 3, Map.of()), null);
        w.finish();

        TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals("d/", r.next().name());
        TarEntry file = r.next();
        assertEquals(longName, file.name());
        assertEquals(04755, file.mode());
        assertEquals(3_000_000_000L, file.uid());
        assertEquals(7, file.gid());
        assertEquals(1_600_000_000L, file.mtimeSeconds());
        assertArrayEquals(BINARY, file.xattrs().get("security.capability"));
        assertArrayEquals(content, r.content().readAllBytes());
        TarEntry link = r.next();
        assertEquals(TarEntry.Type.SYMLINK, link.type());
        assertEquals(longLink, link.linkName());
        TarEntry device = r.next();
        assertEquals(TarEntry.Type.CHAR_DEVICE, device.type());
        assertEquals(1, device.devMajor());
        assertEquals(3, device.devMinor());
        assertNull(r.next());
    }

    private static TarEntry entry(String name, TarEntry.Type type, int size, String link, Map<String, byte[]> xattrs) {
        return new TarEntry(name, type, 0755, 0, 0, "", "", size, 0, 0, link, 0, 0, xattrs);
    }
}
