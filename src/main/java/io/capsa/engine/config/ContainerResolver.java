package io.capsa.engine.config;

import java.nio.file.Path;

/** How the spec finds another container for `container:X` modes. */
public interface ContainerResolver {
    /** The host pid of the running container's init; throws CapsaException with a clear message when there is none. */
    int runningPid(String nameOrId);

    /**
     * The directory of the running container (its config.json says what it mounts: the /etc files and /dev/shm
     * that a container joining its network or IPC namespace shares); throws as runningPid.
     */
    Path runningDirectory(String nameOrId);
}
