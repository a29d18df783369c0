package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** process.terminal: a pty of the container's own, relayed by capsa or handed over --console-socket. */
class TerminalIT extends ContainerTestBase {

    private Bundle terminalBundle() {
        Bundle b = bundle("b", "sh", "-c", "tty; stty size; echo done");
        b.process().put("terminal", true);
        b.process().put("consoleSize", Map.of("height", 30, "width", 100));
        return b.write();
    }

    @Test
    void foregroundRunRelaysTheContainersTerminal() {
        Cli.Result r = capsa.run("run", "--bundle", terminalBundle().dir().toString(), newId());
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("/dev/pts/0", "30 100", "done"), r.out().replace("\r", "").lines().toList());
    }

    @Test
    void consoleSocketReceivesThePtyMaster() throws Exception {
        Path socket = work.resolve("console.sock");
        ConsoleReceiver receiver = listenForConsole(socket);
        String id = newId();
        capsa.ok("run", "--detach", "--console-socket", socket.toString(), "--bundle", terminalBundle().dir().toString(), id);
        assertEquals("name /dev/pts/0", receiver.lines().readLine());
        assertEquals(List.of("/dev/pts/0", "30 100", "done"), receiver.lines().lines().filter(l -> !l.isEmpty()).toList());
        assertEquals(0, receiver.python().waitFor());
        awaitStatus(id, "stopped");
    }

    @Test
    void execWithTtyGetsATerminalToo() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        Cli.Result r = capsa.run("exec", "-t", id, "tty");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().strip().matches("/dev/pts/\\d+"), r.toString());
    }

    @Test
    void execConnectsToAConsoleSocketOnTheHost() throws Exception { // as podman's conmon hands one from /tmp
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        Path socket = work.resolve("exec-console.sock");
        ConsoleReceiver receiver = listenForConsole(socket);
        capsa.ok("exec", "-t", "--console-socket", socket.toString(), id, "tty");
        assertTrue(receiver.lines().readLine().matches("name /dev/pts/\\d+"));
        assertTrue(receiver.lines().readLine().matches("/dev/pts/\\d+"));
        assertEquals(0, receiver.python().waitFor());
    }

    /** A process listening on socket for the pty master, as containerd and conmon do; it prints what it reads. */
    private record ConsoleReceiver(Process python, BufferedReader lines) {}

    private ConsoleReceiver listenForConsole(Path socket) throws IOException {
        Path script = work.resolve("console-receiver.py");
        Files.copy(Objects.requireNonNull(getClass().getResourceAsStream("console-receiver.py")), script);
        Process python = new ProcessBuilder("python3", script.toString(), socket.toString()).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream()));
        assertEquals("listening", lines.readLine());
        return new ConsoleReceiver(python, lines);
    }

    @Test
    void detachedTerminalWithoutConsoleSocketIsRefused() {
        String id = newId();
        Cli.Result r = capsa.run("run", "--detach", "--bundle", terminalBundle().dir().toString(), id);
        assertEquals(125, r.exit(), r.toString());
        assertTrue(r.err().contains("needs --console-socket"), r.toString());
        assertEquals(List.of(), Leaks.cgroupDirs(id));
    }
}
