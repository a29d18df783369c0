package io.capsa.it;

import io.capsa.runtime.Containers;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** create, start, state, exec, kill, delete and run, as containerd and a user drive them. */
class LifecycleIT extends ContainerTestBase {

    @Test
    void runPassesOnTheExitCode() {
        Cli.Result r = capsa.run("run", "--bundle", bundle("b", "sh", "-c", "echo out; echo err >&2; exit 42").dir().toString(), newId());
        assertEquals(42, r.exit(), r.toString());
        assertEquals("out", r.text());
        assertEquals("err", r.err().strip());
    }

    @Test
    void runReportsAKillingSignalAs128PlusIt() {
        String id = newId();
        Process run = capsa.start("run", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        awaitStatus(id, "running");
        capsa.ok("kill", id, "KILL");
        Cli.Result r = Cli.await(run);
        assertEquals(137, r.exit(), r.toString());
    }

    @Test
    void signalSentWithKillReachesTheProgram() {
        String id = newId();
        Bundle b = bundle("b", "sh", "-c", "trap 'echo got TERM; exit 7' TERM; echo ready; while true; do sleep 0.05; done");
        Process run = capsa.start("run", "--bundle", b.dir().toString(), id);
        awaitStatus(id, "running");
        sleep(300); // let the shell install its trap
        capsa.ok("kill", id, "TERM");
        Cli.Result r = Cli.await(run);
        assertEquals(7, r.exit(), r.toString());
        assertTrue(r.out().contains("got TERM"), r.toString());
        assertFalse(capsa.ok("list", "-q").contains(id), "foreground run deletes its container");
    }

    @Test
    void createWaitsForStartThenRunsTheProgram() throws IOException {
        String id = newId();
        Path marker = work.resolve("shared/started");
        Files.createDirectories(marker.getParent());
        Bundle b = bundle("b", "sh", "-c", "touch /shared/started; exec sleep 1000")
                .addMount("/shared", "bind", marker.getParent().toString(), "rbind", "rw");
        Path pidFile = work.resolve("init.pid");
        capsa.ok("create", "--bundle", b.dir().toString(), "--pid-file", pidFile.toString(), id);

        Map<String, Object> state = JSON.std.mapFrom(capsa.ok("state", id));
        assertEquals("created", state.get("status"));
        assertEquals(id, state.get("id"));
        assertEquals(b.dir().toString(), state.get("bundle"));
        assertTrue(state.containsKey("ociVersion") && state.containsKey("annotations"), state.toString());
        int pid = ((Number) state.get("pid")).intValue();
        assertEquals(Integer.toString(pid), Files.readString(pidFile).strip());
        sleep(200);
        assertFalse(Files.exists(marker), "the program ran before start");

        capsa.ok("start", id);
        for (int i = 0; i < 100 && !Files.exists(marker); i++) sleep(50);
        assertTrue(Files.exists(marker), "the program did not run after start");
        assertEquals("running", JSON.std.mapFrom(capsa.ok("state", id)).get("status"));

        capsa.ok("kill", id, "KILL");
        awaitStatus(id, "stopped");
        capsa.ok("delete", id);
        assertFalse(Files.exists(capsa.root().resolve(id)), "state left after delete");
        assertNotEquals(0, capsa.run("state", id).exit());
    }

    @Test
    void deleteForceOfContainersThatDoNotExistSucceedsSilentlyAndStillDeletesTheOnesThatDo() {
        Cli.Result missing = capsa.run("delete", "--force", newId(), newId());
        assertEquals(new Cli.Result(0, "", ""), missing);
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        capsa.ok("delete", "--force", newId(), id);
        assertFalse(Files.exists(capsa.root().resolve(id)), "state left after delete");
    }

    @Test
    void runDetachReturnsWhileTheContainerRuns() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        assertEquals("running", JSON_status(id));
        List<String> listed = capsa.ok("list").lines().toList();
        assertTrue(listed.get(0).startsWith("ID"), listed.toString());
        assertTrue(listed.stream().anyMatch(l -> l.startsWith(id + " ") && l.contains("running")), listed.toString());
        capsa.ok("delete", "--force", id);
        assertEquals("", capsa.ok("list", "-q").strip());
    }

    @Test
    void execJoinsEveryNamespaceOfTheContainerAndPassesOnTheExitCode() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").addNamespace("time", null).dir().toString(), id);
        int pid = pidOf(capsa, id);
        for (String ns : List.of("cgroup", "ipc", "mnt", "net", "pid", "time", "uts")) {
            String target = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).toString();
            assertEquals(target, capsa.ok("exec", id, "readlink", "/proc/self/ns/" + ns).strip(), ns);
        }
        assertEquals("capsa-test", capsa.ok("exec", id, "hostname").strip());
        assertTrue(capsa.ok("exec", id, "ps", "-o", "pid,comm").lines().anyMatch(l -> l.strip().matches("1 +sleep")));
        Cli.Result r = capsa.run("exec", id, "sh", "-c", "exit 9");
        assertEquals(9, r.exit(), r.toString());
    }

    /** The process moves itself into each of the init's cgroups, also where capsa moves it (user namespace). */
    @Test
    void execRunsInEveryCgroupOfTheContainer() throws IOException {
        for (Bundle b : List.of(bundle("b", "sleep", "1000"), bundle("u", "sleep", "1000").userNamespace(100000, 65536))) {
            String id = newId();
            capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
            Path pidFile = work.resolve(id + ".pid");
            capsa.ok("exec", "--detach", "--pid-file", pidFile.toString(), id, "sleep", "999");
            int pid = Integer.parseInt(Files.readString(pidFile).strip());
            assertEquals(Files.readString(Path.of("/proc/" + pidOf(capsa, id) + "/cgroup")),
                    Files.readString(Path.of("/proc/" + pid + "/cgroup")), b.dir().toString());
        }
    }

    @Test
    void execTakesAProcessJsonAndEnvCwdUserFlags() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        Path process = work.resolve("process.json");
        Files.writeString(process, "{\"args\":[\"sh\",\"-c\",\"echo $GREETING $(pwd) $(id -u):$(id -g)\"],"
                + "\"env\":[\"PATH=/bin\",\"GREETING=hello\"],\"cwd\":\"/tmp\",\"user\":{\"uid\":1000,\"gid\":1001}}");
        assertEquals("hello /tmp 1000:1001", capsa.ok("exec", "--process", process.toString(), id).strip());
        assertEquals("bye /proc 7:8", capsa.ok("exec", "-e", "GREETING=bye", "--cwd", "/proc", "-u", "7:8", id,
                "sh", "-c", "echo $GREETING $(pwd) $(id -u):$(id -g)").strip());
    }

    /** As runc: a process without a HOME gets its user's from the container's /etc/passwd, or "/". */
    @Test
    void homeComesFromTheContainersPasswdUnlessTheProcessSetsIt() throws IOException {
        // The container's own /etc/passwd, bound over the rootfs's: the file the process sees, not the host's.
        Path passwd = Files.writeString(work.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\nu:x:1000:1000::/home/u:/bin/sh\n");
        String id = newId();
        Bundle b = bundle("b", "sleep", "1000").addMount("/etc/passwd", "bind", passwd.toString(), "bind", "ro");
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        assertEquals("/root", capsa.ok("exec", id, "sh", "-c", "echo \"$HOME\"").strip());
        assertEquals("/home/u", capsa.ok("exec", "-u", "1000", id, "sh", "-c", "echo \"$HOME\"").strip());
        assertEquals("/", capsa.ok("exec", "-u", "1234", id, "sh", "-c", "echo \"$HOME\"").strip(), "a uid without an entry");
        assertEquals("/x", capsa.ok("exec", "-e", "HOME=/x", id, "sh", "-c", "echo \"$HOME\"").strip());
        assertEquals("/root", capsa.ok("exec", "-e", "HOME=", id, "sh", "-c", "echo \"$HOME\"").strip(), "an empty HOME is replaced");

        Bundle user = bundle("u", "sh", "-c", "echo \"$HOME\"").addMount("/etc/passwd", "bind", passwd.toString(), "bind", "ro");
        user.process().put("user", Map.of("uid", 1000, "gid", 1000));
        user.write();
        assertEquals("/home/u", capsa.ok("run", "--bundle", user.dir().toString(), newId()).strip());
    }

    /** The environment is as long as the process asks for (the helper once cut it at 4,095 entries). */
    @Test
    void aLongEnvironmentReachesTheProcessWhole() {
        Bundle b = bundle("b", "sh", "-c", "env | grep -c ^CAPSA_; echo \"$CAPSA_4499\"");
        List<String> env = new ArrayList<>(List.of("PATH=/bin"));
        for (int i = 0; i < 4500; i++) env.add("CAPSA_" + i + "=v" + i);
        b.process().put("env", env);
        b.write();
        assertEquals(List.of("4500", "v4499"), capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList());
    }

    @Test
    void execDetachReturnsAtOnceAndWritesThePid() throws IOException {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        Path pidFile = work.resolve("exec.pid");
        capsa.ok("exec", "--detach", "--pid-file", pidFile.toString(), id, "sleep", "999");
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep\0" + "999"));
        assertTrue(capsa.ok("ps", "--format", "json", id).contains(Integer.toString(pid)));
        assertTrue(capsa.ok("ps", id).lines().anyMatch(l -> l.contains("sleep 999")));
    }

    @Test
    void killAllSignalsEveryProcessOfTheContainer() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("b", "sh", "-c", "sleep 1000 & sleep 1000 & wait").dir().toString(), id);
        for (int i = 0; i < 100 && capsa.ok("ps", "--format", "json", id).split(",").length < 3; i++) sleep(50);
        capsa.ok("kill", "--all", id, "9");
        awaitStatus(id, "stopped");
        assertEquals(List.of(), Leaks.processesInCgroups(id));
    }

    @Test
    void deleteKillsWhatAnInitWithoutAPidNamespaceLeftBehind() {
        String id = newId();
        Bundle b = bundle("b", "sh", "-c", "sleep 1000 </dev/null >/dev/null 2>&1 & exit 0");
        b.linux().put("namespaces", b.namespaces().stream().filter(n -> !n.get("type").equals("pid")).toList());
        b.write();
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        awaitStatus(id, "stopped");
        assertEquals(1, Leaks.processesInCgroups(id).size(), "the init's sleep outlives it");
        capsa.ok("delete", id);
        assertEquals(List.of(), Leaks.processesInCgroups(id));
        assertFalse(Files.exists(capsa.root().resolve(id)), "state left after delete");
    }

    @Test
    void theContainerGetsASessionKeyringOfItsOwnUnlessToldNotTo() {
        String id = newId();
        Bundle b = bundle("b", "cat", "/proc/keys");
        b.linux().put("maskedPaths", List.of()); // the default config masks /proc/keys
        b.write();
        assertTrue(capsa.ok("run", "--bundle", b.dir().toString(), id).contains("keyring   " + id + ":"),
                "no session keyring named after the container");
        String other = newId();
        assertTrue(!capsa.ok("run", "--no-new-keyring", "--bundle", b.dir().toString(), other).contains(other));
    }

    @Test
    void noPivotEntersTheRootWithChroot() {
        Cli.Result r = capsa.run("run", "--no-pivot", "--bundle", bundle("b", "sh", "-c", "ls /bin/busybox && cat /proc/1/cgroup >/dev/null").dir().toString(), newId());
        assertEquals(0, r.exit(), r.toString());
        assertEquals("/bin/busybox", r.text());
    }

    @Test
    void preservedDescriptorsReachTheContainerAndNoOthers() throws Exception {
        Path data = work.resolve("data.txt");
        Files.writeString(data, "through fd 3\n");
        // After exec, ls is pid 1: it holds stdio, fd 3, and fd 4 on the directory it is listing.
        Bundle b = bundle("b", "sh", "-c", "cat <&3; exec ls /proc/self/fd");
        // bash opens fd 3 on the file and keeps fd 4 open on it too, so only --preserve-fds decides.
        Process p = new ProcessBuilder("bash", "-c", "exec 3<" + data + " 4<" + data + "; exec \"$@\"", "x",
                Cli.CAPSA.toString(), "--root", capsa.root().toString(), "run", "--preserve-fds", "1",
                "--bundle", b.dir().toString(), newId()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(List.of("through fd 3", "0", "1", "2", "3", "4"), out.lines().toList(), out);
    }

    @Test
    void aJavaProgramRunsContainersOneAfterAnother() {
        // No bin/capsa-runtime here, so no helper forked in advance: the library starts each one itself.
        Containers containers = new Containers(capsa.root(), null, warn -> { });
        Bundle b = bundle("b", "sh", "-c", "exit 3");
        for (int i = 0; i < 2; i++)
            assertEquals(3, containers.run(newId(), new Containers.CreateOptions(b.dir(), null, 0, false, true, null, null), false));
    }

    @Test
    void aGapInThePreservedDescriptorsStaysAGap() throws Exception {
        Path data = work.resolve("data.txt");
        Files.writeString(data, "through fd 4\n");
        Bundle b = bundle("b", "sh", "-c", "cat <&4; [ -e /proc/self/fd/3 ] && echo fd 3 open || echo fd 3 closed");
        // fd 3 is free in the caller, where capsa's own pipes land first: they must not reach the container.
        Process p = new ProcessBuilder("bash", "-c", "exec 4<" + data + "; exec \"$@\"", "x",
                Cli.CAPSA.toString(), "--root", capsa.root().toString(), "run", "--preserve-fds", "2",
                "--bundle", b.dir().toString(), newId()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertEquals(List.of("through fd 4", "fd 3 closed"), out.lines().toList(), out);
    }

    @Test
    void listLeavesOutContainersDeletedWhileItRuns() throws Exception {
        String id = newId(), gone = newId();
        capsa.ok("create", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        String state = Files.readString(capsa.root().resolve(id).resolve("state.json"));
        // A container deleted as soon as list has read its state once: its state.json is a fifo this test
        // writes the state into, then removes, with its directory.
        Path dir = Files.createDirectory(capsa.root().resolve(gone)), fifo = dir.resolve("state.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread deleter = new Thread(() -> {
            try {
                Files.writeString(fifo, state.replace(id, gone)); // blocks until list opens it
                Files.delete(fifo);
                Files.delete(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        deleter.start();
        // Directories of a removal halfway: without a state.json, with an empty one, with a name no id has.
        Files.createDirectory(capsa.root().resolve(newId()));
        Files.createFile(Files.createDirectory(capsa.root().resolve(newId())).resolve("state.json"));
        Files.createDirectory(capsa.root().resolve("not an id"));
        Cli.Result r = capsa.run("list", "-q");
        deleter.join(10_000);
        assertFalse(deleter.isAlive(), "list never read the state of " + gone);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().toList().contains(id), r.toString());
    }

    @Test
    void aLockHeldElsewhereEndsInAnErrorNotAHang() throws Exception {
        String id = newId();
        capsa.ok("create", "--bundle", bundle("b", "sleep", "1000").dir().toString(), id);
        try (FileChannel lock = FileChannel.open(capsa.root().resolve(id).resolve("lock"), StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            long start = System.nanoTime();
            refused(null, "container \"" + id + "\" is busy", "start", id);
            assertTrue(System.nanoTime() - start < 40_000_000_000L);
        }
        assertEquals("created", statusOf(id));
        capsa.ok("start", id);
        assertEquals("running", statusOf(id));
    }

    @Test
    void specWritesARuncStyleDefaultAndFeaturesListTheNamespaces() throws IOException {
        Path dir = Files.createDirectories(work.resolve("spec"));
        capsa.ok("spec", "--bundle", dir.toString());
        Map<String, Object> config = JSON.std.mapFrom(Files.readString(dir.resolve("config.json")));
        assertEquals("rootfs", ((Map<?, ?>) config.get("root")).get("path"));
        assertNotEquals(0, capsa.run("spec", "--bundle", dir.toString()).exit(), "spec overwrote config.json");
        Map<String, Object> features = JSON.std.mapFrom(capsa.ok("features"));
        assertEquals(List.of("cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"),
                ((Map<?, ?>) features.get("linux")).get("namespaces"));
    }

    private String JSON_status(String id) {
        try {
            return (String) JSON.std.mapFrom(capsa.ok("state", id)).get("status");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
