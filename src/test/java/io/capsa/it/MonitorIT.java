package io.capsa.it;

import io.capsa.runtime.Attach;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.runtime.Monitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A container's own monitor (Monitor), driven through Containers in this JVM as the engine does, and Attach. */
class MonitorIT extends ContainerTestBase {
    private static final Pattern RECORD = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z (stdout|stderr) ([FP]) (.*)");
    private Containers containers;
    private Path log, exitFile, socket;

    @BeforeEach
    void setUp() {
        containers = new Containers(capsa.root(), null, warn -> { });
        log = work.resolve("ctr.log");
        exitFile = work.resolve("exit");
        socket = work.resolve("attach.sock");
    }

    private Monitor monitor(boolean terminal, boolean openStdin, String... exitCommand) {
        return new Monitor(log, exitFile, socket, terminal, openStdin, List.of(exitCommand), null);
    }

    private int create(String id, Bundle b, Monitor monitor) {
        return containers.create(id, new Containers.CreateOptions(b.dir(), null, 0, false, true, null, monitor));
    }

    /** A field of /proc/PID/status, such as PPid or VmRSS. */
    private static String status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
                if (line.startsWith(field + ":")) return line.substring(field.length() + 1).strip();
        } catch (IOException e) {
            throw new AssertionError("process " + pid + " is gone", e);
        }
        throw new AssertionError(field + " not in /proc/" + pid + "/status");
    }

    private static long parent(long pid) {
        return Long.parseLong(status(pid, "PPid"));
    }

    /** Alive: not gone and not a zombie (pid 1 here may reap late). */
    private static boolean alive(long pid) {
        try {
            return !Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }

    /** Field 6 of /proc/PID/stat. */
    private static String session(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ")[3];
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<Long> liveInSession(String session) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> alive(pid) && session.equals(sessionOrNone(pid))).toList();
    }

    private static String sessionOrNone(long pid) {
        try {
            return session(pid);
        } catch (AssertionError e) {
            return "";
        }
    }

    private static void awaitGone(long pid) {
        for (int i = 0; i < 400 && alive(pid); i++) sleep(25);
        assertFalse(alive(pid), "process " + pid + " still there");
    }

    private String awaitExitFile() throws IOException {
        for (int i = 0; i < 400 && !Files.exists(exitFile); i++) sleep(25);
        assertTrue(Files.exists(exitFile), "no exit file");
        return Files.readString(exitFile);
    }

    /** The log's records as "stream tag text". */
    private List<String> records() throws IOException {
        List<String> records = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            Matcher m = RECORD.matcher(line);
            assertTrue(m.matches(), "not a CRI log record: " + line);
            records.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
        }
        return records;
    }

    @Test
    void theMonitorLogsTheOutputByStreamAndRecordsTheExitCode() throws IOException {
        String id = newId();
        Bundle b = bundle("b", "sh", "-c", "echo out; echo err >&2; printf partial; exit 3");
        int init = create(id, b, monitor(false, false));
        long monitor = parent(init), jvm = ProcessHandle.current().pid();
        assertNotEquals(jvm, monitor, "the caller is the init's parent");
        assertNotEquals(jvm, parent(monitor), "the monitor is the caller's child");
        assertEquals("created", statusOf(id));
        assertTrue(Files.exists(socket), "the attach socket is there when create returns");
        // A session of its own, /dev/null as its stdio, / as its working directory: nothing of ours.
        String session = session(monitor);
        assertNotEquals(session, session(ProcessHandle.current().pid()));
        for (int fd = 0; fd < 3; fd++) assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + monitor + "/fd/" + fd)));
        assertEquals(Path.of("/"), Files.readSymbolicLink(Path.of("/proc/" + monitor + "/cwd")));
        containers.start(id);
        assertEquals("3\n", awaitExitFile());
        awaitGone(monitor);
        assertEquals(List.of(), liveInSession(session), "processes left");
        List<String> records = records();
        assertEquals(List.of("stdout F out", "stdout P partial"), records.stream().filter(r -> r.startsWith("stdout")).toList());
        assertEquals(List.of("stderr F err"), records.stream().filter(r -> r.startsWith("stderr")).toList());
        assertFalse(Files.exists(socket), "the attach socket is left");
        try (var files = Files.list(work)) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temporary exit file left");
        }
    }

    @Test
    void theMonitorUnmountsTheRootItWasGivenBeforeItWritesTheExitFile() throws Exception {
        Path root = Files.createDirectory(work.resolve("root"));
        command("mount", "-t", "tmpfs", "tmpfs", root.toString());
        try {
            String id = newId();
            create(id, bundle("b", "true"), new Monitor(log, exitFile, socket, false, false, List.of(), root));
            containers.start(id);
            assertEquals("0\n", awaitExitFile());
            assertEquals(List.of(), Leaks.mountsUnder(root.toString()), "mounted when the exit file is there");
        } finally {
            if (!Leaks.mountsUnder(root.toString()).isEmpty()) command("umount", root.toString());
        }
    }

    private static void command(String... args) throws IOException, InterruptedException {
        assertEquals(0, new ProcessBuilder(args).inheritIO().start().waitFor(), String.join(" ", args));
    }

    @Test
    void anInitKilledBySigkillExits137() throws IOException {
        String id = newId();
        long monitor = parent(create(id, bundle("b", "sleep", "1000"), monitor(false, false)));
        containers.start(id);
        containers.kill(id, 9, false);
        assertEquals("137\n", awaitExitFile());
        awaitGone(monitor);
    }

    @Test
    void aLongLineIsLoggedInPartsAndTheContainerSeesOnlyItsStdio() throws IOException {
        String id = newId();
        // 10000 x's and a newline: longer than the monitor's 8 KiB line, so a P record, then the rest as F.
        create(id, bundle("b", "sh", "-c", "head -c 10000 /dev/zero | tr '\\0' x; echo; exec ls /proc/self/fd"),
                monitor(false, false));
        containers.start(id);
        assertEquals("0\n", awaitExitFile());
        List<String> records = records();
        assertEquals("stdout P " + "x".repeat(8192), records.get(0));
        assertEquals("stdout F " + "x".repeat(10000 - 8192), records.get(1));
        // ls itself holds 3, the directory it lists.
        assertEquals(List.of("stdout F 0", "stdout F 1", "stdout F 2", "stdout F 3"), records.subList(2, records.size()));
    }

    @Test
    void theExitCommandRunsOnceTheExitFileIsWritten() throws IOException {
        String id = newId();
        Path ran = work.resolve("ran");
        int init = create(id, bundle("b", "sh", "-c", "exit 7"),
                monitor(false, false, "/bin/sh", "-c", "cat " + exitFile + " > " + ran + "; ls /proc/self/fd >> " + ran));
        long monitor = parent(init);
        containers.start(id);
        awaitGone(monitor);
        for (int i = 0; i < 200 && !Files.exists(ran); i++) sleep(25);
        // The exit command is the monitor itself: 0, 1, 2 and the directory ls lists, nothing else.
        assertEquals(List.of("7", "0", "1", "2", "3"), Files.readAllLines(ran));
    }

    @Test
    void aCreateThatFailsLeavesNeitherExitFileNorExitCommand() {
        String id = newId();
        Path ran = work.resolve("ran");
        CapsaException e = assertThrows(CapsaException.class,
                () -> create(id, bundle("b", "/no/such/program"), monitor(false, false, "/bin/touch", ran.toString())));
        assertTrue(e.getMessage().contains("/no/such/program"), e.getMessage());
        for (int i = 0; i < 200 && Files.exists(socket); i++) sleep(25);
        assertFalse(Files.exists(socket), "the monitor is still there");
        sleep(200);
        assertFalse(Files.exists(exitFile), "an exit file for a container never created");
        assertFalse(Files.exists(ran), "the exit command ran for a container never created");
        assertNothingLeftOf(id);
    }

    @Test
    void aMonitorForPipesOfATerminalContainerIsRefused() {
        String id = newId();
        Bundle b = bundle("b", "true");
        b.process().put("terminal", true);
        b.write();
        RuntimeException e = assertThrows(RuntimeException.class, () -> create(id, b, monitor(false, false)));
        assertEquals("process.terminal is true, but the monitor was asked for pipes", e.getMessage());
        assertFalse(Files.exists(socket));
        assertNothingLeftOf(id);
    }

    @Test
    void runDetachedWithAMonitorAndAnAttachSocketPathLongerThanSunPath() throws Exception {
        String id = newId();
        Path deep = Files.createDirectories(work.resolve("d".repeat(60)).resolve("e".repeat(60)));
        socket = deep.resolve("attach.sock");
        assertTrue(socket.toString().length() > 108);
        // Started by run itself, the container waits for its stdin, which the test attaches to.
        Bundle b = bundle("b", "sh", "-c", "read x; echo $x through the long path");
        assertEquals(0, containers.run(id, new Containers.CreateOptions(b.dir(), null, 0, false, true, null, monitor(false, true)), true));
        assertEquals("running", statusOf(id));
        String[] r = probe("hello\n", "attach", capsa.root().toString(), id, socket.toString(), "true", "false", "false", "", "false");
        assertEquals("hello through the long path\n", r[0]);
        assertEquals("result exit 0\n", r[1]);
    }

    @Test
    void anOwnerGoneBeforeTheExitLeavesTheExitCommandToRun() throws Exception {
        String id = newId();
        Path ran = work.resolve("ran");
        int init = create(id, bundle("b", "sh", "-c", "echo ready; sleep 1000"), monitor(false, false, "/bin/touch", ran.toString()));
        Interactive p = new Interactive(new ProcessBuilder(probeCommand("attach", capsa.root().toString(), id, socket.toString(),
                "false", "false", "true", "", "true")));
        p.await("ready");
        ProcessHandle client = p.process.toHandle().children().findFirst().orElseThrow();
        assertTrue(client.destroyForcibly()); // the owner's client, gone without a word
        p.await("attach: the client failed");
        containers.kill(id, 9, false);
        assertEquals("137\n", awaitExitFile());
        for (int i = 0; i < 200 && !Files.exists(ran); i++) sleep(25);
        assertTrue(Files.exists(ran), "no exit command though the owner never received the exit");
        assertFalse(alive(init));
    }

    @Test
    void whenOnConnectedFailsTheClientEndsAndAttachThrowsItsFailure() {
        String id = newId();
        create(id, bundle("b", "sleep", "1000"), monitor(false, false));
        // In this JVM: without stdin, the client reads nothing of ours.
        IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(IllegalStateException.class,
                () -> Attach.attach(socket, new Attach.Options(false, false, true, null), () -> {
                    throw new IllegalStateException("start failed");
                })));
        assertEquals("start failed", e.getMessage());
        assertEquals("created", statusOf(id));
    }

    @Test
    void aKilledMonitorLeavesTheContainerRunning() throws IOException {
        String id = newId();
        int init = create(id, bundle("b", "sleep", "1000"), monitor(false, false));
        containers.start(id);
        long monitor = parent(init);
        assertTrue(ProcessHandle.of(monitor).orElseThrow().destroyForcibly());
        awaitGone(monitor);
        sleep(100);
        assertTrue(alive(init), "the container went with its monitor");
        assertEquals("running", statusOf(id));
        assertFalse(Files.exists(exitFile));
    }

    @Test
    void theMonitorStaysSmall() throws IOException {
        String id = newId();
        int init = create(id, bundle("b", "sh", "-c", "for i in 1 2 3 4 5 6 7 8 9 10; do echo line $i; echo err $i >&2; done; sleep 1000"),
                monitor(false, true));
        containers.start(id);
        long monitor = parent(init);
        for (int i = 0; i < 200 && records().size() < 20; i++) sleep(25);
        long rss = Long.parseLong(status(monitor, "VmRSS").replace(" kB", ""));
        System.out.println("monitor VmRSS: " + rss + " kB");
        assertTrue(rss < 1900, "monitor RSS " + rss + " kB");
        containers.kill(id, 9, false);
        assertEquals("137\n", awaitExitFile());
    }

    private static List<String> probeCommand(String... args) {
        String classPath = Cli.HOME.resolve("target/classes") + ":" + Cli.HOME.resolve("target/test-classes");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin/java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classPath, MonitorProbe.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    /** Runs MonitorProbe in a JVM of its own, its stdin fed from input; returns its stdout and stderr. */
    private String[] probe(String input, String... args) throws Exception {
        return run(probeCommand(args), input);
    }

    private String[] run(List<String> command, String input) throws Exception {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        // Read to the end, as $(...) does: whatever holds the pipe keeps this waiting.
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) fail("probe still running");
        assertEquals(0, p.exitValue(), out + err);
        return new String[] {out, err};
    }

    @Test
    void aShellsCommandSubstitutionAroundCreateReturns() throws Exception {
        String id = newId();
        // Through capsa-helper --launch, as bin/capsa starts the engine: its helper forked before the JVM.
        List<String> command = new ArrayList<>(List.of(Cli.HOME.resolve("target/capsa-helper").toString(), "--launch"));
        command.addAll(probeCommand("create", capsa.root().toString(), id, bundle("b", "sleep", "1000").dir().toString(), work.toString()));
        String[] r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> run(command, ""), "the caller's stdout is held");
        int init = Integer.parseInt(r[0].strip());
        assertEquals("created", statusOf(id));
        assertTrue(alive(parent(init)));
    }

    @Test
    void anOwnerAttachedPassesStdinGetsTheOutputAndTheExitAndNoExitCommandRuns() throws Exception {
        String id = newId();
        Path ran = work.resolve("ran");
        int init = create(id, bundle("b", "sh", "-c", "read x; echo got $x; echo to err >&2; cat; exit 5"),
                monitor(false, true, "/bin/touch", ran.toString()));
        long monitor = parent(init);
        String[] r = probe("hello\nrest\n", "attach", capsa.root().toString(), id, socket.toString(), "true", "false", "true", "", "true");
        assertEquals("got hello\nrest\n", r[0], r[1]);
        assertEquals("to err\nresult exit 5\n", r[1]);
        assertEquals("5\n", Files.readString(exitFile));
        awaitGone(monitor);
        sleep(200);
        assertFalse(Files.exists(ran), "the exit command ran though the owner received the exit");
    }

    /** A process whose output (stdout and stderr) the test reads as it comes. */
    private static final class Interactive {
        final Process process;
        final StringBuffer out = new StringBuffer();

        Interactive(ProcessBuilder command) throws IOException {
            process = command.redirectErrorStream(true).start();
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[4096];
                    for (int n; (n = process.getInputStream().read(buf)) > 0; ) out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the end
                }
            });
        }

        void await(String text) throws InterruptedException {
            for (int i = 0; i < 800 && !out.toString().contains(text); i++) Thread.sleep(25);
            assertTrue(out.toString().contains(text), "no \"" + text + "\" in: " + out);
        }
    }

    @Test
    void signalsSentToTheAttachedCallerReachTheInit() throws Exception {
        String id = newId();
        create(id, bundle("b", "sh", "-c", "trap 'echo got TERM; exit 9' TERM; echo ready; while :; do sleep 0.05; done"),
                monitor(false, false));
        Interactive p = new Interactive(new ProcessBuilder(probeCommand("attach", capsa.root().toString(), id, socket.toString(),
                "false", "false", "false", "", "true")));
        p.await("ready");
        p.process.toHandle().destroy(); // SIGTERM to the JVM, which passes it to the client, which has the monitor send it
        p.await("got TERM");
        p.await("result exit 9");
        assertEquals("9\n", awaitExitFile());
    }

    @Test
    void aTerminalContainerSeesATerminalAndTheDetachKeysDetach() throws Exception {
        String id = newId();
        Bundle b = bundle("b", "sh", "-c", "test -t 0 && echo is a tty; stty size; sleep 1000");
        b.process().put("terminal", true);
        b.write();
        int init = create(id, b, monitor(true, true));
        // script gives the client a terminal of 30 rows and 100 columns; ctrl-p ctrl-q detach it.
        String attach = String.join(" ", probeCommand("attach", capsa.root().toString(), id, socket.toString(), "true", "true", "false", "''", "true"));
        Interactive p = new Interactive(new ProcessBuilder("script", "-qec", "stty rows 30 cols 100; exec " + attach, "/dev/null"));
        p.await("is a tty\r\n30 100");
        p.process.getOutputStream().write(new byte[] {0x10, 0x11});
        p.process.getOutputStream().flush();
        p.await("result detached");
        assertTrue(alive(init), "detaching stopped the container");
        containers.kill(id, 9, false);
        assertEquals("137\n", awaitExitFile());
    }
}
