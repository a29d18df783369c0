package io.capsa.image.unpack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * A layer blob's uncompressed tar. The format is told by the magic bytes, as Docker and containerd do,
 * rather than by the media type: registries and tools mislabel layers (gzip under a "tar" type), and the
 * bytes cannot lie.
 */
public final class Decompression {
    private Decompression() {}

    /** What a blob is compressed with, by its first bytes (four are enough). */
    public enum Compression { NONE, GZIP, ZSTD }

    public static Compression of(byte[] magic) {
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) return Compression.GZIP;
        if (magic.length >= 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) return Compression.ZSTD;
        return Compression.NONE;
    }

    public static InputStream open(InputStream blob) throws IOException {
        BufferedInputStream in = new BufferedInputStream(blob, 65536);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        return switch (of(magic)) {
            case GZIP -> new GZIPInputStream(in, 65536);
            case ZSTD -> Zstd.open(in);
            case NONE -> in;
        };
    }

    /** Its own class, so that aircompressor's classes load only for a zstd layer. */
    private static final class Zstd {
        static InputStream open(InputStream in) {
            return new io.airlift.compress.v3.zstd.ZstdJavaInputStream(in);
        }
    }
}
