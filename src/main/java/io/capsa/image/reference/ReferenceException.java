package io.capsa.image.reference;

import io.capsa.runtime.CapsaException;

/** A malformed image reference or digest; the message names it and says what is wrong, on one line. */
public final class ReferenceException extends CapsaException {
    public ReferenceException(String message) {
        super(message);
    }
}
