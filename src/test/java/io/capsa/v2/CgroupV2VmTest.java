package io.capsa.v2;

import io.capsa.runtime.BuildOutput;
import io.capsa.runtime.Containers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Containers on a pure cgroup v2 host. Our machines are hybrid, so bin/vm-test runs this in a VM, where a
 * JVM start costs seconds: the library is called in-process. The bundle comes from bin/vm-test
 * (-Dcapsa.vm.bundle), made on the host with bin/make-busybox-bundle; its process sleeps.
 */
class CgroupV2VmTest {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static Path bundle;
    @TempDir
    Path work;
    private Containers containers;
    private final List<String> ids = new ArrayList<>();

    @BeforeAll
    static void onlyOnPureCgroupV2() throws IOException {
        assumeTrue(pureCgroupV2(), "/sys/fs/cgroup is not a pure cgroup2 hierarchy (bin/vm-test runs this in a VM)");
        String configured = System.getProperty("capsa.vm.bundle");
        assumeTrue(configured != null, "no -Dcapsa.vm.bundle (bin/vm-test sets it)");
        bundle = Path.of(configured);
    }

    /** The only cgroup mount is cgroup2 at /sys/fs/cgroup: no v1 hierarchy, no hybrid "unified" subdirectory. */
    private static boolean pureCgroupV2() throws IOException {
        List<String> cgroupMounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ", 2);
            String fstype = halves.length == 2 ? halves[1].split(" ")[0] : "";
            if (fstype.startsWith("cgroup")) cgroupMounts.add(fstype + " " + halves[0].split(" ")[4]);
        }
        return cgroupMounts.equals(List.of("cgroup2 " + CGROUP_ROOT));
    }

    @BeforeEach
    void setUp() {
        containers = new Containers(work.resolve("state"), null, warn -> {});
    }

    @AfterEach
    void deleteContainers() {
        for (String id : ids) containers.delete(id, true);
    }

    /** Docker's default on v2; on v1 and hybrid hosts it is the host's (EngineScenariosIT). */
    @Test
    void theEnginesContainersHaveACgroupNamespaceOfTheirOwnByDefault() throws Exception {
        Process p = new ProcessBuilder(BuildOutput.file("../bin/capsa").normalize().toString(), "--data-root", work.resolve("data").toString(),
                "--run-root", work.resolve("run").toString(), "run", "--rm", "--network", "none", "busybox", "readlink", "/proc/self/ns/cgroup")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.startsWith("cgroup:["), out);
        assertNotEquals(Files.readSymbolicLink(Path.of("/proc/self/ns/cgroup")) + "\n", out);
    }

    private String newId() {
        String id = "v2-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    private int create(String id) {
        return containers.create(id, new Containers.CreateOptions(bundle, work.resolve(id + ".pid"), 0, false, true, null, null));
    }

    /** The default cgroupsPath: the container id under the caller's own cgroup (the "0::" line). */
    private static Path cgroupOf(String id) throws IOException {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
        return CGROUP_ROOT.resolve(own.substring(1)).resolve(id);
    }

    private static List<Integer> procs(Path cgroup) throws IOException {
        return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().map(Integer::parseInt).toList();
    }

    @Test
    void initIsInItsOwnCgroupUnderTheCallers() throws IOException {
        String id = newId();
        int pid = create(id);
        Path cgroup = cgroupOf(id);
        assertEquals("created", containers.state(id).get("status"));
        assertEquals(List.of(pid), procs(cgroup));
        assertEquals(List.of(pid), containers.pids(id));
        assertEquals("0::/" + CGROUP_ROOT.relativize(cgroup), Files.readString(Path.of("/proc/" + pid + "/cgroup")).strip());

        containers.start(id);
        assertEquals("running", containers.state(id).get("status"));
        assertEquals(List.of(pid), procs(cgroup), "the user's program runs in the init's cgroup");
    }

    /** The exec'd process is cloned into the container's cgroup through a directory opened before setns. */
    @Test
    void execRunsInTheContainersCgroup() throws IOException {
        String id = newId();
        int init = create(id);
        containers.start(id);
        var sleep = containers.configuredProcess(id);
        Path pidFile = work.resolve("exec.pid");
        containers.exec(id, sleep.with(false, List.of("sleep", "100"), sleep.env(), "/", sleep.user(), 0),
                new Containers.ExecOptions(true, pidFile, 0, null));
        int pid = Integer.parseInt(Files.readString(pidFile).strip());
        assertEquals(Files.readString(Path.of("/proc/" + init + "/cgroup")), Files.readString(Path.of("/proc/" + pid + "/cgroup")));
        assertEquals(List.of(init, pid), procs(cgroupOf(id)).stream().sorted().toList());
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + init + "/ns/cgroup")),
                Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/cgroup")), "joined after the move, under nsdelegate");
    }

    @Test
    void deleteRemovesTheCgroup() throws IOException {
        String id = newId();
        int pid = create(id);
        Path cgroup = cgroupOf(id);
        assertTrue(Files.isDirectory(cgroup));
        containers.start(id);

        containers.delete(id, true);
        assertFalse(Files.exists(cgroup), "cgroup left: " + cgroup);
        assertFalse(alive(pid), "the init outlived delete");
    }

    /** Running, not gone and not a zombie (which holds nothing but its pid until it is reaped). */
    private static boolean alive(int pid) {
        try {
            return !Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").startsWith("Z");
        } catch (IOException e) {
            return false;
        }
    }
}
