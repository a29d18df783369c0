package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user reads about running containers through bin/capsa: top, stats and port. */
class EngineInfoIT extends EngineTestBase {
    /** The cells of a top row: the last (the command) may hold spaces. */
    private static List<String> cells(String line, int columns) {
        return List.of(line.strip().split(" +", columns));
    }

    @Test
    void topListsTheContainersProcessesWithTheirPidsOnTheHostAndInside() throws Exception {
        String id = capsa.ok("run", "--network", "none", "-d", "--name", "web", "busybox", "sh", "-c", "sleep 1000 & exec sleep 999").strip();
        int init = pid("web");
        capsa.ok("exec", "-d", "web", "sleep", "998");
        List<String> lines = List.of();
        for (int i = 0; i < 100 && lines.size() < 4; i++) {
            if (i > 0) Thread.sleep(50);
            lines = capsa.ok("top", "web").lines().toList();
        }
        assertTrue(lines.getFirst().matches("UID {17}PID {17}NSPID {15}PPID {16}C {19}STIME {15}TTY {17}TIME {16}CMD"), lines.getFirst());
        assertEquals(4, lines.size(), String.join("\n", lines));
        for (String line : lines.subList(1, 4)) {
            List<String> c = cells(line, 9);
            int hostPid = Integer.parseInt(c.get(1));
            String status = Files.readString(Path.of("/proc/" + hostPid + "/status"));
            assertTrue(status.matches("(?s).*\nNSpid:\t" + hostPid + "\t" + c.get(2) + "\n.*"), line + "\n" + status);
            assertTrue(c.get(8).matches("sleep (1000|999|998)"), line);
            if (hostPid == init) assertEquals(List.of("1", "sleep 999"), List.of(c.get(2), c.get(8)), "the init is pid 1 inside");
        }
        assertTrue(lines.stream().anyMatch(l -> cells(l, 9).get(1).equals(Integer.toString(init))), "the init is listed");
        // ps options as docker top passes them: what follows the container
        List<String> custom = capsa.ok("container", "top", id.substring(0, 8), "-o", "pid,comm").lines().toList();
        assertTrue(custom.getFirst().matches("PID {17}NSPID {15}COMMAND"), custom.getFirst());
        assertEquals(Integer.toString(init) + " 1 sleep", String.join(" ", cells(custom.get(1), 3)));
        assertRefused("Error: Couldn't find PID field in ps output", "top", "web", "-o", "comm");
        Cli.Result bad = capsa.run("top", "web", "-Z-");
        assertEquals(125, bad.exit(), bad.toString());
        assertEquals(1, bad.errLines().size(), bad.toString());
        assertTrue(bad.err().startsWith("Error: ps: error: "), "ps's own first line: " + bad.err());
    }

    @Test
    void topOfAContainerNotRunningIsRefused() {
        String id = capsa.ok("create", "--network", "none", "--name", "idle", "busybox", "true").strip();
        assertRefused("Error: Container " + id + " is not running", "top", "idle");
        assertRefused("Error: No such container: nosuch", "top", "nosuch");
    }

    @Test
    void statsShowDockersColumnsForEachContainer() {
        capsa.ok("run", "--network", "none", "-d", "--name", "busy", "--memory", "64m", "busybox", "sh", "-c", "while :; do :; done");
        capsa.ok("run", "--network", "none", "-d", "--name", "calm", "busybox", "sh", "-c", "sleep 1000 & exec sleep 999");
        capsa.ok("create", "--network", "none", "--name", "idle", "busybox", "true");
        List<String> table = capsa.ok("stats", "--no-stream").lines().toList();
        assertTrue(table.getFirst().matches("CONTAINER ID   NAME +CPU % +MEM USAGE / LIMIT +MEM % +NET I/O +BLOCK I/O +PIDS"), table.getFirst());
        assertEquals(3, table.size(), "only the running ones: " + table + "\n" + capsa.ok("ps", "-a") + capsa.ok("inspect", "-f", "{{json .State}}", "busy"));
        String busy = capsa.ok("stats", "--no-stream", "--format", "{{.Container}} {{.Name}} {{.CPUPerc}} {{.MemUsage}} {{.MemPerc}} {{.NetIO}} {{.PIDs}}", "busy");
        String[] f = busy.strip().split(" ");
        assertEquals(List.of("busy", "busy"), List.of(f[0], f[1]), busy);
        assertTrue(f[2].matches("\\d+\\.\\d\\d%") && Double.parseDouble(f[2].replace("%", "")) > 1, "a busy loop uses CPU: " + busy);
        assertTrue(f[3].matches("[0-9.]+(B|KiB|MiB)") && f[4].equals("/") && f[5].equals("64MiB"), "usage of the 64 MiB limit: " + busy);
        assertEquals(List.of("0B", "/", "0B", "1"), List.of(f[7], f[8], f[9], f[10]), "no network (none), one process: " + busy);
        String calm = capsa.ok("container", "stats", "--no-stream", "--format", "{{.CPUPerc}} {{.PIDs}} {{.MemUsage}}", "calm").strip();
        assertTrue(calm.matches("0\\.\\d\\d% 2 [0-9.]+(B|KiB|MiB) / [0-9.]+GiB"), "sleeping, two processes, the host's memory as limit: " + calm);
        String json = capsa.ok("stats", "--no-stream", "-a", "--no-trunc", "--format", "json", "idle");
        String idleId = capsa.ok("inspect", "-f", "{{.Id}}", "idle").strip();
        assertEquals("{\"BlockIO\":\"0B / 0B\",\"CPUPerc\":\"0.00%\",\"Container\":\"idle\",\"ID\":\"" + idleId
                + "\",\"MemPerc\":\"0.00%\",\"MemUsage\":\"0B / 0B\",\"Name\":\"idle\",\"NetIO\":\"0B / 0B\",\"PIDs\":\"0\"}\n", json);
        List<String> all = capsa.ok("stats", "--no-stream", "-a", "--format", "{{.Container}} {{.Name}}").lines().toList();
        assertEquals(3, all.size(), all.toString());
        assertTrue(all.contains(idleId.substring(0, 12) + " idle"), "-a shows the short id as CONTAINER: " + all);
        assertRefused("Error: No such container: nosuch", "stats", "--no-stream", "nosuch");
    }

    @Test
    void statsStreamRedrawsEverySecondAndFollowsNewContainers() throws Exception {
        capsa.ok("run", "--network", "none", "-d", "--name", "first", "busybox", "sleep", "1000");
        Process stats = capsa.start("stats", "--format", "{{.Name}}");
        Thread.sleep(1500);
        capsa.ok("run", "--network", "none", "-d", "--name", "second", "busybox", "sleep", "1000");
        Thread.sleep(2500);
        assertTrue(stats.isAlive(), "stats streams until interrupted");
        new ProcessBuilder("kill", "-INT", Long.toString(stats.pid())).start().waitFor();
        assertTrue(stats.waitFor(10, TimeUnit.SECONDS));
        String out = Cli.await(stats).out();
        String[] frames = out.split("\033\\[2J\033\\[H", -1);
        assertTrue(frames.length >= 4, "a frame a second, each after clearing the screen: " + out);
        assertEquals("", frames[0]);
        assertEquals("first\n", frames[1]);
        assertEquals("first\nsecond\n", frames[frames.length - 1], "the container started meanwhile is shown");
    }

    @Test
    void portPrintsNothingWithoutPublishedPortsAndRefusesAPortNotPublished() {
        capsa.ok("run", "--network", "none", "-d", "--name", "web", "busybox", "sleep", "1000");
        assertEquals("", capsa.ok("port", "web"));
        assertEquals("", capsa.ok("container", "port", "web"));
        assertRefused("Error: No public port '80' published for web", "port", "web", "80");
        assertRefused("Error: No public port '53/udp' published for web", "port", "web", "53/udp");
        assertRefused("Error: invalid port (http)", "port", "web", "http");
        assertRefused("Error: No such container: nosuch", "port", "nosuch");
    }
}
