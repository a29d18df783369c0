package io.capsa.cli;

/** A command line capsa cannot parse: one line for the user, no stack trace, Exit.USAGE. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
