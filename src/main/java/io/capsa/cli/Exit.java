package io.capsa.cli;

/** capsa's own exit codes; a container's code is passed through as it is. */
final class Exit {
    private Exit() {}

    static final int OK = 0;
    /** A runtime error, as docker and podman use 125. */
    static final int RUNTIME_ERROR = 125;
    static final int USAGE = 125;
}
