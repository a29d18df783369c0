package io.capsa.cli;

/** capsa's own exit codes; a container's code is passed through as it is. */
public final class Exit {
    private Exit() {}

    public static final int OK = 0;
    /** A runtime error, as docker and podman use 125. */
    public static final int RUNTIME_ERROR = 125;
    public static final int USAGE = 125;
}
