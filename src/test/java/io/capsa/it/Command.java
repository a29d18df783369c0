package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs an engine's client or daemon with an environment of the test's own (never the host's defaults). */
final class Command {
    private Command() {}

    /**
     * Runs to completion in dir, the engine's directory, which also holds the output files: what the
     * engine writes into its working directory (conmon writes an oom file there) is removed with it.
     */
    static Cli.Result run(Path dir, Map<String, String> env, List<String> command) {
        return Cli.await(Cli.start(inDirectory(dir, env, command), dir));
    }

    /** Runs and asserts success; returns stdout. */
    static String ok(Path dir, Map<String, String> env, List<String> command) {
        Cli.Result r = run(dir, env, command);
        if (r.exit() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + r);
        return r.out();
    }

    /** Starts a daemon in the background in dir, its output appended to log. */
    static Process daemon(Path dir, Path log, Map<String, String> env, List<String> command) {
        try {
            return inDirectory(dir, env, command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ProcessBuilder inDirectory(Path dir, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        return pb;
    }
}
