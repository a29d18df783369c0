package io.capsa.engine.config;

/** --restart: "no", "on-failure" (at most maximumRetryCount times, 0 = no limit), "always", "unless-stopped". */
public record RestartPolicy(String name, int maximumRetryCount) {}
