package io.capsa.engine.config;

import java.nio.file.Path;

/**
 * Everything SpecBuilder needs: the container's id and name, its merged config, its host config, its root
 * (mounted), the directory its /etc/hosts, /etc/hostname and /etc/resolv.conf are written to, how to find
 * other containers, and the directory named volumes live in (NAME/_data, as Docker's).
 */
public record SpecInput(String id, String name, ContainerConfig config, HostConfig hostConfig, Path rootfs,
                        Path containerDir, ContainerResolver containers, Path volumesDir) {

    /** With the volumes beside the containers: containerDir is DATA_ROOT/containers/ID, volumes DATA_ROOT/volumes. */
    public SpecInput(String id, String name, ContainerConfig config, HostConfig hostConfig, Path rootfs,
                     Path containerDir, ContainerResolver containers) {
        this(id, name, config, hostConfig, rootfs, containerDir, containers,
                containerDir.toAbsolutePath().getParent().resolveSibling("volumes"));
    }
}
