package io.capsa.image.archive;

import io.capsa.image.ImageException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the plain ustar archives image tarballs are: regular files and directories with short names (an
 * archive's own names are at most "blobs/sha256/<64 hex>"), owner 0:0, mtime 0, so that equal images give
 * equal bytes.
 */
final class TarWriter {
    private static final int BLOCK = 512;
    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void directory(String name) throws IOException {
        header(name + "/", '5', 0755, 0);
    }

    void file(String name, byte[] content) throws IOException {
        header(name, '0', 0644, content.length);
        out.write(content);
        pad(content.length);
    }

    /** A file of exactly size bytes from the stream. */
    void file(String name, InputStream content, long size) throws IOException {
        header(name, '0', 0644, size);
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

    private void header(String name, char type, int mode, long size) throws IOException {
        byte[] h = new byte[BLOCK];
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > 100) throw new IllegalArgumentException("tar name longer than 100 bytes: " + name);
        System.arraycopy(n, 0, h, 0, n.length);
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, 0);
        h[156] = (byte) type;
        System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
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
    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }
}
