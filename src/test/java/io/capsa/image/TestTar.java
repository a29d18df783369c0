package io.capsa.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The tests' own tar writer, for archives that GNU tar will not make (names with "..", links out). */
public final class TestTar {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public TestTar dir(String name, int mode) {
        return entry(name, '5', mode, 0, 0, 1_600_000_000L, new byte[0], "", Map.of());
    }

    public TestTar file(String name, String content) {
        return entry(name, '0', 0644, 0, 0, 1_600_000_000L, content.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    public TestTar symlink(String name, String target) {
        return entry(name, '2', 0777, 0, 0, 1_600_000_000L, new byte[0], target, Map.of());
    }

    public TestTar hardlink(String name, String target) {
        return entry(name, '1', 0644, 0, 0, 1_600_000_000L, new byte[0], target, Map.of());
    }

    /** A GNU long-name header (././@LongLink) before the entry. */
    public TestTar longName(String name, String content) {
        byte[] bytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        header("././@LongLink", 'L', 0, 0, 0, 0, bytes.length, "");
        data(bytes);
        return entry(name.substring(0, 99), '0', 0644, 0, 0, 1_600_000_000L, content.getBytes(StandardCharsets.UTF_8), "", Map.of());
    }

    /** Any entry, with PAX records (written as an 'x' header before it) when pax is not empty. */
    public TestTar entry(String name, char type, int mode, long uid, long gid, long mtime, byte[] content, String link,
                         Map<String, byte[]> pax) {
        if (!pax.isEmpty()) {
            ByteArrayOutputStream records = new ByteArrayOutputStream();
            for (Map.Entry<String, byte[]> r : pax.entrySet()) {
                byte[] key = r.getKey().getBytes(StandardCharsets.UTF_8);
                int body = 1 + key.length + 1 + r.getValue().length + 1;
                int length = body + String.valueOf(body).length();
                if (String.valueOf(length).length() != String.valueOf(body).length()) length++;
                records.writeBytes((length + " ").getBytes(StandardCharsets.US_ASCII));
                records.writeBytes(key);
                records.write('=');
                records.writeBytes(r.getValue());
                records.write('\n');
            }
            header("PaxHeaders/x", 'x', 0644, 0, 0, 0, records.size(), "");
            data(records.toByteArray());
        }
        header(name, type, mode, uid, gid, mtime, content.length, link);
        data(content);
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(new byte[1024]);
        return all.toByteArray();
    }

    /** Raw header bytes, so that a test can corrupt them. */
    public TestTar raw(byte[] block) {
        out.writeBytes(block);
        return this;
    }

    private void header(String name, char type, int mode, long uid, long gid, long mtime, long size, String link) {
        byte[] h = new byte[512];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, uid);
        octal(h, 116, 8, gid);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 8, "ustar\u000000".getBytes(StandardCharsets.US_ASCII));
        for (int i = 148; i < 156; i++) h[i] = ' ';
        long sum = 0;
        for (byte b : h) sum += b & 0xff;
        octal(h, 148, 7, sum);
        out.writeBytes(h);
    }

    private void data(byte[] content) {
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String s = Long.toOctalString(value);
        s = "0".repeat(Math.max(0, length - 1 - s.length())) + s;
        put(h, offset, length - 1, s.getBytes(StandardCharsets.US_ASCII));
    }

    public static Map<String, byte[]> pax(String key, byte[] value) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put(key, value);
        return m;
    }
}
