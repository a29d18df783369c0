package io.capsa.image.archive;

import io.capsa.image.ImageException;
import io.capsa.image.unpack.TarEntry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes ustar archives. Image tarballs are plain: regular files and directories with short names (an
 * archive's own names are at most "blobs/sha256/<64 hex>"), owner 0:0, mtime 0, so that equal images give
 * equal bytes. File trees ({@link #entry}) keep every member's type, owner, mode and time, with a PAX header
 * for what ustar cannot hold (long names and link targets, large ids), as Docker's archives do.
 */
public final class TarWriter {
    private static final int BLOCK = 512;
    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name) throws IOException {
        header(name + "/", '5', 0755, 0, 0, 0, "", 0, 0, 0);
    }

    void file(String name, byte[] content) throws IOException {
        header(name, '0', 0644, 0, 0, 0, "", 0, 0, content.length);
        out.write(content);
        pad(content.length);
    }

    /** A file of exactly size bytes from the stream. */
    void file(String name, InputStream content, long size) throws IOException {
        header(name, '0', 0644, 0, 0, 0, "", 0, 0, size);
        copy(name, content, size);
    }

    /** One member of a file tree; content (exactly entry.size() bytes) only for a regular file. */
    public void entry(TarEntry e, InputStream content) throws IOException {
        String name = e.type() == TarEntry.Type.DIRECTORY && !e.name().endsWith("/") ? e.name() + "/" : e.name();
        Map<String, byte[]> pax = new LinkedHashMap<>();
        if (name.getBytes(StandardCharsets.UTF_8).length > 100) pax.put("path", utf8(name));
        if (e.linkName().getBytes(StandardCharsets.UTF_8).length > 100) pax.put("linkpath", utf8(e.linkName()));
        if (e.uid() > MAX_ID) pax.put("uid", utf8(Long.toString(e.uid())));
        if (e.gid() > MAX_ID) pax.put("gid", utf8(Long.toString(e.gid())));
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) pax.put("SCHILY.xattr." + x.getKey(), x.getValue());
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            header(shortened("PaxHeaders/" + name), 'x', 0644, 0, 0, 0, "", 0, 0, records.length);
            out.write(records);
            pad(records.length);
        }
        long size = e.type() == TarEntry.Type.FILE ? e.size() : 0;
        header(shortened(name), TYPES[e.type().ordinal()], e.mode(), Math.min(e.uid(), MAX_ID), Math.min(e.gid(), MAX_ID),
                e.mtimeSeconds(), shortened(e.linkName()), e.devMajor(), e.devMinor(), size);
        if (size > 0) copy(name, content, size);
    }

    /** The typeflag of each {@link TarEntry.Type}, in its order. */
    private static final char[] TYPES = {'0', '1', '2', '3', '4', '5', '6'};
    private static final long MAX_ID = 07777777;

    /** What fits ustar's 100 bytes of a name, when a PAX record holds the whole. */
    private static String shortened(String name) {
        String s = name;
        while (s.getBytes(StandardCharsets.UTF_8).length > 100) s = s.substring(0, s.length() - 1);
        return s;
    }

    /** PAX records: "LEN key=value\n", LEN counting itself; values byte for byte (an xattr's are binary). */
    private static byte[] paxRecords(Map<String, byte[]> pax) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> p : pax.entrySet()) {
            int len = 1 + utf8(p.getKey()).length + 1 + p.getValue().length + 1; // " key=value\n"
            int total = len + Integer.toString(len).length();
            if (Integer.toString(total).length() > Integer.toString(len).length()) total++;
            all.writeBytes(utf8(total + " " + p.getKey() + "="));
            all.writeBytes(p.getValue());
            all.write('\n');
        }
        return all.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void copy(String name, InputStream content, long size) throws IOException {
        byte[] buf = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = content.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) throw new ImageException(name + ": ended " + left + " bytes short of its " + size + " bytes");
            out.write(buf, 0, n);
            left -= n;
        }
        pad(size);
    }

    private void header(String name, char type, int mode, long uid, long gid, long mtime, String link, int major, int minor,
                        long size) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.max(mtime, 0));
        h[156] = (byte) type;
        byte[] l = link.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(l, 0, h, 157, Math.min(l.length, 100));
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
        if (type == '3' || type == '4') {
            octal(h, 329, 8, major);
            octal(h, 337, 8, minor);
        }
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        out.write(h);
    }

    /** length - 1 octal digits and a NUL; a size beyond them (8 GiB) in base-256, as GNU tar and Go write it. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            for (int i = length - 1; i > 0; i--, value >>>= 8) h[offset + i] = (byte) value;
            h[offset] = (byte) 0x80;
            return;
        }
        digits = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(digits.getBytes(StandardCharsets.US_ASCII), 0, h, offset, length - 1);
    }

    private void pad(long size) throws IOException {
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
    }

    /** The two zero blocks that end an archive: written only when all went well, so a failed save does not look whole. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }
}
