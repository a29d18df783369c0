package io.capsa.image;

import io.capsa.runtime.CapsaException;

/**
 * An image, blob or layer that capsa refuses, with a message that names it (one line for the user). A caller of
 * {@link Images} catches this one type: registry and reference errors are kinds of it.
 */
public class ImageException extends CapsaException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
