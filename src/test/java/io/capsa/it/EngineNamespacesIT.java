package io.capsa.it;

import io.capsa.spec.Json;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.Node;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorials' namespace tools built into bin/capsa, end to end: `ns ls` against util-linux lsns, `ns enter`
 * against util-linux nsenter, and the namespaces `inspect` shows, all on containers of `run -d`.
 */
class EngineNamespacesIT extends EngineTestBase {
    /** Runs a detached `sleep 1000` container; returns its init's pid. */
    private int runSleeping(String name, String... flags) {
        List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name));
        args.addAll(List.of(flags));
        args.addAll(List.of("busybox", "sleep", "1000"));
        capsa.ok(args.toArray(String[]::new));
        int pid = pid(name);
        assertTrue(pid > 0, name + " is not running: " + capsa.ok("inspect", "-f", "{{json .State}}", name));
        return pid;
    }

    private static String nsFile(Object pid, NamespaceType type) {
        return "/proc/" + pid + "/ns/" + type.procName();
    }

    private static long inode(Object pid, NamespaceType type) throws IOException {
        return ((Number) Files.getAttribute(Path.of(nsFile(pid, type)), "unix:ino")).longValue();
    }

    /** The namespace types in which the process is not where this test (on the host) is. */
    private static List<NamespaceType> ownTypes(int pid) throws IOException {
        List<NamespaceType> own = new ArrayList<>();
        for (NamespaceType type : NamespaceType.values()) if (inode(pid, type) != inode("self", type)) own.add(type);
        return own;
    }

    /** The rows of `{"namespaces":[...]}` by inode. */
    private static Map<Long, Node> rows(String json) {
        Map<Long, Node> rows = new HashMap<>();
        for (Node row : Json.parse(json, "namespaces").get("namespaces").list()) rows.put(row.get("ns").integer(-1), row);
        return rows;
    }

    private static String lsns(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("lsns"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void lsJsonAgreesWithLsnsOnTheNamespacesOfADetachedContainerAndNamesIt() throws Exception {
        int pid = runSleeping("web");
        List<NamespaceType> own = ownTypes(pid);
        assertTrue(own.containsAll(List.of(NamespaceType.PID, NamespaceType.NETWORK, NamespaceType.MOUNT)), own.toString());

        Map<Long, Node> ours = rows(capsa.ok("ns", "ls", "--json"));
        Map<Long, Node> theirs = rows(lsns("--json"));
        for (NamespaceType type : own) {
            long inode = inode(pid, type);
            Node row = ours.get(inode), lsnsRow = theirs.get(inode);
            assertTrue(row != null && lsnsRow != null, type + " " + inode + " missing: " + ours.keySet() + " / " + theirs.keySet());
            for (String field : List.of("ns", "type", "nprocs", "pid", "user", "command"))
                assertEquals(lsnsRow.get(field).raw(), row.get(field).raw(), type + " " + field);
            assertEquals(List.of(type.procName(), 1L, (long) pid, "sleep 1000"),
                    List.of(row.get("type").raw(), row.get("nprocs").raw(), row.get("pid").raw(), row.get("command").raw()));
            assertEquals(List.of("web"), row.get("containers").strings(), type.toString());
        }
        // pid and user namespaces show their parent, as lsns -o PNS does.
        long pidNs = inode(pid, NamespaceType.PID);
        assertEquals(inode("self", NamespaceType.PID), ours.get(pidNs).get("pns").integer(-1));
        assertEquals(ours.get(pidNs).get("pns").raw(), rows(lsns("--json", "-t", "pid", "-o", "NS,PNS")).get(pidNs).get("pns").raw());
        // The host's namespaces the container shares name it; those it has its own of do not.
        assertEquals(List.of("web"), ours.get(inode("self", NamespaceType.USER)).get("containers").strings());
        assertEquals(List.of(), ours.get(inode("self", NamespaceType.NETWORK)).get("containers").strings());
    }

    @Test
    void lsTypesAndTableShowOnlyThoseTypesWithParentAndContainer() throws Exception {
        int pid = runSleeping("web");
        Map<Long, Node> rows = rows(capsa.ok("ns", "ls", "-t", "net", "--type", "uts", "--json"));
        for (Node row : rows.values()) assertTrue(List.of("net", "uts").contains(row.get("type").requiredString()), row.raw().toString());
        assertTrue(rows.containsKey(inode(pid, NamespaceType.NETWORK)) && rows.containsKey(inode(pid, NamespaceType.UTS)), rows.keySet().toString());

        String table = capsa.ok("ns", "ls", "-t", "pid");
        List<String> lines = table.lines().toList();
        assertEquals(List.of("NS", "TYPE", "NPROCS", "PID", "USER", "PNS", "CONTAINERS", "COMMAND"), List.of(lines.getFirst().trim().split(" +")));
        String row = inode(pid, NamespaceType.PID) + " pid 1 " + pid + " root " + inode("self", NamespaceType.PID) + " web sleep 1000";
        assertTrue(lines.stream().anyMatch(l -> l.trim().replaceAll(" +", " ").equals(row)), row + " not in\n" + table);
    }

    @Test
    void twoProcessesOfOneContainerAreOneNamespaceListingTheContainerOnce() throws Exception {
        int pid = runSleeping("one");
        capsa.ok("exec", "-d", "one", "sleep", "2000");
        long pidNs = inode(pid, NamespaceType.PID);
        Node row = null;
        for (int i = 0; i < 100 && (row == null || row.get("nprocs").integer(-1) != 2); i++) {
            row = rows(capsa.ok("ns", "ls", "-t", "pid", "--json")).get(pidNs);
            Thread.sleep(20);
        }
        assertEquals(2, row.get("nprocs").integer(-1), row.raw().toString());
        assertEquals(List.of("one"), row.get("containers").strings());
        assertEquals(rows(lsns("--json", "-t", "pid")).get(pidNs).get("nprocs").raw(), row.get("nprocs").raw());
    }

    /** The tutorials' `ns ls` showing two containers in one pid namespace. */
    @Test
    void twoContainersSharingAPidNamespaceAreBothListedOnIt() throws Exception {
        int db = runSleeping("db");
        int web = runSleeping("web", "--pid", "container:db");
        long pidNs = inode(db, NamespaceType.PID);
        assertEquals(pidNs, inode(web, NamespaceType.PID));
        Node row = rows(capsa.ok("ns", "ls", "-t", "pid", "--json")).get(pidNs);
        assertEquals(List.of("db", "web"), row.get("containers").strings());
        assertEquals(List.of(2L, (long) Math.min(db, web)), List.of(row.get("nprocs").raw(), row.get("pid").raw()));
        assertEquals(List.of("db"), namespaces("web").get("pid").get("SharedWith").strings());
    }

    /** inspect's "Namespaces" by Type. */
    private Map<String, Node> namespaces(String container) {
        Map<String, Node> byType = new HashMap<>();
        Node inspect = Json.parse(capsa.ok("inspect", container), "inspect").list().getFirst();
        for (Node ns : inspect.get("Namespaces").list()) byType.put(ns.get("Type").requiredString(), ns);
        return byType;
    }

    @Test
    void inspectListsEachNamespaceFileOfTheInitWithItsInodeAndWhatTheHostShares() throws Exception {
        int pid = runSleeping("web");
        Map<String, Node> namespaces = namespaces("web");
        assertEquals(NamespaceType.values().length, namespaces.size(), namespaces.keySet().toString());
        for (NamespaceType type : NamespaceType.values()) {
            Node ns = namespaces.get(type.specName());
            assertEquals(nsFile(pid, type), ns.get("Path").requiredString());
            assertEquals(inode(pid, type), ns.get("Inode").integer(-1), type.toString());
            boolean host = inode(pid, type) == inode("self", type);
            assertEquals(host ? List.of("host") : List.of(), ns.get("SharedWith").strings(), type.toString());
        }
        assertEquals(List.of("host"), namespaces.get("user").get("SharedWith").strings(), "busybox runs without a user namespace");
    }

    /** What a shell in the container sees: hostname, pid 1, a file of its root, its cgroups, its namespaces. */
    private static final String LOOK = "hostname; cat /proc/1/cmdline | tr '\\0' ' '; echo; cat /marker;"
            + " for f in /proc/self/ns/*; do readlink $f; done; cat /proc/self/cgroup";

    @Test
    void enterSeesTheContainersHostnamePidOneRootNamespacesAndCgroupAsExecAndNsenterDo() throws Exception {
        int pid = runSleeping("web");
        capsa.ok("exec", "web", "sh", "-c", "echo in-the-root > /marker");
        String hostname = capsa.ok("exec", "web", "hostname").strip();
        assertNotEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), hostname);

        String seen = capsa.ok("ns", "enter", "web", "--", "sh", "-c", LOOK);
        List<String> lines = seen.lines().toList();
        assertEquals(List.of(hostname, "sleep 1000 ", "in-the-root"), lines.subList(0, 3));
        for (NamespaceType type : NamespaceType.values()) {
            String link = Files.readSymbolicLink(Path.of(nsFile(pid, type))).toString();
            assertTrue(lines.contains(link), link + " not in\n" + seen);
        }
        // The same as exec's process, which is in the container's cgroups and cgroup namespace.
        assertEquals(capsa.ok("exec", "web", "sh", "-c", LOOK), seen);
        // nsenter --target --all sees the same, but stays in our cgroups: only those lines differ.
        String nsenter = nsenter(pid, "--all", "sh", "-c", LOOK);
        assertEquals(withoutCgroups(seen), withoutCgroups(nsenter));
        assertNotEquals(seen, nsenter);
    }

    private static List<String> withoutCgroups(String lines) {
        return lines.lines().filter(l -> !l.matches("[0-9]+:[^:]*:/.*")).toList();
    }

    @Test
    void enterJoinsTheContainersCgroupsWhichTheHostSeesWithoutItsCgroupNamespace() throws Exception {
        int pid = runSleeping("web");
        String cgroups = capsa.ok("ns", "enter", "web", "-m", "-p", "-u", "-i", "-n", "--", "cat", "/proc/self/cgroup");
        assertEquals(Files.readString(Path.of("/proc/" + pid + "/cgroup")), cgroups);
    }

    @Test
    void enterJoinsOnlyTheChosenNamespacesAndAlwaysTheRootAsNsenterWithRoot() throws Exception {
        int pid = runSleeping("web");
        capsa.ok("exec", "web", "sh", "-c", "echo in-the-root > /marker");
        String hostname = capsa.ok("exec", "web", "hostname");
        String hostHostname = Files.readString(Path.of("/proc/sys/kernel/hostname"));
        String uts = capsa.ok("ns", "enter", "web", "--uts", "--", "sh", "-c", "hostname; cat /marker");
        assertEquals(hostname + "in-the-root\n", uts);
        assertEquals(nsenter(pid, "--uts", "--root", "sh", "-c", "hostname; cat /marker"), uts);
        String net = capsa.ok("ns", "enter", "web", "--net", "--", "sh", "-c", "hostname; cat /marker");
        assertEquals(hostHostname + "in-the-root\n", net);
        assertEquals(nsenter(pid, "--net", "--root", "sh", "-c", "hostname; cat /marker"), net);
    }

    /** nsenter --target PID, run from the host. */
    private static String nsenter(int pid, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("nsenter", "--target", Integer.toString(pid)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void enterPassesTheCommandsStreamsAndExitCodeThrough() {
        runSleeping("web");
        Cli.Result r = capsa.run("ns", "enter", "web", "--", "sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(new Cli.Result(7, "out\n", "err\n"), r);
        Cli.Result missing = capsa.run("ns", "enter", "web", "--", "nosuch");
        assertEquals(127, missing.exit(), missing.toString());
        assertEquals(1, missing.errLines().size(), missing.toString());
        assertTrue(missing.err().startsWith("Error: exec: \"nosuch\": executable file not found"), missing.toString());
    }

    @Test
    void badInputIsOneClearErrorAndLeavesNothing() throws Exception {
        runSleeping("web");
        String created = capsa.ok("create", "--name", "made", "busybox", "true").strip();
        capsa.ok("run", "--name", "done", "busybox", "true");
        String done = capsa.ok("inspect", "-f", "{{.Id}}", "done").strip();
        String before = capsa.ok("ps", "-a", "-q", "--no-trunc");
        assertRefused("Error: No such container: nosuch", "ns", "enter", "nosuch", "--", "true");
        assertRefused("Error: Container " + created + " is not running", "ns", "enter", "made", "--", "true");
        assertRefused("Error: Container " + done + " is not running", "ns", "enter", "done", "--", "true");
        assertRefused("Error: missing COMMAND", "ns", "enter", "web");
        assertRefused("Error: missing COMMAND", "ns", "enter", "web", "--");
        assertRefused("Error: missing CONTAINER", "ns", "enter");
        assertRefused("Error: unknown option \"--bogus\"", "ns", "enter", "web", "--bogus", "--", "true");
        assertRefused("Error: unknown namespace type \"bogus\" (user, pid, net, ipc, uts, cgroup, time, mnt)", "ns", "ls", "-t", "bogus");
        assertRefused("Error: unexpected argument \"web\"", "ns", "ls", "web");
        assertRefused("Error: unknown command \"bogus\" for \"capsa ns\"", "ns", "bogus");
        capsa.ok("pause", "web");
        assertRefused("Error: Container " + capsa.ok("inspect", "-f", "{{.Id}}", "web").strip()
                + " is paused, unpause the container before entering it", "ns", "enter", "web", "--", "true");
        capsa.ok("unpause", "web");
        assertEquals(before, capsa.ok("ps", "-a", "-q", "--no-trunc"));
    }
}
