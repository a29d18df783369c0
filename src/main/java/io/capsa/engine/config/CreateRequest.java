package io.capsa.engine.config;

/** What `docker run`/`create` asks for: a name (null = generated), the container's Config and its HostConfig. */
public record CreateRequest(String name, ContainerConfig config, HostConfig hostConfig) {}
