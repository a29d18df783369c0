package io.capsa.engine.config;

/** What `capsa create` asks for: a name (null: one is made up), Docker's Config and HostConfig. */
public record CreateRequest(String name, ContainerConfig config, HostConfig hostConfig) {}
