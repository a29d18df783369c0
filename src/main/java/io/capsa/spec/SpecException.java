package io.capsa.spec;

/** A config.json or process.json that cannot be used; the message names the field and the reason. */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message);
    }
}
