package io.capsa.image.registry;

import io.capsa.image.ImageException;

/** A pull, push or login that failed, with one line for the user: which registry or image, and why. */
public final class RegistryException extends ImageException {
    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
