package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.UsageException;
import io.capsa.cli.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArgsTest {
    private static Args parse(Command command, String... argv) {
        return new Args(command.usage()).parse(List.of(argv));
    }

    private static String error(Command command, String... argv) {
        return assertThrows(UsageException.class, () -> parse(command, argv)).getMessage();
    }

    @Test
    void valuesSeparateAttachedOrAfterAnEqualsSign() {
        for (String[] argv : new String[][] {{"--bundle", "/b", "id"}, {"--bundle=/b", "id"}, {"-b", "/b", "id"},
                {"-b=/b", "id"}, {"-b/b", "id"}, {"id", "--bundle", "/b"}}) {
            Args args = parse(new CreateCommand(), argv);
            assertEquals(Path.of("/b"), args.path("--bundle"), String.join(" ", argv));
            assertEquals("id", args.arg(0));
        }
    }

    @Test
    void defaultsAndAbsentValues() {
        Args args = parse(new CreateCommand(), "id");
        assertEquals(Path.of("."), args.path("--bundle"));
        assertEquals(0, args.intValue("--preserve-fds"));
        assertNull(args.path("--pid-file"));
        assertFalse(args.flag("--no-pivot"));
        assertNull(parse(new UpdateCommand(), "id").longValue("--cpu-quota"));
    }

    @Test
    void numbersAreConverted() {
        Args args = parse(new UpdateCommand(), "--cpu-quota", "-1", "--pids-limit=50", "id");
        assertEquals(-1L, args.longValue("--cpu-quota"));
        assertEquals(50L, args.longValue("--pids-limit"));
        assertEquals(7, parse(new CreateCommand(), "--preserve-fds", "7", "id").intValue("--preserve-fds"));
    }

    @Test
    void booleansAloneClusteredOrWithTrueOrFalse() {
        Args args = parse(new ExecCommand(), "-dt", "id", "sh");
        assertTrue(args.flag("--detach"));
        assertTrue(args.flag("--tty"));
        assertTrue(parse(new DeleteCommand(), "--force", "id").flag("--force"));
        assertTrue(parse(new DeleteCommand(), "--force=true", "id").flag("-f"));
        assertFalse(parse(new DeleteCommand(), "--force=false", "id").flag("--force"));
        assertEquals("--force: \"x\" is not true or false", error(new DeleteCommand(), "--force=x", "id"));
    }

    @Test
    void repeatableFlagsKeepEveryValueInOrder() {
        Args args = parse(new ExecCommand(), "-e", "A=1", "--env", "B=2", "-eC=3", "--env=D=4", "-g", "10", "-g", "20", "id", "sh");
        assertEquals(List.of("A=1", "B=2", "C=3", "D=4"), args.values("--env"));
        assertEquals(List.of(10L, 20L), args.longValues("--additional-gids"));
        assertEquals(List.of(), parse(new ExecCommand(), "id", "sh").values("--cap"));
        assertEquals("--bundle is given more than once", error(new CreateCommand(), "--bundle", "a", "--bundle", "b", "id"));
    }

    @Test
    void flagsMayFollowArguments() {
        Args args = parse(new KillCommand(), "id", "KILL", "-a");
        assertTrue(args.flag("--all"));
        assertEquals("KILL", args.arg(1));
        assertEquals(List.of("a", "b"), parse(new DeleteCommand(), "a", "-f", "b").argsFrom(0));
    }

    @Test
    void doubleDashEndsFlags() {
        assertEquals("-x", parse(new StateCommand(), "--", "-x").arg(0));
        assertEquals(List.of("a", "-f"), parse(new DeleteCommand(), "a", "--", "-f").argsFrom(0));
        assertEquals("-", parse(new StateCommand(), "-").arg(0));
    }

    @Test
    void execAndPsPassOnEverythingAfterTheId() {
        Args exec = parse(new ExecCommand(), "-e", "A=1", "web1", "sh", "-c", "echo $$", "--tty", "--");
        assertEquals("web1", exec.arg(0));
        assertEquals(List.of("sh", "-c", "echo $$", "--tty", "--"), exec.argsFrom(1));
        assertFalse(exec.flag("--tty"));
        assertEquals(List.of("-ef"), parse(new PsCommand(), "web1", "-ef").argsFrom(1));
        assertEquals(List.of("--", "sh"), parse(new ExecCommand(), "web1", "--", "sh").argsFrom(1));
    }

    @Test
    void usageErrorsSayWhatIsWrong() {
        assertEquals("unknown option \"--bogus\"", error(new ListCommand(), "--bogus"));
        assertEquals("unknown option \"--bogus\"", error(new ListCommand(), "--bogus=1"));
        assertEquals("unknown option \"-KILL\"", error(new KillCommand(), "id", "-KILL"));
        assertEquals("--bundle needs a value", error(new CreateCommand(), "id", "--bundle"));
        assertEquals("--preserve-fds: \"x\" is not a number", error(new CreateCommand(), "--preserve-fds", "x", "id"));
        assertEquals("--preserve-fds: 99999999999 is out of range", error(new CreateCommand(), "--preserve-fds", "99999999999", "id"));
        assertEquals("-g: \"x\" is not a number", error(new ExecCommand(), "-g", "x", "id", "sh"));
        assertEquals("missing ID", error(new StateCommand()));
        assertEquals("missing ID", error(new DeleteCommand(), "-f"));
        assertEquals("unexpected argument \"c\"", error(new KillCommand(), "a", "b", "c"));
        assertEquals("unexpected argument \"extra\"", error(new FeaturesCommand(), "extra"));
    }

    @Test
    void helpNeedsNoArguments() {
        assertTrue(parse(new StateCommand(), "--help").flag("--help"));
        assertTrue(parse(new KillCommand(), "-h", "a", "b", "c").flag("--help"));
    }

    private record Output(int exit, String out, String err) {}

    private static Output main(String... argv) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream(), errBytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            int exit = Main.run(argv);
            return new Output(exit, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void anUnknownCommandIsNamedOnOneLineAndInTheLog(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("log.json");
        Output r = main("--log", log.toString(), "--log-format", "json", "checkpoint", "web1");
        assertEquals(Exit.USAGE, r.exit());
        assertEquals("capsa: unknown command \"checkpoint\"\n", r.err());
        assertEquals("", r.out());
        assertTrue(Files.readString(log).contains("\"msg\":\"unknown command \\\"checkpoint\\\"\""), Files.readString(log));
    }

    @Test
    void usageErrorsOfGlobalFlagsAndCommands() {
        assertEquals("capsa: missing COMMAND\n", main().err());
        assertEquals("capsa: unknown option \"--bogus\"\n", main("--bogus", "list").err());
        assertEquals("capsa: --root needs a value\n", main("--root").err());
        // global flags come before the command, as in runc
        Output r = main("list", "--root", "/tmp");
        assertEquals(Exit.USAGE, r.exit());
        assertEquals("capsa: unknown option \"--root\"\n", r.err());
    }

    @Test
    void helpListsCommandsAndFlags() {
        Output r = main("--help");
        assertEquals(Exit.OK, r.exit());
        assertTrue(r.out().contains("--root DIR"), r.out());
        assertTrue(r.out().contains("delete, rm"), r.out());
        assertTrue(r.out().contains("features"), r.out());
        Output exec = main("exec", "--help");
        assertEquals(Exit.OK, exec.exit());
        assertEquals("", exec.err());
        assertTrue(exec.out().startsWith("Usage: capsa-runtime exec [OPTIONS] ID [COMMAND...]\n"), exec.out());
        assertTrue(exec.out().contains("-e, --env NAME=VALUE"), exec.out());
        assertTrue(exec.out().contains("(default: 0)"), exec.out());
        assertTrue(main("ls", "-h").out().contains("-q, --quiet"));
    }

    @Test
    void version() {
        for (String flag : List.of("--version", "-v", "-V")) {
            Output r = main(flag);
            assertEquals(Exit.OK, r.exit());
            assertEquals("capsa version dev\nspec: " + Version.OCI_SPEC + "\n", r.out());
        }
    }
}
