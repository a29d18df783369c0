package io.capsa.engine.config;

import java.nio.file.Path;

/** What the OCI config of a container is made from. */
public record SpecInput(String id, String name, ContainerConfig config, HostConfig hostConfig, Path rootfs, Path containerDir,
                        ContainerResolver containers) {}
