package io.capsa.cli;

/** A command line capsa cannot parse: one line for the user, no stack trace, Exit.USAGE. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
