package io.capsa.image.archive;

import io.capsa.image.ImageException;
import io.capsa.image.store.ImageStore;
import io.capsa.runtime.BuildOutput;

import java.nio.file.Path;

/**
 * The busybox image the build makes (target/busybox.oci.tar), which a data root holds from its first use so
 * that `run busybox` works offline. Two processes that find it missing at once both load it: each blob is
 * ingested once (the other finds it present) and both record the same manifest, so the race is harmless.
 */
public final class DefaultImage {
    public static final String NAME = "docker.io/library/busybox:latest";

    private DefaultImage() {}

    /** The archive the build wrote next to capsa.jar (target/busybox.oci.tar). */
    public static Path bundledArchive() {
        return BuildOutput.file("busybox.oci.tar");
    }

    /** Loads the archive unless the store has the image's name already; true if it loaded it. */
    public static boolean ensureLoaded(ImageStore store, Path archive) {
        if (store.images().get(NAME).isPresent()) return false;
        for (LoadedImage image : ArchiveLoader.load(store, archive))
            if (image.names().contains(NAME)) return true;
        throw new ImageException(archive + " holds no image named " + NAME);
    }
}
