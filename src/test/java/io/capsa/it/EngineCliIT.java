package io.capsa.it;

import io.capsa.cli.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bin/capsa, the Docker-style engine command: its global flags, version, info, help and errors. */
class EngineCliIT {

    @TempDir
    Path dir;

    private Cli.Result capsa(String... args) {
        return capsa(Map.of(), args);
    }

    private Cli.Result capsa(Map<String, String> env, String... args) {
        ProcessBuilder pb = new ProcessBuilder(EngineCli.CAPSA.toString());
        pb.command().addAll(List.of(args));
        pb.environment().putAll(env);
        return Cli.await(Cli.start(pb, dir.resolve("scratch")));
    }

    private static void assertRefused(String expected, Cli.Result r) {
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out());
    }

    /** "Name: value" lines of capsa info. */
    private Map<String, String> info(String... globalFlags) {
        List<String> args = new ArrayList<>(List.of(globalFlags));
        args.add("info");
        Cli.Result r = capsa(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        assertEquals("", r.err());
        Map<String, String> fields = new HashMap<>();
        for (String line : r.out().split("\n")) {
            int colon = line.indexOf(": ");
            fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
        return fields;
    }

    private static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void infoTellsTheHostAsItIs() throws Exception {
        Map<String, String> info = info();
        assertEquals(sh("nproc"), info.get("CPUs"));
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), info.get("Kernel Version"));
        assertEquals(sh("stat -f -c %T /sys/fs/cgroup").equals("cgroup2fs") ? "2" : "1", info.get("Cgroup Version"));
        assertEquals("cgroupfs", info.get("Cgroup Driver"));
        assertEquals(sh(". /etc/os-release && echo \"$PRETTY_NAME\""), info.get("Operating System"));
        assertEquals("capsa-runtime", info.get("Default Runtime"));
        assertEquals("overlay", info.get("Storage Driver"));
        String memory = info.get("Total Memory");
        assertTrue(memory.endsWith("GiB"), memory);
        double kib = Double.parseDouble(sh("awk '/^MemTotal:/ {print $2}' /proc/meminfo"));
        double shown = Double.parseDouble(memory.substring(0, memory.length() - 3)) * 1024 * 1024;
        assertEquals(kib, shown, kib / 1000, "four significant digits of MemTotal: " + memory);
    }

    @Test
    void theRootsAreTheDefaultsOrTheGlobalFlags() {
        Map<String, String> defaults = info();
        assertEquals("/var/lib/capsa", defaults.get("Data Root"));
        assertEquals("/run/capsa", defaults.get("Run Root"));
        // Beside the runtime CLI's containers when both use /run/capsa, under a name that is no container id.
        assertEquals("/run/capsa/_runtime", defaults.get("Runtime Root"));
        Map<String, String> given = info("--data-root", dir.resolve("data").toString(), "--run-root=" + dir.resolve("run"), "--debug");
        assertEquals(dir.resolve("data").toString(), given.get("Data Root"));
        assertEquals(dir.resolve("run").toString(), given.get("Run Root"));
        assertEquals(dir.resolve("run/_runtime").toString(), given.get("Runtime Root"));
    }

    @Test
    void fileNamesWithNonAsciiBytesWorkUnderLangC() {
        Path root = dir.resolve("données-数据");
        Cli.Result r = capsa(Map.of("LANG", "C", "LC_ALL", "C"), "--data-root", root.toString(), "info");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Data Root: " + root + "\n"), r.out());
    }

    @Test
    void versionNamesCapsaAndTheSpec() {
        for (String flag : List.of("-v", "--version")) {
            Cli.Result r = capsa(flag);
            assertEquals(0, r.exit(), r.toString());
            assertEquals("capsa version " + Version.capsa() + "\n", r.out());
        }
        Cli.Result r = capsa("version");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().startsWith("Client:\n Version:       " + Version.capsa() + "\n"), r.out());
        assertTrue(r.out().contains("\n OCI spec:      " + Version.OCI_SPEC + "\n"), r.out());
        assertTrue(r.out().contains("\n OS/Arch:       linux/"), r.out());
    }

    @Test
    void helpListsTheGlobalFlagsAndCommands() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {}}) {
            Cli.Result r = capsa(args);
            assertEquals(0, r.exit(), r.toString());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage: capsa [OPTIONS] [COMMAND] [ARG...]\n"), r.out());
            for (String expected : List.of("--data-root DIR", "--run-root DIR", "--log-level LEVEL", "-D, --debug", "\n  container ",
                    "\n  image ", "\n  info ", "\n  version ")) {
                assertTrue(r.out().contains(expected), expected + " in:\n" + r.out());
            }
        }
        Cli.Result info = capsa("info", "--help");
        assertEquals(0, info.exit(), info.toString());
        assertTrue(info.out().startsWith("Usage: capsa info [OPTIONS]\n"), info.out());
    }

    @Test
    void aGroupWithoutSubcommandShowsItsHelp() {
        for (String[] args : new String[][] {{"container"}, {"container", "--help"}, {"image"}}) {
            Cli.Result r = capsa(args);
            assertEquals(0, r.exit(), r.toString());
            assertEquals("", r.err());
            assertTrue(r.out().startsWith("Usage: capsa " + args[0] + " [OPTIONS] [COMMAND] [ARG...]\n"), r.out());
        }
    }

    @Test
    void badInputIsOneDockerStyleErrorLine() {
        assertRefused("Error: unknown command \"x\" for \"capsa\"", capsa("x"));
        assertRefused("Error: unknown command \"x\" for \"capsa container\"", capsa("container", "x"));
        assertRefused("Error: unknown command \"x\" for \"capsa image\"", capsa("image", "x"));
        assertRefused("Error: unknown option \"--bogus\"", capsa("--bogus", "info"));
        assertRefused("Error: --log-level: unknown level \"loud\" (debug, info, warn, error or fatal)", capsa("--log-level", "loud", "info"));
        assertRefused("Error: --data-root needs a value", capsa("--data-root"));
        assertRefused("Error: unexpected argument \"extra\"", capsa("info", "extra"));
    }
}
