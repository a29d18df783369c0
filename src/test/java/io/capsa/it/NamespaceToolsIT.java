package io.capsa.it;

import io.capsa.linux.FileText;
import io.capsa.linux.Proc;
import io.capsa.nstools.Namespace;
import io.capsa.nstools.NamespaceEnter;
import io.capsa.nstools.NamespaceScanner;
import io.capsa.plan.Op;
import io.capsa.plan.Plan;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.Node;
import io.capsa.spec.ProcessSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scanner and the ns enter planner against processes that unshare(1) puts in new namespaces, and against lsns. */
class NamespaceToolsIT {
    private final List<Process> started = new ArrayList<>();
    private final NamespaceScanner scanner = new NamespaceScanner();

    @AfterEach
    void killStarted() throws InterruptedException {
        // Each unshare runs with --kill-child or execs sleep itself, so killing it by pid ends its sleep too.
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    private int start(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return (int) p.pid();
    }

    /** Waits until pid runs `sleep 1000`: until then it is still unshare, or not yet in its namespaces. */
    private static void awaitSleep(int pid) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (cmdline(pid).equals("sleep 1000")) return;
            Thread.sleep(10);
        }
        throw new AssertionError(pid + " never ran sleep 1000, but " + cmdline(pid));
    }

    private static String cmdline(int pid) throws IOException {
        String c = FileText.read(Path.of("/proc/" + pid + "/cmdline"));
        return c.isEmpty() ? c : c.substring(0, c.length() - 1).replace('\0', ' ');
    }

    /** The single child of pid, once it has one. */
    private static int child(int pid) throws Exception {
        for (int i = 0; i < 500; i++) {
            String children = FileText.read(Path.of("/proc/" + pid + "/task/" + pid + "/children")).strip();
            if (!children.isEmpty()) return Integer.parseInt(children);
            Thread.sleep(10);
        }
        throw new AssertionError(pid + " never forked");
    }

    private static long inode(int pid, NamespaceType type) {
        return Proc.namespaceInode(Path.of("/proc/" + pid + "/ns/" + type.procName()));
    }

    private static Namespace find(List<Namespace> all, long inode) {
        for (Namespace ns : all) if (ns.inode() == inode) return ns;
        throw new AssertionError("no namespace " + inode + " in " + all);
    }

    @Test
    void findsANewPidNamespaceWithItsParentAndTheMountNamespaceItsUnshareShares() throws Exception {
        String[] command = {"unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "sleep", "1000"};
        int unshare = start(command);
        int sleep = child(unshare);
        awaitSleep(sleep);
        long hostPid = inode((int) ProcessHandle.current().pid(), NamespaceType.PID);
        long pidNs = inode(sleep, NamespaceType.PID), mntNs = inode(sleep, NamespaceType.MOUNT);
        assertTrue(pidNs != hostPid && pidNs != -1, "sleep is in a new pid namespace");

        List<Namespace> all = scanner.scan();
        Namespace pid = find(all, pidNs);
        assertEquals(NamespaceType.PID, pid.type());
        assertEquals(List.of(sleep), pid.pids()); // unshare itself stays in ours: only its child is in the new one
        assertEquals("sleep 1000", pid.command());
        assertEquals("root", pid.user());
        assertEquals(hostPid, pid.parent());
        Namespace mnt = find(all, mntNs);
        assertEquals(NamespaceType.MOUNT, mnt.type());
        assertEquals(List.of(Math.min(unshare, sleep), Math.max(unshare, sleep)), mnt.pids()); // --mount-proc made it for both
        assertEquals(unshare < sleep ? String.join(" ", command) : "sleep 1000", mnt.command());
        assertEquals(0, mnt.parent(), "only pid and user namespaces have parents");

        assertEquals(List.of(sleep), scanner.pidsIn(NamespaceType.PID, pidNs));
        assertEquals(mnt.pids(), scanner.pidsIn(NamespaceType.MOUNT, mntNs));
        List<Namespace> pids = scanner.scan(EnumSet.of(NamespaceType.PID), true);
        for (Namespace ns : pids) assertEquals(NamespaceType.PID, ns.type(), "-t pid lists only pid namespaces");
        assertEquals(pid, find(pids, pidNs));
    }

    @Test
    void findsANewNetworkAndUserNamespaceOfOneProcess() throws Exception {
        int net = start("unshare", "--net", "sleep", "1000");
        int user = start("unshare", "--user", "--map-root-user", "sleep", "1000");
        awaitSleep(net);
        awaitSleep(user);
        int self = (int) ProcessHandle.current().pid();
        long netNs = inode(net, NamespaceType.NETWORK), userNs = inode(user, NamespaceType.USER);
        assertFalse(netNs == inode(self, NamespaceType.NETWORK));
        assertFalse(userNs == inode(self, NamespaceType.USER));

        List<Namespace> all = scanner.scan();
        assertEquals(new Namespace(netNs, NamespaceType.NETWORK, List.of(net), "root", "sleep 1000", 0), find(all, netNs));
        // In its own user namespace the process's uid is 0 there, and still root's out here.
        assertEquals(new Namespace(userNs, NamespaceType.USER, List.of(user), "root", "sleep 1000",
                inode(self, NamespaceType.USER)), find(all, userNs));
    }

    /**
     * The whole result against lsns run between two scans: a namespace that both scans saw alike (no process
     * came or went) must be in lsns's output with the same numbers, lsns itself aside, and lsns must see no
     * namespace that neither scan saw.
     */
    @Test
    void agreesWithLsns() throws Exception {
        int unshare = start("unshare", "--pid", "--fork", "--kill-child", "--mount-proc", "sleep", "1000");
        int sleep = child(unshare);
        awaitSleep(sleep);
        int other = start("unshare", "--net", "--uts", "--ipc", "sleep", "1000");
        awaitSleep(other);
        List<Long> ours = List.of(inode(sleep, NamespaceType.PID), inode(sleep, NamespaceType.MOUNT),
                inode(other, NamespaceType.NETWORK), inode(other, NamespaceType.UTS), inode(other, NamespaceType.IPC));

        List<Namespace> before = scanner.scan();
        String json = lsns();
        List<Namespace> after = scanner.scan();

        Map<Long, Node> lsns = new HashMap<>();
        for (Node row : Json.parse(json, "lsns").get("namespaces").list()) lsns.put(row.get("ns").integer(-1), row);
        Map<Long, Namespace> stable = new HashMap<>();
        for (Namespace ns : before) if (after.contains(ns)) stable.put(ns.inode(), ns);
        // The host's namespaces are stable only while no process starts or ends, rare on a busy machine; ours are.
        assertTrue(stable.keySet().containsAll(ours), "the five new ones are stable: " + stable.keySet());
        int self = (int) ProcessHandle.current().pid();
        for (Namespace ns : stable.values()) {
            Node row = lsns.get(ns.inode());
            int lsnsItself = ns.inode() == inode(self, ns.type()) ? 1 : 0; // lsns counts itself in our namespaces
            assertTrue(row != null, "lsns lacks " + ns);
            assertEquals(ns.type().procName(), row.get("type").requiredString(), ns.toString());
            assertEquals(ns.nprocs() + lsnsItself, row.get("nprocs").integer(-1), ns.toString());
            assertEquals(ns.pid(), row.get("pid").integer(-1), ns.toString());
            assertEquals(ns.user(), row.get("user").requiredString(), ns.toString());
            assertEquals(ns.command(), row.get("command").string(""), ns.toString());
            assertEquals(ns.parent(), row.get("pns").integer(-1), ns.toString());
        }
        for (long inode : lsns.keySet()) {
            assertTrue(before.stream().anyMatch(ns -> ns.inode() == inode) || after.stream().anyMatch(ns -> ns.inode() == inode),
                    "the scanner missed " + lsns.get(inode).raw());
        }
    }

    private static final ProcessSpec HOSTNAME = new ProcessSpec(false, ProcessSpec.ConsoleSize.UNSET, List.of("hostname"),
            List.of("PATH=/bin"), "/", new ProcessSpec.User(0, 0, null, List.of()), null, List.of(), false, null, null, null);

    /** The namespace files the plan opens to join, in its order. */
    private static List<String> joined(Plan plan) {
        List<String> files = new ArrayList<>();
        for (Plan.Step step : plan.steps()) if (step.op() == Op.HOLD_NAMESPACE) files.add(step.args().getFirst());
        return files;
    }

    @Test
    void enterJoinsTheTargetsNamespacesThatDifferFromOursOrOnlyTheChosenOnesAndItsRoot() throws Exception {
        int target = start("unshare", "--net", "--uts", "sleep", "1000");
        awaitSleep(target);
        String ns = "/proc/" + target + "/ns/";
        Plan all = NamespaceEnter.plan(target, Set.of(NamespaceType.values()), HOSTNAME, null, null);
        assertEquals(List.of(ns + "net", ns + "uts"), joined(all), "the others are ours already");
        assertTrue(all.steps().contains(new Plan.Step(Op.HOLD_ROOT, "open the container's root /proc/" + target + "/root",
                List.of("/proc/" + target + "/root"))), all.steps().toString());
        assertFalse(all.steps().stream().anyMatch(s -> s.op() == Op.SECCOMP), "nsenter loads no seccomp filter");
        assertEquals(Op.EXEC, all.steps().getLast().op());
        assertEquals(List.of(ns + "uts"), joined(NamespaceEnter.plan(target, Set.of(NamespaceType.UTS), HOSTNAME, null, null)));
    }

    @Test
    void enteringNoProcessIsOneClearError() {
        CapsaException e = assertThrows(CapsaException.class,
                () -> NamespaceEnter.plan(Integer.MAX_VALUE, Set.of(NamespaceType.values()), HOSTNAME, null, null));
        assertEquals("no running process 2147483647 to enter", e.getMessage());
    }

    /** lsns's flat JSON (--list: no nesting by process tree), with the parent column too. */
    private static String lsns() throws Exception {
        Process p = new ProcessBuilder("lsns", "--json", "--list", "--notruncate", "-o", "NS,TYPE,NPROCS,PID,USER,COMMAND,PNS")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
