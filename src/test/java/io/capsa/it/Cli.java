package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs bin/capsa-runtime as a user would, with a state root of the test's own. */
final class Cli {
    static final Path HOME = Path.of(System.getProperty("capsa.home", ".")).toAbsolutePath().normalize();
    static final Path CAPSA = HOME.resolve("bin/capsa-runtime"); // the runtime; bin/capsa is the engine

    record Result(int exit, String out, String err) {
        /** stdout without the trailing newline. */
        String text() {
            return out.strip();
        }

        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout: " + out + "\nstderr: " + err;
        }
    }

    private final Path root;

    Cli(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Result run(String... args) {
        return await(start(args));
    }

    /** Runs capsa from a shell that first makes redirections such as "8</": a caller holding those descriptors. */
    Result runHolding(String redirections, String... args) {
        return await(start(List.of("bash", "-c", "exec " + redirections + "; exec \"$@\"", "bash"), args));
    }

    /** Starts a capsa command in the background (for a foreground run that the test signals). */
    Process start(String... args) {
        return start(List.of(), args);
    }

    private Process start(List<String> prefix, String... args) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(CAPSA.toString(), "--root", root.toString()));
        command.addAll(Arrays.asList(args));
        // Beside the state root, inside the test's own directory, which the test removes.
        return start(new ProcessBuilder(command), root.getParent());
    }

    /** Starts any command, its output kept in files in scratch until await reads them. */
    static Process start(ProcessBuilder command, Path scratch) {
        try {
            Files.createDirectories(scratch);
            Path out = Files.createTempFile(scratch, "out", ".txt");
            Path err = Files.createTempFile(scratch, "err", ".txt");
            Process p = command.redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            OUTPUTS.put(p, new Path[] {out, err});
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    static Result await(Process p) {
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                String command = p.info().commandLine().orElse("capsa");
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within 60 s");
            }
            Path[] files = OUTPUTS.remove(p);
            Result r = new Result(p.exitValue(), Files.readString(files[0], StandardCharsets.UTF_8),
                    Files.readString(files[1], StandardCharsets.UTF_8));
            Files.delete(files[0]);
            Files.delete(files[1]);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs and asserts success; returns stdout. */
    String ok(String... args) {
        Result r = run(args);
        if (r.exit() != 0) throw new AssertionError("capsa " + String.join(" ", args) + " failed:\n" + r);
        return r.out();
    }
}
