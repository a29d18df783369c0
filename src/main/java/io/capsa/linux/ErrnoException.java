package io.capsa.linux;

/** A system call that failed: what was attempted, and the errno it failed with. */
public final class ErrnoException extends RuntimeException {
    private final int errno;

    public ErrnoException(String what, int errno) {
        super(what + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
