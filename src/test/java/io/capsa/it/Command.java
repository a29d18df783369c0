package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs an engine's client or daemon with an environment of the test's own (never the host's defaults). */
final class Command {
    private Command() {}

    /** Runs to completion; output goes through files in scratch, which the engine's directory holds. */
    static Cli.Result run(Path scratch, Map<String, String> env, List<String> command) {
        return Cli.await(Cli.start(scratch, env, command));
    }

    /** Runs and asserts success; returns stdout. */
    static String ok(Path scratch, Map<String, String> env, List<String> command) {
        Cli.Result r = run(scratch, env, command);
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + r);
        return r.out();
    }

    /** Starts a daemon in the background, its output appended to log. */
    static Process daemon(Path log, Map<String, String> env, List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
