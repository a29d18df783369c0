package io.capsa.engine.config;

/** How the spec finds another container for `container:X` modes. */
public interface ContainerResolver {
    /** The host pid of the running container's init; throws CapsaException with a clear message when there is none. */
    int runningPid(String nameOrId);
}
