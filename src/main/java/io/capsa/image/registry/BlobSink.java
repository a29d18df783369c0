package io.capsa.image.registry;

import io.capsa.image.Digest;

import java.io.IOException;
import java.io.InputStream;

/** Where a pull puts blobs (manifests, configs, layers): the content store. */
public interface BlobSink {
    /** True when the blob is stored and verified already: the pull does not fetch it. */
    boolean has(Digest digest);

    /** The bytes of the blob an earlier write kept when its stream broke: the pull fetches only the rest. */
    default long partialSize(Digest digest) {
        return 0;
    }

    /**
     * Stores the blob of {@code size} bytes: the first {@code offset} kept from an earlier write (0, or what
     * {@link #partialSize} said), the rest read from {@code content}. The stream checks the size, and when
     * {@code offset} is 0 also the digest, and throws an IOException before its end when they are wrong (or the
     * download broke for good); a sink that resumes checks the whole blob's digest itself. A write that throws
     * must leave nothing that {@link #has} or a later reader takes for the blob.
     */
    void write(Digest digest, long size, long offset, InputStream content) throws IOException;
}
