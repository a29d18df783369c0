package io.capsa.image.reference;

import io.capsa.image.ImageException;

/** A malformed image reference or digest; the message names it and says what is wrong, on one line. */
public final class ReferenceException extends ImageException {
    public ReferenceException(String message) {
        super(message);
    }
}
