package io.capsa.image.registry;

import io.capsa.image.Descriptor;

/**
 * What a pull or push reports per blob (config and layers), for a CLI to render. Layers move in parallel: the
 * methods are called from several threads, and {@link #bytes} often (each read), so keep them cheap.
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {};

    /** The blob is present already (in the store on a pull, in the registry on a push): no bytes move. */
    default void skipped(Descriptor blob) {}

    default void started(Descriptor blob) {}

    /** {@code done} bytes of {@code blob.size()} so far; after an interrupted download resumes, it goes on from there. */
    default void bytes(Descriptor blob, long done) {}

    /** Fully moved and its digest checked. */
    default void done(Descriptor blob) {}

    /** Mounted from another repository of the same registry on a push: no bytes moved. */
    default void mounted(Descriptor blob, String fromRepository) {}
}
