package io.capsa.v2;

import io.capsa.runtime.Containers;
import io.capsa.spec.Json;
import io.capsa.spec.Resources;
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
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * linux.resources on a pure cgroup v2 host, through the library in one JVM (bin/vm-test): the v2 files
 * written with runc's conversions, and the limits enforced.
 */
class ResourcesV2VmTest {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static Path base;
    @TempDir
    Path work;
    private Containers containers;
    private final List<String> ids = new ArrayList<>(), warnings = new ArrayList<>();

    @BeforeAll
    static void onlyOnPureCgroupV2() throws IOException {
        assumeTrue(Files.readString(Path.of("/proc/self/mountinfo")).lines()
                .filter(l -> l.contains(" - cgroup")).toList().stream().allMatch(l -> l.contains(" - cgroup2 ")
                        && l.split(" ")[4].equals(CGROUP_ROOT.toString())), "not a pure cgroup v2 host");
        String configured = System.getProperty("capsa.vm.bundle");
        assumeTrue(configured != null, "no -Dcapsa.vm.bundle (bin/vm-test sets it)");
        base = Path.of(configured);
    }

    @BeforeEach
    void setUp() {
        containers = new Containers(work.resolve("state"), null, warnings::add);
    }

    @AfterEach
    void deleteContainers() {
        for (String id : ids) containers.delete(id, true);
    }

    /** A bundle over the VM bundle's rootfs, running args under these resources. */
    @SuppressWarnings("unchecked")
    private Path bundle(Map<String, Object> resources, String... args) throws IOException {
        Map<String, Object> config = (Map<String, Object>) Json.read(base.resolve("config.json")).raw();
        ((Map<String, Object>) config.get("root")).put("path", base.resolve("rootfs").toString());
        ((Map<String, Object>) config.get("process")).put("args", List.of(args));
        ((Map<String, Object>) config.get("linux")).put("resources", resources);
        Path dir = Files.createDirectories(work.resolve(UUID.randomUUID().toString()));
        Files.writeString(dir.resolve("config.json"), Json.write(config));
        return dir;
    }

    private String newId() {
        String id = "v2r-" + UUID.randomUUID().toString().substring(0, 8);
        ids.add(id);
        return id;
    }

    private String runDetached(Path bundle) {
        String id = newId();
        containers.run(id, new Containers.CreateOptions(bundle, null, 0, false, true, null, null), true);
        return id;
    }

    private static Path cgroupOf(String id) throws IOException {
        String own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
                .filter(l -> l.startsWith("0::")).findFirst().orElseThrow().substring(3);
        return CGROUP_ROOT.resolve(own.substring(1)).resolve(id);
    }

    private static String read(Path cgroup, String file) throws IOException {
        return Files.readString(cgroup.resolve(file)).strip();
    }

    @Test
    void limitsAreWrittenWithRuncsConversions() throws IOException {
        String id = runDetached(bundle(Map.of(
                "cpu", Map.of("shares", 1024, "quota", 50000, "period", 100000),
                "memory", Map.of("limit", 64 << 20, "swap", 96 << 20, "reservation", 16 << 20),
                "pids", Map.of("limit", 30),
                "unified", Map.of("memory.high", Long.toString(48 << 20))), "sleep", "3600"));
        Path cg = cgroupOf(id);
        assertEquals("39", read(cg, "cpu.weight"));
        assertEquals("50000 100000", read(cg, "cpu.max"));
        assertEquals(Long.toString(64 << 20), read(cg, "memory.max"));
        assertEquals(Long.toString(32 << 20), read(cg, "memory.swap.max"), "swap alone: memory+swap minus memory");
        assertEquals(Long.toString(16 << 20), read(cg, "memory.low"));
        assertEquals(Long.toString(48 << 20), read(cg, "memory.high"));
        assertEquals("30", read(cg, "pids.max"));
    }

    @Test
    void zerosAsDockerdSendsThemLeaveTheLimitsAsTheyAre() throws IOException {
        // dockerd's create: kernel 0 and disableOOMKiller false are not set, so not refused as v1-only
        String id = runDetached(bundle(Map.of("cpu", Map.of("shares", 0), "blockIO", Map.of("weight", 0),
                "memory", Map.of("limit", 64 << 20, "reservation", 16 << 20, "swap", 96 << 20, "kernel", 0, "kernelTCP", 0,
                        "disableOOMKiller", false), "pids", Map.of("limit", 0)), "sleep", "3600"));
        Path cg = cgroupOf(id);
        // `docker update --cpus 0.5 --pids-limit 50`
        containers.update(id, Resources.parse(Json.parse("{\"memory\":{\"limit\":0,\"reservation\":0,\"swap\":0,\"kernel\":0},"
                + "\"cpu\":{\"shares\":0,\"quota\":50000,\"period\":100000,\"cpus\":\"\",\"mems\":\"\"},\"blockIO\":{\"weight\":0},"
                + "\"pids\":{\"limit\":50}}", "update")));
        assertEquals("50000 100000", read(cg, "cpu.max"));
        assertEquals("50", read(cg, "pids.max"));
        assertEquals(Long.toString(64 << 20), read(cg, "memory.max"));
        assertEquals(Long.toString(16 << 20), read(cg, "memory.low"));
        assertEquals(Long.toString(32 << 20), read(cg, "memory.swap.max"));
        // an unlimited memory limit with no swap limit given lifts the swap limit too, as on v1
        containers.update(id, Resources.parse(Json.parse("{\"memory\":{\"limit\":-1}}", "update")));
        assertEquals("max", read(cg, "memory.max"));
        assertEquals("max", read(cg, "memory.swap.max"));
    }

    @Test
    void aForkBombStopsAtPidsMax() throws IOException, InterruptedException {
        String id = runDetached(bundle(Map.of("pids", Map.of("limit", 20)), "sh", "-c",
                "(i=0; while [ $i -lt 100 ]; do sleep 3600 & i=$((i+1)); done) 2>/dev/null; exec sleep 3600"));
        Path cg = cgroupOf(id);
        // under software emulation forking 20 processes can take many seconds
        for (int i = 0; i < 1200 && read(cg, "pids.events").equals("max 0"); i++) Thread.sleep(50);
        assertTrue(Long.parseLong(read(cg, "pids.events").split(" ")[1]) > 0, "no fork was refused");
        assertTrue(Long.parseLong(read(cg, "pids.current")) <= 20);
    }

    @Test
    void aMemoryHogIsOomKilled() throws IOException {
        Path bundle = bundle(Map.of("memory", Map.of("limit", 32 << 20, "swap", 32 << 20)), "sh", "-c",
                "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived");
        String id = newId();
        ids.remove(id); // a foreground run deletes its container
        int exit = containers.run(id, new Containers.CreateOptions(bundle, null, 0, false, true, null, null), false);
        assertEquals(137, exit);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("OOM killer")), warnings.toString());
    }

    @Test
    void updateFreezeAndStats() throws IOException, InterruptedException {
        String id = runDetached(bundle(Map.of("pids", Map.of("limit", 50)), "sh", "-c", "sleep 3600; true"));
        Path cg = cgroupOf(id);
        // sh forks sleep on its own time, which under software emulation may come after run returns
        for (int i = 0; i < 600 && !read(cg, "pids.current").equals("2"); i++) Thread.sleep(50);
        containers.update(id, Resources.parse(Json.parse("{\"pids\":{\"limit\":5},\"cpu\":{\"quota\":20000}}", "update")));
        assertEquals("5", read(cg, "pids.max"));
        assertTrue(read(cg, "cpu.max").startsWith("20000 "), read(cg, "cpu.max"));
        containers.freeze(id, true);
        assertEquals("paused", containers.state(id).get("status"));
        assertTrue(read(cg, "cgroup.events").contains("frozen 1"));
        containers.freeze(id, false);
        assertEquals("running", containers.state(id).get("status"));
        Map<?, ?> data = (Map<?, ?>) containers.stats(id).get("data");
        assertEquals(2L, ((Map<?, ?>) data.get("pids")).get("current"));
        assertTrue((Long) ((Map<?, ?>) ((Map<?, ?>) data.get("memory")).get("usage")).get("usage") > 0);
        assertTrue(((Map<?, ?>) data.get("cpu")).containsKey("usage"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDeviceFilterDeniesANodeMadeInsideAndAllowsDevNull() throws IOException {
        String probe = "(mknod /tmp/sda b 8 0 && echo made; echo ok > /dev/null && echo null) > /out/result";
        for (boolean allowDisk : new boolean[] {false, true}) {
            Path out = Files.createDirectories(work.resolve("out" + allowDisk));
            List<Map<String, Object>> rules = new ArrayList<>(List.of(Map.of("allow", false, "access", "rwm")));
            if (allowDisk) rules.add(Map.of("allow", true, "type", "b", "major", 8, "minor", 0, "access", "m"));
            Path bundle = bundle(Map.of("devices", rules), "sh", "-c", probe);
            Map<String, Object> config = (Map<String, Object>) Json.read(bundle.resolve("config.json")).raw();
            List<String> caps = List.of("CAP_MKNOD");
            ((Map<String, Object>) config.get("process")).put("capabilities", Map.of("bounding", caps, "effective", caps, "permitted", caps));
            ((List<Object>) config.get("mounts")).add(Map.of("destination", "/tmp", "type", "tmpfs", "source", "tmpfs"));
            ((List<Object>) config.get("mounts")).add(Map.of("destination", "/out", "type", "bind", "source", out.toString(),
                    "options", List.of("rbind", "rw")));
            Files.writeString(bundle.resolve("config.json"), Json.write(config));
            String id = newId();
            ids.remove(id);
            containers.run(id, new Containers.CreateOptions(bundle, null, 0, false, true, null, null), false);
            assertEquals(allowDisk ? "made\nnull" : "null", read(out, "result"), "the rule decides, not the capability");
        }
    }

}
