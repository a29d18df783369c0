package io.capsa.runtime;

import io.capsa.spec.Hook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The hooks that belong in the runtime's namespaces (prestart, createRuntime, poststart, poststop), which the helper runs. */
final class Hooks {
    private Hooks() {}

    /** A runtime-namespace hook that cannot run is refused before anything is made. */
    static void checkExecutable(List<Hook> hooks) {
        for (Hook h : hooks) {
            if (!Files.isExecutable(Path.of(h.path())))
                throw new CapsaException(h.field() + ".path: " + h.path() + " is not an executable file");
        }
    }
}
