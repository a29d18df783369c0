package io.capsa.image;

/** An image, blob or layer that capsa refuses, with a message that names it (one line for the user). */
public final class ImageException extends RuntimeException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
