package io.capsa.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs bin/capsa, the Docker-style engine, as a user would, with a data root of the test's own. */
final class EngineCli {
    static final Path CAPSA = Cli.HOME.resolve("bin/capsa");

    private final Path dataRoot;

    EngineCli(Path dataRoot) {
        this.dataRoot = dataRoot;
    }

    Cli.Result run(String... args) {
        return runWithInput(null, args);
    }

    /** With the text on stdin (an answer to a prompt); null for none (/dev/null). */
    Cli.Result runWithInput(String input, String... args) {
        List<String> command = new ArrayList<>();
        if (input != null) command.addAll(List.of("sh", "-c", "printf %s \"$0\" | exec \"$@\"", input));
        command.addAll(command(args));
        return Cli.await(Cli.start(new ProcessBuilder(command), dataRoot.resolveSibling("scratch")));
    }

    /** Runs a bash pipeline (pipefail) in which "$CAPSA" is bin/capsa on this data root: for tar streams through "-". */
    Cli.Result shell(String script) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-o", "pipefail", "-c", script);
        pb.environment().put("CAPSA", String.join(" ", command()));
        return Cli.await(Cli.start(pb, dataRoot.resolveSibling("scratch")));
    }

    /** The command line of bin/capsa on the test's roots, for a test that runs it its own way. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(CAPSA.toString(), "--data-root", dataRoot.toString(),
                "--run-root", dataRoot.resolveSibling("run").toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** Starts bin/capsa in the background; Cli.await collects its result. */
    Process start(String... args) {
        return Cli.start(new ProcessBuilder(command(args)), dataRoot.resolveSibling("scratch"));
    }

    /** Removes every container, as a test's cleanup, and checks that none is left and nothing is mounted under dir. */
    void removeAll(Path dir) {
        for (String id : ok("ps", "-a", "-q", "--no-trunc").lines().toList()) run("rm", "-f", id);
        assertEquals("", ok("ps", "-a", "-q"));
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()));
    }

    /** Bad input: one error line, exit 125, nothing on stdout. */
    void assertRefused(String expected, String... args) {
        Cli.Result r = run(args);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    /** Runs and asserts success; returns stdout. */
    String ok(String... args) {
        Cli.Result r = run(args);
        if (r.exit() != 0 || !r.err().isEmpty()) throw new AssertionError("capsa " + String.join(" ", args) + " failed:\n" + r);
        return r.out();
    }
}
