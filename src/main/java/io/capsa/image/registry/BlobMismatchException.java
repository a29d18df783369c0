package io.capsa.image.registry;

import java.io.IOException;

/** A blob whose bytes are not what its digest or size says: thrown from the stream a sink reads, before its end. */
public final class BlobMismatchException extends IOException {
    public BlobMismatchException(String message) {
        super(message);
    }
}
