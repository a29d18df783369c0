package io.capsa.runtime;

/** A runtime error to report on one line; the CLI prints it and exits with 125 unless told otherwise. */
public class CapsaException extends RuntimeException {
    public CapsaException(String message) {
        super(message);
    }

    public CapsaException(String message, Throwable cause) {
        super(message, cause);
    }
}
