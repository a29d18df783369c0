package io.capsa.image.registry;

import java.nio.file.Path;
import java.util.Set;

/**
 * How a {@link RegistryClient} talks to registries.
 *
 * @param insecureRegistries registries (as references name them: {@code host:port} or {@code host}) reached over
 *                           plain http; the loopback always is
 * @param authConfig         Docker's config.json with stored credentials, also where login writes
 * @param parallelTransfers  blobs moved at once in a pull or push
 */
public record RegistryOptions(Set<String> insecureRegistries, Path authConfig, int parallelTransfers) {
    /** As Docker's default max-concurrent-downloads. */
    public static final int DEFAULT_PARALLEL_TRANSFERS = 3;

    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (parallelTransfers < 1) throw new IllegalArgumentException("parallelTransfers must be at least 1");
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), DockerConfig.defaultPath(), DEFAULT_PARALLEL_TRANSFERS);
    }

    public RegistryOptions withInsecureRegistries(Set<String> registries) {
        return new RegistryOptions(registries, authConfig, parallelTransfers);
    }

    public RegistryOptions withAuthConfig(Path file) {
        return new RegistryOptions(insecureRegistries, file, parallelTransfers);
    }

    public RegistryOptions withParallelTransfers(int n) {
        return new RegistryOptions(insecureRegistries, authConfig, n);
    }
}
