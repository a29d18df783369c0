package io.capsa.it;

import io.capsa.runtime.Containers;
import io.capsa.runtime.Monitor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        // A session of its own, /dev/null as its stdio, nothing of ours.
        String stat = Files.readString(Path.of("/proc/" + monitor + "/stat")).replaceAll(".*\\) ", "");
        assertNotEquals(stat.split(" ")[3], Files.readString(Path.of("/proc/self/stat")).replaceAll(".*\\) ", "").split(" ")[3]);
        for (int fd = 0; fd < 3; fd++) assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + monitor + "/fd/" + fd)));
        containers.start(id);
        assertEquals("3\n", awaitExitFile());
        awaitGone(monitor);
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
        Process p = new ProcessBuilder(probeCommand(args)).start();
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
        String[] r = probe("", "create", capsa.root().toString(), id, bundle("b", "sleep", "1000").dir().toString(), work.toString());
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

    @Test
    void aTerminalContainerSeesATerminalAndTheDetachKeysDetach() throws Exception {
        String id = newId();
        Bundle b = bundle("b", "sh", "-c", "test -t 0 && echo is a tty; stty size; sleep 1000");
        b.process().put("terminal", true);
        b.write();
        int init = create(id, b, monitor(true, true));
        // script gives the client a terminal of 30 rows and 100 columns; ctrl-p ctrl-q detach it.
        String attach = String.join(" ", probeCommand("attach", capsa.root().toString(), id, socket.toString(), "true", "true", "false", "''", "true"));
        Process p = new ProcessBuilder("script", "-qec", "stty rows 30 cols 100; exec " + attach, "/dev/null").redirectErrorStream(true).start();
        StringBuffer out = new StringBuffer();
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                byte[] buf = new byte[4096];
                for (int n; (n = p.getInputStream().read(buf)) > 0; ) out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the end
            }
        });
        for (int i = 0; i < 400 && !out.toString().contains("30 100"); i++) sleep(25);
        assertTrue(out.toString().contains("is a tty\r\n30 100"), out.toString());
        p.getOutputStream().write(new byte[] {0x10, 0x11});
        p.getOutputStream().flush();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), out.toString());
        reader.join();
        assertTrue(out.toString().contains("result detached"), out.toString());
        assertTrue(alive(init), "detaching stopped the container");
        containers.kill(id, 9, false);
        assertEquals("137\n", awaitExitFile());
    }
}
