package io.capsa.image.unpack;

import io.capsa.image.ImageException;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tar reader for image layers: ustar, GNU long names and links (././@LongLink), PAX extended and global
 * headers, base-256 numbers. Written here because commons-compress decodes PAX values as UTF-8, which
 * corrupts binary xattrs such as security.capability; PAX values stay bytes here until a field is known
 * to be text.
 */
public final class TarReader {
    private static final int BLOCK = 512;
    /** PAX and long-name headers are read into memory: a bound keeps a hostile archive from exhausting it. */
    private static final int MAX_HEADER_DATA = 1 << 20;

    private final InputStream in;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private long remaining; // content bytes of the current entry not yet read
    private int padding; // zero bytes after them, to the next block
    private boolean ended;

    public TarReader(InputStream in) {
        this.in = in;
    }

    /** The next entry, or null at the end of the archive (two zero blocks, or the end of the stream). */
    public TarEntry next() throws IOException {
        skipContent();
        String longName = null, longLink = null;
        Map<String, byte[]> pax = new HashMap<>(globalPax);
        while (true) {
            if (!readHeader()) return null;
            char type = (char) header[156];
            long size = number(124, 12, "size");
            switch (type) {
                case 'L' -> longName = cString(readData(size, "GNU long name"));
                case 'K' -> longLink = cString(readData(size, "GNU long link name"));
                case 'x' -> parsePax(readData(size, "PAX header"), pax);
                case 'g' -> {
                    parsePax(readData(size, "PAX global header"), globalPax);
                    pax.putAll(globalPax);
                }
                default -> {
                    return entry(type, size, longName, longLink, pax);
                }
            }
        }
    }

    /** The current entry's content; read it before calling {@link #next} (which skips what is left). */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) return -1;
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) throw new EOFException("the archive ends inside an entry's content");
                remaining -= n;
                return n;
            }
        };
    }

    private TarEntry entry(char type, long headerSize, String longName, String longLink, Map<String, byte[]> pax)
            throws IOException {
        boolean posix = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r' && header[262] == 0;
        String name = text(0, 100);
        if (posix && header[345] != 0) name = text(345, 155) + "/" + name;
        if (longName != null) name = longName;
        String linkName = longLink != null ? longLink : text(157, 100);
        long size = headerSize, uid = number(108, 8, "uid"), gid = number(116, 8, "gid");
        long mtime = number(136, 12, "mtime");
        int nanos = 0;
        String uname = text(265, 32), gname = text(297, 32);
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            String key = e.getKey();
            byte[] v = e.getValue();
            switch (key) {
                case "path" -> name = utf8(v);
                case "linkpath" -> linkName = utf8(v);
                case "size" -> size = paxNumber(key, v);
                case "uid" -> uid = paxNumber(key, v);
                case "gid" -> gid = paxNumber(key, v);
                case "uname" -> uname = utf8(v);
                case "gname" -> gname = utf8(v);
                case "mtime" -> {
                    String t = utf8(v);
                    int dot = t.indexOf('.');
                    mtime = paxNumber(key, (dot < 0 ? t : t.substring(0, dot)).getBytes(StandardCharsets.UTF_8));
                    if (dot >= 0) nanos = fraction(t.substring(dot + 1));
                }
                default -> {
                    if (key.startsWith("SCHILY.xattr.")) xattrs.put(key.substring(13), v);
                    else if (key.startsWith("LIBARCHIVE.xattr.")) xattrs.put(
                            URLDecoder.decode(key.substring(17), StandardCharsets.UTF_8), base64(key, v));
                    else if (key.startsWith("GNU.sparse.")) throw new ImageException(name + ": sparse files are not supported");
                }
            }
        }
        TarEntry.Type entryType = switch (type) {
            case '0', '\0', '7' -> name.endsWith("/") ? TarEntry.Type.DIRECTORY : TarEntry.Type.FILE;
            case '1' -> TarEntry.Type.HARDLINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHAR_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default -> throw new ImageException(name + ": unsupported tar entry type '" + type + "'");
        };
        // Only regular files have content: Go's archive/tar, which wrote most layers, reads a size on any other
        // type as none.
        long content = entryType == TarEntry.Type.FILE ? size : 0;
        remaining = content;
        padding = (int) ((BLOCK - content % BLOCK) % BLOCK);
        int major = (int) number(329, 8, "devmajor"), minor = (int) number(337, 8, "devminor");
        return new TarEntry(name, entryType, (int) number(100, 8, "mode") & 07777, uid, gid, uname, gname, content,
                mtime, nanos, linkName, major, minor, xattrs);
    }

    private void skipContent() throws IOException {
        skipFully(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    /** Reads the next header block; false at the end of the archive. */
    private boolean readHeader() throws IOException {
        if (ended) return false;
        int n = in.readNBytes(header, 0, BLOCK);
        if (n == 0) return endOfArchive();
        if (n < BLOCK) throw new ImageException("truncated tar archive: a header block has " + n + " bytes");
        if (zero(header)) return endOfArchive();
        long stored = number(148, 8, "checksum");
        long unsigned = 0, signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            int b = i >= 148 && i < 156 ? ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed)
            throw new ImageException("invalid tar header (checksum mismatch) at entry " + text(0, 100));
        return true;
    }

    private boolean endOfArchive() {
        ended = true;
        return false;
    }

    private byte[] readData(long size, String what) throws IOException {
        if (size > MAX_HEADER_DATA) throw new ImageException("tar " + what + " of " + size + " bytes is too large");
        byte[] data = in.readNBytes((int) size);
        if (data.length < size) throw new EOFException("the archive ends inside a " + what);
        skipFully((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    /** PAX records: "<length> <key>=<value>\n", the length counting the whole record. */
    private static void parsePax(byte[] data, Map<String, byte[]> into) {
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') space++;
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new ImageException("malformed PAX header: bad record length");
            }
            int end = pos + length;
            int eq = space + 1;
            while (eq < end && data[eq] != '=') eq++;
            if (length <= 0 || end > data.length || eq >= end || data[end - 1] != '\n')
                throw new ImageException("malformed PAX header record");
            String key = new String(data, space + 1, eq - space - 1, StandardCharsets.UTF_8);
            byte[] value = Arrays.copyOfRange(data, eq + 1, end - 1);
            if (value.length == 0) into.remove(key); // an empty value deletes the key (POSIX)
            else into.put(key, value);
            pos = end;
        }
    }

    /** Octal, NUL- or space-terminated; or base-256 (GNU) when the first byte's high bit is set. */
    private long number(int offset, int length, String field) {
        if ((header[offset] & 0x80) != 0) {
            long v = header[offset] & 0x3f;
            if ((header[offset] & 0x40) != 0) throw new ImageException("negative " + field + " in tar header of " + text(0, 100));
            for (int i = 1; i < length; i++) {
                if ((v & 0xff00000000000000L) != 0) throw new ImageException(field + " too large in tar header of " + text(0, 100));
                v = v << 8 | (header[offset + i] & 0xff);
            }
            return v;
        }
        long v = 0;
        int i = offset, end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) i++;
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int d = header[i] - '0';
            if (d < 0 || d > 7) throw new ImageException("invalid " + field + " in tar header of " + text(0, 100));
            v = v << 3 | d;
        }
        return v;
    }

    private static long paxNumber(String key, byte[] v) {
        try {
            long n = Long.parseLong(new String(v, StandardCharsets.US_ASCII));
            if (n < 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ImageException("malformed PAX " + key + ": " + new String(v, StandardCharsets.US_ASCII));
        }
    }

    private static int fraction(String digits) {
        String nine = (digits + "000000000").substring(0, 9);
        try {
            return Integer.parseInt(nine);
        } catch (NumberFormatException e) {
            throw new ImageException("malformed PAX mtime fraction: " + digits);
        }
    }

    private static byte[] base64(String key, byte[] v) {
        try {
            return Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
            throw new ImageException("malformed PAX " + key + ": not base64");
        }
    }

    private String text(int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) end++;
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] v) {
        return new String(v, StandardCharsets.UTF_8);
    }

    private static boolean zero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    /** Reads rather than skips: the stream below may be hashing every byte (a layer's diffID). */
    private void skipFully(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 65536)];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(n, buf.length));
            if (r < 0) throw new EOFException("the archive ends inside an entry's content");
            n -= r;
        }
    }
}
