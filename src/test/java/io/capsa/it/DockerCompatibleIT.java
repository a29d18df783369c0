package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.capsa.it.BusyboxImage.NAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a user does with docker's command line, run against dockerd and podman alike. */
abstract class DockerCompatibleIT extends EngineIT<DockerCompatible> {
    private long pidOf(String name) {
        return Long.parseLong(engine.inspect(name, "{{.State.Pid}}"));
    }

    @Test
    void runPrintsTheOutputAndReturnsTheExitCode() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", NAME, "sh", "-c", "echo hello; exit 3");
            assertExit(3, r);
            assertEquals("hello", r.text(), r.toString());
        });
    }

    @Test
    void detachedContainerIsListedAndLogs() {
        check(rt -> {
            engine.runDetached(rt, "box");
            assertEquals("running", engine.inspect("box", "{{.State.Status}}"));
            assertTrue(engine.ok("ps", "--format", "{{.Names}}").lines().anyMatch("box"::equals), engine.ok("ps"));
            awaitLog("box", "up");
        });
    }

    @Test
    void execRunsInTheContainer() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Cli.Result r = engine.cli("exec", "box", "sh", "-c", "echo in; cat /proc/1/cmdline; exit 4");
            assertExit(4, r);
            assertTrue(r.out().startsWith("in\nsh\0-c\0echo up"), r.toString());
        });
    }

    @Test
    void execWithATerminal() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Cli.Result r = engine.cli("exec", "-t", "box", "tty");
            assertExit(0, r);
            assertTrue(r.out().matches("/dev/pts/\\d+\r\n"), r.toString());
        });
    }

    @Test
    void stopSendsSigtermAndRecordsTheExitCode() {
        check(rt -> {
            engine.runDetached(rt, "box");
            awaitLog("box", "up");
            engine.ok("stop", "-t", "20", "box");
            assertEquals("7", engine.inspect("box", "{{.State.ExitCode}}"));
            assertTrue(engine.ok("logs", "box").contains("term"), engine.ok("logs", "box"));
        });
    }

    @Test
    void killEndsTheContainer() {
        check(rt -> {
            engine.runDetached(rt, "box");
            engine.ok("kill", "box");
            awaitStatus("box", "exited");
            assertEquals("137", engine.inspect("box", "{{.State.ExitCode}}"));
        });
    }

    @Test
    void rmRemovesTheContainerAndItsCgroup() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Path cgroup = ContainerCgroup.of(pidOf("box"), "memory");
            assertTrue(Files.isDirectory(cgroup), cgroup.toString());
            engine.ok("rm", "-f", "box");
            assertEquals("", engine.ok("ps", "-aq").strip());
            assertFalse(Files.exists(cgroup), "cgroup left: " + cgroup);
        });
    }

    @Test
    void pauseFreezesAndUnpauseThaws() {
        check(rt -> {
            engine.runDetached(rt, "box");
            long pid = pidOf("box");
            engine.ok("pause", "box");
            assertEquals("paused", engine.inspect("box", "{{.State.Status}}"));
            assertEquals(ContainerCgroup.V2 ? "1" : "FROZEN", ContainerCgroup.read(pid, "freezer", "freezer.state", "cgroup.freeze"));
            engine.ok("unpause", "box");
            assertEquals("running", engine.inspect("box", "{{.State.Status}}"));
            assertEquals("thawed", engine.ok("exec", "box", "echo", "thawed").strip());
        });
    }

    @Test
    void updateChangesTheLimitsOfARunningContainer() {
        check(rt -> {
            engine.runDetached(rt, "box");
            engine.ok("update", "--memory", "64m", "--memory-swap", "64m", "--cpu-shares", "512", "box");
            long pid = pidOf("box");
            assertEquals("67108864", ContainerCgroup.read(pid, "memory", "memory.limit_in_bytes", "memory.max"));
            if (!ContainerCgroup.V2) assertEquals("512", ContainerCgroup.read(pid, "cpu", "cpu.shares", null));
        });
    }

    @Test
    void topListsTheContainersProcesses() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Cli.Result r = engine.cli("top", "box");
            assertExit(0, r);
            assertTrue(r.out().contains("while true"), r.toString());
        });
    }

    @Test
    void statsCountsTheContainersProcesses() {
        check(rt -> {
            engine.runDetached(rt, "box");
            Cli.Result r = engine.cli("stats", "--no-stream", "--format", engine.pidsField(), "box");
            assertExit(0, r);
            assertTrue(Integer.parseInt(r.text()) >= 1, r.toString());
        });
    }

    @Test
    void readOnlyRootfsRefusesWrites() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--read-only", NAME, "touch", "/x");
            assertExit(1, r);
            assertTrue(r.err().contains("Read-only file system"), r.toString());
        });
    }

    @Test
    void tmpfsIsMountedWithItsOptions() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--tmpfs", "/data:size=1m", NAME, "sh", "-c",
                    "touch /data/x && grep ' /data ' /proc/mounts");
            assertExit(0, r);
            assertTrue(r.out().startsWith("tmpfs /data tmpfs rw,") && r.out().contains("size=1024k"), r.toString());
        });
    }

    @Test
    void privilegedContainerMaySystemCallsOthersMayNot() {
        assumeTrue(engine.privilegedPossible(), "the host's bounding set lacks capabilities that --privileged asks for");
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--privileged", NAME, "sh", "-c",
                    "grep ^Seccomp: /proc/self/status; mount -t tmpfs x /tmp && echo mounted");
            assertExit(0, r);
            assertEquals("Seccomp:\t0\nmounted", r.text(), r.toString());
        });
    }

    @Test
    void memoryLimitEndsInAnOomKillTheEngineReports() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--name", "box", "--memory", "32m", "--memory-swap", "32m", NAME, "sh", "-c",
                    "x=$(head -c 100000000 /dev/zero | tr '\\0' a); echo survived");
            assertExit(137, r);
            if (engine.reportsOomKills()) assertEquals("true", engine.inspect("box", "{{.State.OOMKilled}}"), r.toString());
        });
    }

    @Test
    void pidsLimitStopsForks() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--pids-limit", "10", NAME, "sh", "-c",
                    "cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids/pids.max 2>/dev/null; "
                            + "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do sleep 5 & done; echo all forked");
            assertEquals("10", r.text(), r.toString());
            assertTrue(r.err().contains("can't fork"), r.toString());
        });
    }

    @Test
    void cpusSetsTheQuota() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--cpus", "0.5", NAME, "sh", "-c",
                    "cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.cfs_period_us)");
            assertExit(0, r);
            assertEquals("50000 100000", r.text(), r.toString());
        });
    }

    @Test
    void capDropAllLeavesNoCapability() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--cap-drop", "ALL", NAME, "sh", "-c", "grep ^CapEff: /proc/self/status; chown 1 /tmp");
            assertExit(1, r);
            assertEquals("CapEff:\t0000000000000000", r.text(), r.toString());
            assertTrue(r.err().contains("Operation not permitted"), r.toString());
        });
    }

    @Test
    void userRunsTheProcessAsThatUser() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--user", "1000:1000", NAME, "sh", "-c", "id -u; id -g; touch /root/x");
            assertExit(1, r);
            assertEquals("1000\n1000", r.text(), r.toString());
            assertTrue(r.err().contains("Permission denied"), r.toString());
        });
    }

    @Test
    void homeIsTheUsersFromTheImagesPasswd() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", NAME, "sh", "-c", "echo $HOME");
            assertExit(0, r);
            assertEquals("/root", r.text(), r.toString());
        });
    }

    @Test
    void initRunsAsPidOneAndParentsTheCommand() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--init", NAME, "sh", "-c", "echo $PPID; cat /proc/1/comm");
            assertExit(0, r);
            assertTrue(r.text().matches("1\n\\S*init"), r.toString());
        });
    }

    @Test
    void defaultSeccompProfileIsInForce() {
        check(rt -> {
            // personality(ADDR_NO_RANDOMIZE) is allowed by the kernel to anyone, and denied by both docker's
            // and podman's default profile.
            Cli.Result r = engine.run(rt, "--rm", NAME, "sh", "-c", "grep ^Seccomp: /proc/self/status; linux64 -R true");
            assertExit(1, r);
            assertEquals("Seccomp:\t2", r.text(), r.toString());
            assertTrue(r.err().contains("personality"), r.toString());
            assertExit(0, engine.run(rt, "--rm", "--security-opt", "seccomp=unconfined", NAME, "linux64", "-R", "true"));
        });
    }

    @Test
    void containerJoinsAnothersPidIpcAndNetworkNamespaces() {
        check(rt -> {
            engine.runDetached(rt, "box", "--ipc", "shareable");
            String namespaces = "for n in pid ipc net; do readlink /proc/self/ns/$n; done";
            String theirs = engine.ok("exec", "box", "sh", "-c", namespaces);
            Cli.Result r = engine.run(rt, "--rm", "--pid", "container:box", "--ipc", "container:box", "--net", "container:box",
                    NAME, "sh", "-c", namespaces);
            assertExit(0, r);
            assertEquals(theirs, r.out());
        });
    }

    @Test
    void pidHostSharesTheHostsPidNamespace() {
        check(rt -> {
            Cli.Result r = engine.run(rt, "--rm", "--pid", "host", NAME, "readlink", "/proc/self/ns/pid");
            assertExit(0, r);
            assertEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString(), r.text());
        });
    }

    private void awaitLog(String name, String line) {
        await(() -> engine.ok("logs", name).lines().anyMatch(line::equals),
                () -> "no \"" + line + "\" in the logs of " + name + ": " + engine.cli("logs", name));
    }

    private void awaitStatus(String name, String status) {
        await(() -> engine.inspect(name, "{{.State.Status}}").equals(status),
                () -> name + " never reached " + status + ": " + engine.inspect(name, "{{.State.Status}}"));
    }
}
