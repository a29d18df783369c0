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
        command.addAll(List.of(CAPSA.toString(), "--data-root", dataRoot.toString(), "--run-root", dataRoot.resolveSibling("run").toString()));
        command.addAll(List.of(args));
        return Cli.await(Cli.start(new ProcessBuilder(command), dataRoot.resolveSibling("scratch")));
    }

    /** Runs and asserts a refusal as Docker's: exit 125, the one error line expected, nothing on stdout. */
    void refused(String expected, String... args) {
        Cli.Result r = run(args);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out(), r.toString());
    }

    /** Removes every container (rm -f), then asserts that none is left and nothing stays mounted under the roots. */
    void removeAllContainers() {
        for (String id : ok("ps", "-a", "-q", "--no-trunc").lines().toList()) run("rm", "-f", id);
        assertEquals("", ok("ps", "-a", "-q"));
        assertEquals(List.of(), Leaks.mountsUnder(dataRoot.getParent().toString()));
    }

    /** Runs and asserts success; returns stdout. */
    String ok(String... args) {
        Cli.Result r = run(args);
        if (r.exit() != 0 || !r.err().isEmpty()) throw new AssertionError("capsa " + String.join(" ", args) + " failed:\n" + r);
        return r.out();
    }
}
