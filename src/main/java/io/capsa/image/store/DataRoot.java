package io.capsa.image.store;

import io.capsa.image.ImageException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image side of a data root: blobs/sha256, layers (one directory per chain ID), tmp (partial ingests
 * and unpacks, on the same file system so that renames are atomic), l (short links to layers), locks,
 * images.json and its lock, and gc.lock.
 */
public final class DataRoot {
    public static final Path DEFAULT = Path.of("/var/lib/capsa");

    private final Path dir;

    public DataRoot(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(blobs());
            Files.createDirectories(layers());
            Files.createDirectories(layerSizes());
            Files.createDirectories(tmp());
            Files.createDirectories(locks());
            Files.createDirectories(shortLinks());
        } catch (IOException e) {
            throw new ImageException("data root " + this.dir + ": " + e.getMessage(), e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Path blobs() {
        return dir.resolve("blobs/sha256");
    }

    public Path layers() {
        return dir.resolve("layers");
    }

    /** Each unpacked layer's size, recorded when it was unpacked (layer-sizes/<chain ID hex>). */
    Path layerSizes() {
        return dir.resolve("layer-sizes");
    }

    public Path tmp() {
        return dir.resolve("tmp");
    }

    /** Short symlinks to layer directories, for overlay mounts of many layers. */
    Path shortLinks() {
        return dir.resolve("l");
    }

    /** One lock file per blob being ingested, so that two ingests of it take turns. */
    Path locks() {
        return dir.resolve("locks");
    }

    public Path images() {
        return dir.resolve("images.json");
    }

    Path imagesLock() {
        return dir.resolve("images.lock");
    }

    StoreLock lock() {
        return StoreLock.of(dir.resolve("gc.lock"));
    }
}
