package io.capsa.runtime;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** What the build leaves beside capsa.jar in target/ (beside target/classes when tests run from there). */
public final class BuildOutput {
    private BuildOutput() {}

    /** The file of that name beside the jar capsa's classes were loaded from. */
    public static Path file(String name) {
        try {
            Path jar = Path.of(BuildOutput.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve(name);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
