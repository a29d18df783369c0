package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs an engine's client or daemon with an environment of the test's own (never the host's defaults). */
final class Command {
    private Command() {}

    /** Runs to completion; output goes through files in scratch, which the engine's directory holds. */
    static Cli.Result run(Path scratch, Map<String, String> env, List<String> command) {
        try {
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
            }
            Cli.Result r = new Cli.Result(p.exitValue(), Files.readString(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
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
