package io.capsa.image.store;

import io.capsa.image.Digest;
import io.capsa.image.ImageException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
public final class ContentStore {
    private final DataRoot root;

    ContentStore(DataRoot root) {
        this.root = root;
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    public Path path(Digest digest) {
        return root.blobs().resolve(digest.hex());
    }

    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (IOException e) {
            throw missing(digest, e);
        }
    }

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
        Path target = path(digest);
        if (Files.isRegularFile(target)) return target;
        if (size < 0) throw new ImageException("blob " + digest + ": size " + size + " is invalid");
        try (Lease lease = root.lock().shared()) {
            Path temp = Files.createTempFile(root.tmp(), "ingest-" + digest.hex().substring(0, 12) + "-", "");
            try {
                MessageDigest sha = Digest.sha256();
                long written = copy(in, temp, sha, size, digest);
                if (written != size)
                    throw new ImageException("blob " + digest + ": size mismatch: expected " + size + " bytes, got " + written);
                Digest actual = Digest.of(sha);
                if (!actual.equals(digest))
                    throw new ImageException("blob " + digest + ": digest mismatch: the content is " + actual);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                FileTrees.syncDirectory(root.blobs());
                return target;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ImageException("blob " + digest + ": " + e.getMessage(), e);
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
                if (name.length() == 64) digests.add(new Digest(name));
            }
        } catch (IOException e) {
            throw new ImageException(root.blobs() + ": " + e.getMessage(), e);
        }
        return digests;
    }

    /** Copies at most size + 1 bytes (one more tells an over-long stream), hashing them, then syncs the file. */
    private static long copy(InputStream in, Path temp, MessageDigest sha, long size, Digest digest) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            OutputStream out = Channels.newOutputStream(channel);
            byte[] buf = new byte[65536];
            long total = 0;
            int n;
            while ((n = in.read(buf, 0, (int) Math.min(buf.length, size + 1 - total))) > 0) {
                sha.update(buf, 0, n);
                out.write(buf, 0, n);
                total += n;
                if (total > size) throw new ImageException("blob " + digest + ": size mismatch: more than the expected " + size + " bytes");
            }
            channel.force(true);
            return total;
        }
    }

    private static ImageException missing(Digest digest, IOException e) {
        if (e instanceof NoSuchFileException) return new ImageException("blob " + digest + ": not in the store");
        return new ImageException("blob " + digest + ": " + e.getMessage(), e);
    }
}
