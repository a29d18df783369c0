package io.capsa.cli.engine;

import io.capsa.engine.Engine;
import io.capsa.image.Images;
import io.capsa.image.archive.DefaultImage;
import io.capsa.image.registry.RegistryOptions;
import io.capsa.image.store.ImageStore;
import io.capsa.network.AttachedContainers;
import io.capsa.network.Networks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's global flags, as every command gets them. The run root may be the runtime CLI's own root
 * (both default to /run/capsa), so the engine keeps its things there under names that are no container id
 * (they start with '_'): bin/capsa-runtime never lists them, and no container it creates can take them.
 */
record Globals(Path dataRoot, Path runRoot, String logLevel, List<String> insecureRegistries) {
    /** The runtime's state root for the engine's containers: `capsa-runtime --root` this to look at them. */
    Path runtimeRoot() {
        return runRoot.resolve("_runtime");
    }

    /**
     * The data root's images. A data root in its first use (no image was ever recorded) gets the busybox
     * image the build made, so that a new machine runs containers offline; one whose images were all
     * removed stays empty.
     */
    ImageStore imageStore() {
        ImageStore store = new ImageStore(dataRoot);
        if (!Files.exists(store.root().images())) DefaultImage.ensureLoaded(store, DefaultImage.bundledArchive());
        return store;
    }

    /** The data root's images, with registries reached as {@code options} say. */
    Images images(RegistryOptions options) {
        return new Images(imageStore(), options);
    }

    /**
     * How to reach registries: over plain http those of --insecure-registry, and {@code registry} too when the
     * command was given --tls-verify=false (podman's per-command form of it).
     */
    RegistryOptions registryOptions(String registry, boolean tlsVerify) {
        Set<String> insecure = new HashSet<>(insecureRegistries);
        if (!tlsVerify) insecure.add(registry);
        return RegistryOptions.defaults().withInsecureRegistries(insecure);
    }

    /** The engine's containers on these roots; warnings go to stderr as Docker prints them. */
    Engine engine() {
        return new Engine(dataRoot, runRoot, this::imageStore, debug() ? m -> System.err.println("DEBU " + m) : null,
                m -> System.err.println("WARNING: " + m));
    }

    /** The data root's networks; their runtime state (leases, attachments, resolvers) is under the run root. */
    Networks networks() {
        return new Networks(dataRoot, runRoot, AttachedContainers.NONE);
    }

    boolean debug() {
        return logLevel.equals("debug");
    }
}
