package io.capsa.image.store;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.registry.BlobMismatchException;
import io.capsa.image.registry.BlobSink;
import io.capsa.image.registry.BlobSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Blobs by digest under blobs/sha256/<hex>. A blob becomes visible only complete and verified: it is
 * written to a temporary file on the same file system, its digest and size checked, synced, then renamed
 * into place; a reader never sees a partial blob, and a crash leaves only a temporary file for the garbage
 * collector.
 */
public final class ContentStore implements BlobSink, BlobSource {
    private final DataRoot root;

    ContentStore(DataRoot root) {
        this.root = root;
    }

    @Override
    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** Where the blob is; the store keeps sha256 blobs only (its directory is blobs/sha256). */
    public Path path(Digest digest) {
        if (!digest.algorithm().equals(Digest.SHA256))
            throw new ImageException("blob " + digest + ": the store keeps sha256 blobs only");
        return root.blobs().resolve(digest.hex());
    }

    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            throw missing(digest, e);
        }
    }

    @Override
    public InputStream open(Digest digest) {
        try {
            return Files.newInputStream(path(digest));
        } catch (IOException e) {
            throw missing(digest, e);
        }
    }

    public byte[] read(Digest digest) {
        try {
            return Files.readAllBytes(path(digest));
        } catch (IOException e) {
            throw missing(digest, e);
        }
    }

    /**
     * Stores a blob read from the stream, which must hold exactly {@code size} bytes hashing to {@code digest};
     * anything else is refused, naming the blob, and nothing is kept. A blob already present is not read
     * again (the caller should ask {@link #has} before fetching it at all).
     */
    public Path ingest(InputStream in, Digest digest, long size) {
        return ingest(in, digest, size, 0);
    }

    /**
     * Bytes of a blob that an interrupted ingest kept (its stream failed or ended early): a caller that can
     * fetch the rest (an HTTP Range request) passes this as the offset of {@link #ingest(InputStream, Digest,
     * long, long)}; 0 when there are none.
     */
    @Override
    public long partialSize(Digest digest) {
        try {
            return Files.size(partial(digest));
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * Stores a blob whose first {@code offset} bytes an interrupted ingest kept ({@link #partialSize}); the
     * stream holds the rest. Offset 0 starts over. The whole blob is verified as {@link #ingest(InputStream,
     * Digest, long)} does. If the stream fails or ends early, what it gave is kept for the next try; a blob
     * found too long or with another digest is removed. Two ingests of one blob take turns: the second
     * finds the blob present.
     */
    public Path ingest(InputStream in, Digest digest, long size, long offset) {
        Path target = path(digest);
        if (Files.isRegularFile(target)) return target;
        if (size < 0) throw new ImageException("blob " + digest + ": size " + size + " is invalid");
        Path partial = partial(digest);
        try (Lease gc = root.lock().shared();
             Lease turn = StoreLock.of(root.locks().resolve(digest.hex())).exclusive()) {
            if (Files.isRegularFile(target)) return target;
            long have = partialSize(digest);
            if (offset != 0 && offset != have)
                throw new ImageException("blob " + digest + ": cannot resume at byte " + offset + ": " + have + " bytes are kept");
            boolean keep = false;
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                channel.truncate(offset);
                MessageDigest sha = Digest.sha256();
                long written = hashKept(channel, sha, offset);
                try {
                    written += copy(in, channel, sha, size - offset);
                } catch (IOException interrupted) {
                    keep = true;
                    throw interrupted;
                }
                if (written > size) throw new ImageException("blob " + digest + ": size mismatch: more than the expected " + size + " bytes");
                channel.force(true);
                if (written < size) {
                    keep = true;
                    throw new ImageException("blob " + digest + ": size mismatch: expected " + size + " bytes, got " + written
                            + " (kept, to resume)");
                }
                Digest actual = Digest.of(sha);
                if (!actual.equals(digest))
                    throw new ImageException("blob " + digest + ": digest mismatch: the content is " + actual);
                keep = true; // verified: renamed into place below
            } finally {
                if (!keep) Files.deleteIfExists(partial);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            FileTrees.syncDirectory(root.blobs());
            return target;
        } catch (IOException e) {
            throw new ImageException("blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /**
     * A pull's ingest: the stream's own failures (a broken download, {@link BlobMismatchException}) come out as
     * they are, for the client to name the blob and registry. Bytes of a download that broke are kept to resume
     * ({@link #partialSize}); those of a blob found wrong are not.
     */
    @Override
    public void write(Digest digest, long size, long offset, InputStream content) throws IOException {
        try {
            ingest(content, digest, size, offset);
        } catch (ImageException e) {
            if (e.getCause() instanceof BlobMismatchException wrong) {
                try (Lease gc = root.lock().shared(); Lease turn = StoreLock.of(root.locks().resolve(digest.hex())).exclusive()) {
                    Files.deleteIfExists(partial(digest));
                }
                throw wrong;
            }
            if (e.getCause() instanceof IOException broken) throw broken;
            throw e;
        }
    }

    /** Stores bytes made here (a manifest, a config) and returns their digest. */
    public Digest put(byte[] content) {
        Digest digest = Digest.of(content);
        ingest(new ByteArrayInputStream(content), digest, content.length);
        return digest;
    }

    public void delete(Digest digest) {
        try {
            Files.deleteIfExists(path(digest));
        } catch (IOException e) {
            throw new ImageException("blob " + digest + ": cannot delete: " + e.getMessage(), e);
        }
    }

    public List<Digest> list() {
        List<Digest> digests = new ArrayList<>();
        try (var files = Files.newDirectoryStream(root.blobs())) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (Digest.isSha256Hex(name)) digests.add(new Digest(Digest.SHA256, name));
            }
        } catch (IOException e) {
            throw new ImageException(root.blobs() + ": " + e.getMessage(), e);
        }
        return digests;
    }

    /** Where an ingest writes, under tmp/: one name per blob, so that a later ingest can resume it. */
    private Path partial(Digest digest) {
        return root.tmp().resolve("ingest-" + digest.hex());
    }

    /** Hashes the bytes an earlier ingest kept; leaves the channel's position after them. */
    private static long hashKept(FileChannel channel, MessageDigest sha, long kept) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(65536);
        channel.position(0);
        long total = 0;
        while (total < kept) {
            buf.clear().limit((int) Math.min(buf.capacity(), kept - total));
            int n = channel.read(buf);
            if (n < 0) break;
            sha.update(buf.array(), 0, n);
            total += n;
        }
        return total;
    }

    /** Copies at most size + 1 bytes (one more tells an over-long stream), hashing them. */
    private static long copy(InputStream in, FileChannel channel, MessageDigest sha, long size) throws IOException {
        OutputStream out = Channels.newOutputStream(channel);
        byte[] buf = new byte[65536];
        long total = 0;
        int n;
        while ((n = in.read(buf, 0, (int) Math.min(buf.length, size + 1 - total))) > 0) {
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static ImageException missing(Digest digest, IOException e) {
        if (e instanceof NoSuchFileException) return new ImageException("blob " + digest + ": not in the store");
        return new ImageException("blob " + digest + ": " + e.getMessage(), e);
    }
}
