package io.capsa.image.registry;

import io.capsa.image.Digest;

import java.io.IOException;
import java.io.InputStream;

/** Where a push reads blobs from (manifests, configs, layers): the content store. */
public interface BlobSource {
    /** The blob's bytes; the push counts and checks them against the digest and size the manifest gives. */
    InputStream open(Digest digest) throws IOException;
}
