package io.capsa.engine.config;

/** Finds another container for a --pid=container:X and the like. */
public interface ContainerResolver {
    /** The pid of the running container's init; throws CapsaException with a clear message otherwise. */
    int runningPid(String nameOrId);
}
