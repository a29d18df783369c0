package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hooks run at the spec's moments, in the spec's namespaces, with the state on stdin. */
class HooksIT extends ContainerTestBase {

    /** A hook that runs a shell script; it sees its state on stdin. */
    private static Map<String, Object> shellHook(String script, Integer timeout) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("path", "/bin/sh");
        h.put("args", List.of("sh", "-c", script));
        if (timeout != null) h.put("timeout", timeout);
        return h;
    }

    private Bundle withHooks(Bundle b, Map<String, List<Map<String, Object>>> hooks) {
        return b.set("hooks", hooks);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    @Test
    void everyHookRunsAtItsMomentInItsNamespaces() throws IOException {
        Path out = Files.createDirectories(work.resolve("out"));
        String id = newId();
        Bundle b = bundle("b", "cat", "/shared/start-hook").addMount("/shared", "bind", out.toString(), "rbind", "rw");
        withHooks(b, Map.of(
                "prestart", List.of(shellHook("cat > " + out + "/prestart.json", null)),
                "createRuntime", List.of(shellHook("cat > " + out + "/runtime.json; readlink /proc/self/ns/mnt > " + out + "/runtime.mnt", null)),
                "createContainer", List.of(shellHook("cat > " + out + "/container.json; readlink /proc/self/ns/mnt > " + out + "/container.mnt", null)),
                "startContainer", List.of(shellHook("cat > /shared/start.json; echo hooked > /shared/start-hook", null)),
                "poststart", List.of(shellHook("cat > " + out + "/poststart.json", null)),
                "poststop", List.of(shellHook("cat > " + out + "/poststop.json", null))));
        capsa.ok("create", "--bundle", b.dir().toString(), id);
        int pid = pidOf(capsa, id);

        Map<String, Object> runtime = JSON.std.mapFrom(read(out.resolve("runtime.json")));
        assertEquals(id, runtime.get("id"));
        // "created" from prestart to startContainer: the runtime spec's "after step 2", as crun and the OCI validation suite have it
        assertEquals("created", runtime.get("status"));
        assertEquals("created", JSON.std.mapFrom(read(out.resolve("prestart.json"))).get("status"));
        Map<String, Object> container = JSON.std.mapFrom(read(out.resolve("container.json")));
        assertEquals("created", container.get("status"));
        assertEquals(1, ((Number) container.get("pid")).intValue(), "in the container's namespaces, its pid as it sees it");
        assertEquals(pid, ((Number) runtime.get("pid")).intValue());
        assertEquals(b.dir().toString(), runtime.get("bundle"));
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        assertEquals(hostMnt, read(out.resolve("runtime.mnt")), "createRuntime runs in the runtime's namespace");
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/mnt")).toString(), read(out.resolve("container.mnt")),
                "createContainer runs in the container's mount namespace");
        assertFalse(Files.exists(out.resolve("start-hook")), "startContainer ran before start");
        assertFalse(Files.exists(out.resolve("poststart.json")));

        capsa.ok("start", id);
        assertEquals("running", JSON.std.mapFrom(read(out.resolve("poststart.json"))).get("status"));
        awaitStatus(id, "stopped");
        assertEquals("hooked", read(out.resolve("start-hook")), "startContainer runs inside the container's root");
        Map<String, Object> start = JSON.std.mapFrom(read(out.resolve("start.json")));
        assertEquals("created", start.get("status"));
        assertEquals(1, ((Number) start.get("pid")).intValue());
        assertFalse(Files.exists(out.resolve("poststop.json")));
        capsa.ok("delete", id);
        assertEquals("stopped", JSON.std.mapFrom(read(out.resolve("poststop.json"))).get("status"));
    }

    @Test
    void aFailingCreateRuntimeHookFailsCreateAndLeavesNothing() {
        String id = newId();
        Bundle b = withHooks(bundle("b", "true"), Map.of("createRuntime", List.of(shellHook("exit 3", null))));
        refused(b, id, "hooks.createRuntime[0] /bin/sh: exited with status 3");
    }

    @Test
    void aFailingCreateContainerHookFailsCreate() {
        String id = newId();
        Bundle b = withHooks(bundle("b", "true"), Map.of("createContainer", List.of(shellHook("exit 4", null))));
        refused(b, id, "hooks.createContainer[0] /bin/sh: exited with status 4");
    }

    @Test
    void aHookThatOutlivesItsTimeoutIsKilledAndFailsCreate() {
        Bundle runtime = withHooks(bundle("a", "true"), Map.of("createRuntime", List.of(shellHook("sleep 30", 1))));
        long start = System.nanoTime();
        refused(runtime, newId(), "hooks.createRuntime[0] /bin/sh: timed out after 1 s");
        Bundle container = withHooks(bundle("b", "true"), Map.of("createContainer", List.of(shellHook("sleep 30", 1))));
        refused(container, newId(), "hooks.createContainer[0] /bin/sh: timed out after 1 s");
        assertTrue(System.nanoTime() - start < 20_000_000_000L, "the timeouts were not honoured");
    }

    /** The timeout covers the whole hook: also a state that fills the pipe of a hook that never reads it. */
    @Test
    void aHookThatDoesNotReadItsStdinStillTimesOut() {
        for (String point : List.of("prestart", "createRuntime", "createContainer")) {
            Bundle b = withHooks(bundle(point, "true"), Map.of(point, List.of(shellHook("sleep 20", 1))))
                    .set("annotations", Map.of("big", "x".repeat(200_000))); // beyond the pipe's 64 KiB
            long start = System.nanoTime();
            Cli.Result r = capsa.run("run", "--bundle", b.dir().toString(), newId());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(r.err().contains("timed out after 1 s"), r.toString());
            assertTrue(seconds < 10, point + " took " + seconds + " s");
        }
    }

    @Test
    void prestartRunsInTheRuntimesNetworkNamespaceWhenTheContainerJoinsAnother() throws IOException {
        Path out = Files.createDirectories(work.resolve("out"));
        String first = newId();
        capsa.ok("run", "--detach", "--bundle", bundle("a", "sleep", "1000").dir().toString(), first);
        String joined = "/proc/" + pidOf(capsa, first) + "/ns/net";
        Bundle b = withHooks(bundle("b", "true").addNamespace("network", joined),
                Map.of("prestart", List.of(shellHook("readlink /proc/self/ns/net > " + out + "/prestart.net", null))));
        capsa.ok("run", "--bundle", b.dir().toString(), newId());
        String host = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        assertNotEquals(host, Files.readSymbolicLink(Path.of(joined)).toString());
        assertEquals(host, read(out.resolve("prestart.net")), "prestart runs in the runtime's namespace, not the joined one");
    }

    @Test
    void aHookThatIsNotExecutableIsRefused() throws IOException {
        Path script = Files.writeString(work.resolve("hook.sh"), "#!/bin/sh\n");
        Bundle b = withHooks(bundle("b", "true"), Map.of("poststop", List.of(Map.of("path", script.toString()))));
        refused(b, newId(), "hooks.poststop[0].path: " + script + " is not an executable file");
    }

    /** Runtime spec: the runtime warns, "but the remaining hooks and lifecycle continue as if the hook had succeeded". */
    @Test
    void aFailingPoststartHookIsAWarningAndTheRestAndTheContainerRun() {
        String id = newId();
        Path after = work.resolve("after");
        Bundle b = withHooks(bundle("b", "sleep", "1000"),
                Map.of("poststart", List.of(shellHook("exit 5", null), shellHook("cat > " + after, null))));
        Cli.Result r = capsa.run("run", "--detach", "--bundle", b.dir().toString(), id);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("warning: hooks.poststart[0] /bin/sh: exited with status 5"), r.toString());
        assertEquals("running", statusOf(id));
        assertTrue(Files.exists(after), "the poststart hook after the failed one did not run");
    }

    @Test
    void aFailingPoststopHookIsAWarningAndTheRestRun() throws IOException {
        String id = newId();
        Path after = work.resolve("after");
        Bundle b = withHooks(bundle("b", "true"),
                Map.of("poststop", List.of(shellHook("exit 6", null), shellHook("cat > " + after, null))));
        capsa.ok("create", "--bundle", b.dir().toString(), id);
        Cli.Result r = capsa.run("delete", "--force", id);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("warning: hooks.poststop[0] /bin/sh: exited with status 6"), r.toString());
        assertEquals("stopped", JSON.std.mapFrom(read(after)).get("status"), "the poststop hook after the failed one");
        assertNothingLeftOf(id);
    }

    private void refused(Bundle b, String id, String expected) {
        Cli.Result r = capsa.run("run", "--bundle", b.dir().toString(), id);
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in " + r);
        assertEquals(1, r.errLines().size(), r.toString());
        assertFalse(Files.exists(capsa.root().resolve(id)), "state left");
        assertEquals(List.of(), Leaks.cgroupDirs(id));
        assertEquals(List.of(), Leaks.processesInCgroups(id));
    }
}
