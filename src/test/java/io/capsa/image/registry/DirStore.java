package io.capsa.image.registry;

import io.capsa.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' blob store: {@code blobs/sha256/<hex>} as in an OCI layout (so a umoci layout is a source for a
 * push as it is). A blob becomes visible by rename only after its stream ended without error, as the content
 * store does.
 */
final class DirStore implements BlobSink, BlobSource {
    final Path dir;
    final List<Digest> written = new ArrayList<>();
    /** Reads exactly a blob's size and never asks for the end of the stream, as a store may. */
    private final boolean exactReads;

    DirStore(Path dir) {
        this(dir, false);
    }

    DirStore(Path dir, boolean exactReads) {
        this.dir = dir;
        this.exactReads = exactReads;
        try {
            Files.createDirectories(dir.resolve("blobs/sha256"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path(Digest digest) {
        return dir.resolve("blobs/sha256/" + digest.hex());
    }

    @Override
    public boolean has(Digest digest) {
        return Files.exists(path(digest));
    }

    @Override
    public void write(Digest digest, long size, long offset, InputStream content) throws IOException {
        Path temp = Files.createTempFile(dir, "partial", ".tmp");
        try {
            if (exactReads) Files.write(temp, content.readNBytes((int) size));
            else Files.copy(content, temp, StandardCopyOption.REPLACE_EXISTING);
            if (Files.size(temp) != size) throw new IOException(digest + ": " + Files.size(temp) + " bytes, expected " + size);
            Files.move(temp, path(digest), StandardCopyOption.ATOMIC_MOVE);
            synchronized (written) {
                written.add(digest);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public InputStream open(Digest digest) throws IOException {
        return Files.newInputStream(path(digest));
    }

    /** Blobs and partial files in the store: what a failed pull must not leave. */
    List<String> files() throws IOException {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(dir.resolve("blobs/sha256"))) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        try (var s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
        }
        return names;
    }
}
