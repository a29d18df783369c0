package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a Docker user does with a container after run, end to end through bin/capsa: attach to a -dit
 * container and detach with ctrl-p ctrl-q, start -a, restart, kill -s, pause/unpause, rename, wait,
 * logs -f/--tail/--since/-t, two CLIs racing for one name, rm -f under an attached CLI.
 */
class EngineLifecycleIT extends EngineTestBase {
    private String status(String name) {
        return capsa.ok("inspect", "-f", "{{.State.Status}}", name).strip();
    }

    /**
     * Polls the container's stdout log until it contains text (the monitor writes it while the container
     * runs; a foreground run may not have made the container yet).
     */
    private String awaitLogs(String name, String text) throws InterruptedException {
        String logs = "";
        for (int i = 0; i < 300 && !logs.contains(text); i++) {
            if (i > 0) Thread.sleep(50);
            logs = capsa.run("logs", name).out();
        }
        assertTrue(logs.contains(text), name + "'s logs: " + logs);
        return logs;
    }

    /** A command on a terminal of its own (script(1)); what it prints is collected as it comes. */
    private record OnTerminal(Process process, StringBuffer out) {
        static OnTerminal start(List<String> command) throws IOException {
            Process p = new ProcessBuilder("script", "-qfec", String.join(" ", command), "/dev/null").redirectErrorStream(true).start();
            StringBuffer out = new StringBuffer();
            Thread.ofVirtual().start(() -> {
                try {
                    byte[] buf = new byte[4096];
                    for (int n; (n = p.getInputStream().read(buf)) > 0; ) out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // the end
                }
            });
            return new OnTerminal(p, out);
        }

        void type(String text) throws IOException {
            process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }

        void awaitOutput(String text) throws InterruptedException {
            for (int i = 0; i < 400 && !out.toString().contains(text); i++) Thread.sleep(25);
            assertTrue(out.toString().contains(text), "expected " + text + " in: " + out);
        }
    }

    @Test
    void aDitContainerIsAttachedToAndDetachedFromWithCtrlPCtrlQAndKeepsRunning() throws Exception {
        capsa.ok("run", "--network", "none", "-dit", "--name", "shell", "busybox", "sh");
        int pid = pid("shell");
        OnTerminal attached = OnTerminal.start(capsa.command("attach", "shell"));
        attached.type("echo hel''lo $((6*7))\n");
        attached.awaitOutput("hello 42");
        attached.type("\u0010\u0011");
        assertTrue(attached.process().waitFor(20, TimeUnit.SECONDS), attached.out().toString());
        assertEquals(0, attached.process().exitValue(), attached.out().toString());
        assertEquals("running", status("shell"), "detaching left the container running");
        assertEquals(pid, pid("shell"));
        // attached again, the shell's exit ends the attach with its exit code
        OnTerminal again = OnTerminal.start(capsa.command("attach", "shell"));
        again.type("\n");
        Thread.sleep(200);
        again.type("exit 3\n");
        assertTrue(again.process().waitFor(20, TimeUnit.SECONDS), again.out().toString());
        assertEquals(3, again.process().exitValue(), again.out().toString());
        assertEquals("exited 3", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "shell").strip());
    }

    @Test
    void startAttachedPrintsBothStreamsAndReturnsTheExitCodeEachTime() {
        capsa.ok("create", "--network", "none", "--name", "job", "busybox", "sh", "-c", "echo out; echo err >&2; exit 3");
        for (int run = 1; run <= 2; run++) {
            Cli.Result r = capsa.run("start", "-a", "job");
            assertEquals(3, r.exit(), r.toString());
            assertEquals("out\n", r.out());
            assertEquals("err\n", r.err());
            assertEquals("exited 3", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "job").strip());
        }
        assertEquals("out\nout\n", capsa.run("logs", "job").out(), "both runs are in the log");
    }

    @Test
    void restartStopsAndStartsTheContainerAgain() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "svc", "busybox", "sh", "-c", "trap 'exit 0' TERM; echo started; while :; do sleep 0.1; done");
        awaitLogs("svc", "started\n");
        int before = pid("svc");
        String startedBefore = capsa.ok("inspect", "-f", "{{.State.StartedAt}}", "svc");
        assertEquals("svc\n", capsa.ok("restart", "svc"));
        assertEquals("running", status("svc"));
        assertNotEquals(before, pid("svc"));
        assertTrue(!Files.exists(Path.of("/proc/" + before)), "the first init is gone");
        assertNotEquals(startedBefore, capsa.ok("inspect", "-f", "{{.State.StartedAt}}", "svc"));
        awaitLogs("svc", "started\nstarted\n");
    }

    @Test
    void restartKeepsAContainerRunWithRmWhichStopThenRemoves() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--rm", "--name", "brief", "busybox", "sleep", "1000");
        for (int restart = 0; restart < 3; restart++) { // the exit command of each run races the next start
            int before = pid("brief");
            assertEquals("brief\n", capsa.ok("restart", "-t", "1", "brief"));
            assertEquals("running", status("brief"));
            assertNotEquals(before, pid("brief"));
        }
        Thread.sleep(1000); // the last exit command has run by now
        assertEquals("running", status("brief"));
        capsa.ok("stop", "brief");
        for (int i = 0; i < 300 && !capsa.ok("ps", "-a", "-q").isEmpty(); i++) Thread.sleep(50);
        assertEquals("", capsa.ok("ps", "-a", "-q"), "stop still removes it");
    }

    @Test
    void killWithASignalReachesTheContainersTrapAndLeavesItRunning() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "trapper", "busybox", "sh", "-c",
                "trap 'echo got USR1' USR1; echo ready; while :; do sleep 0.1; done");
        awaitLogs("trapper", "ready\n");
        assertEquals("trapper\n", capsa.ok("kill", "-s", "USR1", "trapper"));
        assertEquals("ready\ngot USR1\n", awaitLogs("trapper", "got USR1\n"));
        assertEquals("running", status("trapper"));
        capsa.ok("kill", "--signal", "SIGTERM", "trapper"); // sh as PID 1 has no handler for it: ignored
        assertEquals("running", status("trapper"));
        capsa.ok("kill", "trapper");
        assertEquals("137\n", capsa.ok("wait", "trapper"));
    }

    @Test
    void pauseFreezesTheProcessesAndUnpauseThawsThem() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "ticker", "busybox", "sh", "-c", "while :; do echo tick; sleep 0.05; done");
        awaitLogs("ticker", "tick\ntick\n");
        int pid = pid("ticker");
        assertEquals("ticker\n", capsa.ok("pause", "ticker"));
        assertEquals("paused true", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", "ticker").strip());
        assertTrue(capsa.ok("ps", "--format", "{{.Status}}").strip().endsWith("(Paused)"));
        assertTrue(frozen(pid), "the init's cgroup is frozen");
        long ticks = capsa.ok("logs", "ticker").lines().count();
        Thread.sleep(500);
        assertEquals(ticks, capsa.ok("logs", "ticker").lines().count(), "no tick while paused");
        assertEquals("ticker\n", capsa.ok("unpause", "ticker"));
        assertTrue(!frozen(pid));
        awaitLogs("ticker", "tick\n".repeat((int) ticks + 2));
        assertEquals("running", status("ticker"));
        capsa.ok("pause", "ticker");
        assertRefused("Error: You cannot attach to a paused container, unpause it first", "attach", "ticker");
        capsa.ok("unpause", "ticker");
        Cli.Result again = capsa.run("unpause", "ticker");
        assertEquals(125, again.exit(), again.toString());
        assertEquals(List.of("Error: Container ticker is not paused"), again.errLines());
    }

    @Test
    void killEndsAPausedContainerAndReturnsOnceItExited() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "frozen", "busybox", "sleep", "1000");
        int pid = pid("frozen");
        capsa.ok("pause", "frozen");
        assertEquals("frozen\n", capsa.ok("kill", "frozen"));
        assertEquals("exited 137", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "frozen").strip(),
                "the SIGKILL took effect (the container was thawed) before kill returned");
        assertTrue(!Files.exists(Path.of("/proc/" + pid)));
    }

    @Test
    void killEndsAContainerForGoodDespiteItsRestartPolicy() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--restart", "always", "--name", "phoenix", "busybox", "sleep", "1000");
        capsa.ok("kill", "phoenix");
        Thread.sleep(1500); // a restart would be under way by now
        assertEquals("exited 137 0", capsa.ok("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", "phoenix").strip());
    }

    /** Whether the freezer holds pid: v1's freezer.state, or v2's cgroup.events. */
    private static boolean frozen(int pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            if (f[1].equals("freezer"))
                return Files.readString(Path.of("/sys/fs/cgroup/freezer" + f[2], "freezer.state")).strip().equals("FROZEN");
            if (f[0].equals("0") && Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")))
                return Files.readString(Path.of("/sys/fs/cgroup" + f[2], "cgroup.events")).contains("frozen 1");
        }
        throw new AssertionError("no freezer for " + pid);
    }

    @Test
    void renameFreesTheOldNameAndTheNewOneResolves() {
        String id = capsa.ok("run", "--network", "none", "-d", "--name", "before", "busybox", "sleep", "1000").strip();
        assertEquals("", capsa.ok("rename", "before", "after"));
        assertEquals("/after " + id, capsa.ok("inspect", "-f", "{{.Name}} {{.Id}}", "after").strip());
        Cli.Result old = capsa.run("inspect", "--type", "container", "before");
        assertEquals(List.of("Error: No such container: before"), old.errLines(), old.toString());
        capsa.ok("create", "--network", "none", "--name", "before", "busybox", "true");
        assertEquals("before\nafter\n", capsa.ok("ps", "-a", "--format", "{{.Names}}"), "newest first");
        Cli.Result taken = capsa.run("rename", "after", "before");
        assertEquals(125, taken.exit(), taken.toString());
        assertTrue(taken.err().startsWith("Error: Conflict. The container name \"/before\" is already in use"), taken.err());
    }

    @Test
    void waitPrintsEachExitCode() {
        capsa.ok("run", "--network", "none", "-d", "--name", "seven", "busybox", "sh", "-c", "sleep 0.5; exit 7");
        capsa.ok("run", "--network", "none", "-d", "--name", "zero", "busybox", "true");
        Cli.Result r = capsa.run("wait", "seven", "zero");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("7\n0\n", r.out());
    }

    @Test
    void logsFollowARunningContainerAndEndWhenItExits() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "talker", "busybox", "sh", "-c",
                "echo one; echo warn >&2; while [ ! -e /go ]; do sleep 0.05; done; echo two; exit 0");
        awaitLogs("talker", "one\n");
        Process follow = capsa.start("logs", "-f", "talker");
        Thread.sleep(500);
        assertTrue(follow.isAlive(), "logs -f ended while the container runs");
        capsa.ok("exec", "talker", "touch", "/go");
        Cli.Result r = Cli.await(follow);
        assertEquals(0, r.exit(), r.toString());
        assertEquals("one\ntwo\n", r.out());
        assertEquals("warn\n", r.err());
        assertEquals("exited", status("talker"));
    }

    @Test
    void logsTailSinceAndTimestamps() throws Exception {
        capsa.ok("run", "--network", "none", "--name", "counter", "busybox", "sh", "-c", "echo 1; echo 2; sleep 0.2; echo 3");
        assertEquals("2\n3\n", capsa.ok("logs", "--tail", "2", "counter"));
        assertEquals("", capsa.ok("logs", "--tail", "0", "counter"));
        List<String> stamped = capsa.ok("logs", "-t", "counter").lines().toList();
        assertEquals(3, stamped.size(), stamped.toString());
        for (int i = 0; i < 3; i++) {
            assertTrue(stamped.get(i).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z " + (i + 1)), stamped.get(i));
        }
        Instant third = Instant.parse(stamped.get(2).split(" ")[0]);
        assertEquals("3\n", capsa.ok("logs", "--since", third.toString(), "counter"), "--since includes its own instant");
        assertEquals("1\n2\n", capsa.ok("logs", "--until", third.minusMillis(100).toString(), "counter"));
        assertEquals("1\n2\n3\n", capsa.ok("logs", "--since", "1h", "counter"));
        assertEquals("", capsa.ok("logs", "--since", Long.toString(third.getEpochSecond() + 60), "counter"));
    }

    @Test
    void twoClisRacingForOneNameMakeOneContainer() throws Exception {
        for (int round = 0; round < 3; round++) {
            String name = "same" + round;
            Process a = capsa.start("run", "--network", "none", "-d", "--name", name, "busybox", "sleep", "1000");
            Process b = capsa.start("run", "--network", "none", "-d", "--name", name, "busybox", "sleep", "1000");
            Cli.Result ra = Cli.await(a), rb = Cli.await(b);
            Cli.Result won = ra.exit() == 0 ? ra : rb, lost = ra.exit() == 0 ? rb : ra;
            assertEquals(0, won.exit(), ra + "\n" + rb);
            assertEquals(125, lost.exit(), ra + "\n" + rb);
            assertEquals("", lost.out());
            assertEquals(1, lost.errLines().size(), lost.toString());
            assertTrue(lost.err().startsWith("Error: Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + won.out().strip() + "\""), lost.err());
            assertEquals("running", status(name));
        }
        assertEquals(3, capsa.ok("ps", "-a", "-q").lines().count());
        try (var dirs = Files.list(dir.resolve("data/containers"))) {
            assertEquals(3, dirs.count(), "no half-created container is left");
        }
    }

    @Test
    void rmForceUnderAnAttachedCliEndsItAndLeavesNothing() throws Exception {
        Process run = capsa.start("run", "--network", "none", "--name", "attached", "busybox", "sh", "-c", "echo ready; exec sleep 1000");
        awaitLogs("attached", "ready\n");
        int pid = pid("attached");
        assertEquals("attached\n", capsa.ok("rm", "-f", "attached"));
        Cli.Result r = Cli.await(run);
        assertEquals(137, r.exit(), r.toString());
        assertEquals("ready\n", r.out());
        assertTrue(!Files.exists(Path.of("/proc/" + pid)), "the container's init is gone");
        assertEquals("", capsa.ok("ps", "-a", "-q"));
        Cli.Result gone = capsa.run("inspect", "--type", "container", "attached");
        assertEquals(List.of("Error: No such container: attached"), gone.errLines());
        assertEquals(List.of(), Leaks.mountsUnder(dir.toString()));
    }
}
