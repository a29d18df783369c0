package io.capsa.image.registry;

import io.capsa.image.Digest;

import java.io.IOException;
import java.io.InputStream;

/** Where a pull puts blobs (manifests, configs, layers): the content store. */
public interface BlobSink {
    /** True when the blob is stored and verified already: the pull does not fetch it. */
    boolean has(Digest digest);

    /**
     * Stores {@code size} bytes read from {@code content} under {@code digest}. The stream checks size and digest
     * itself and throws an IOException before its end when they are wrong (or the download broke for good);
     * a write that throws must leave nothing that {@link #has} or a later reader takes for the blob.
     */
    void write(Digest digest, long size, InputStream content) throws IOException;
}
