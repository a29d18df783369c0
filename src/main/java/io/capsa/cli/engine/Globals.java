package io.capsa.cli.engine;

import java.nio.file.Path;

/**
 * The engine's global flags, as every command gets them. The run root may be the runtime CLI's own root
 * (both default to /run/capsa), so the engine keeps its things there under names that are no container id
 * (they start with '_'): bin/capsa-runtime never lists them, and no container it creates can take them.
 */
record Globals(Path dataRoot, Path runRoot, String logLevel) {
    /** The runtime's state root for the engine's containers: `capsa-runtime --root` this to look at them. */
    Path runtimeRoot() {
        return runRoot.resolve("_runtime");
    }

    boolean debug() {
        return logLevel.equals("debug");
    }
}
