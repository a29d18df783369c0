package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import io.capsa.cgroups.CgroupLayout;
import io.capsa.cgroups.Hierarchy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** linux.resources enforced on this host's hierarchy, measured from the cgroup's own counters. */
class CgroupsIT extends ContainerTestBase {
    private static final String BUSY = "while :; do :; done";
    /** What a v1 memory limit file reads when unlimited: PAGE_COUNTER_MAX pages of 4 KiB. */
    private static final String UNLIMITED = "9223372036854771712";

    private Bundle limited(String name, Map<String, Object> resources, String... args) {
        Bundle b = bundle(name, args);
        b.linux().put("resources", resources);
        return b.write();
    }

    private String runDetached(Bundle b) {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        return id;
    }

    /** The container's directory in the hierarchy that has controller, found as a user would: from /proc/PID/cgroup. */
    private Path cgroupDir(String id, String controller) throws IOException {
        int pid = pidOf(capsa, id);
        for (Hierarchy h : CgroupLayout.detect().hierarchies()) {
            if (!h.controllers().contains(controller)) continue;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f[1].equals(h.mountOptions())) return h.mountPoint().resolve(f[2].substring(1));
            }
        }
        throw new AssertionError("no " + controller + " hierarchy");
    }

    private long cpuUsageNanos(String id) throws IOException {
        return Long.parseLong(Files.readString(cgroupDir(id, "cpuacct").resolve("cpuacct.usage")).strip());
    }

    @Test
    void pidsLimitStopsAForkBomb() throws IOException {
        // The subshell forks until fork fails, and then exits; pid 1 stays without forking again.
        String id = runDetached(limited("b", Map.of("pids", Map.of("limit", 20)), "sh", "-c",
                "(i=0; while [ $i -lt 100 ]; do sleep 1000 & i=$((i+1)); done) 2>/dev/null; exec sleep 1000"));
        Path pids = cgroupDir(id, "pids");
        for (int i = 0; i < 100 && Files.readString(pids.resolve("pids.events")).strip().equals("max 0"); i++) sleep(50);
        sleep(300); // the subshell exits once its fork is refused
        long refused = Long.parseLong(Files.readString(pids.resolve("pids.events")).strip().split(" ")[1]);
        assertTrue(refused > 0, "no fork was refused");
        int count = capsa.ok("ps", "--format", "json", id).split(",").length;
        assertTrue(count >= 18 && count <= 20, count + " processes: the fork bomb filled the limit and no more");
        assertTrue(Long.parseLong(Files.readString(pids.resolve("pids.current")).strip()) <= 20);
    }

    @Test
    void aMemoryHogIsOomKilled() {
        for (Map<String, Object> memory : List.of(Map.<String, Object>of("limit", 32 << 20),
                Map.<String, Object>of("limit", 32 << 20, "swap", 32 << 20))) {
            Bundle b = limited("b" + memory.size(), Map.of("memory", memory), "sh", "-c",
                    "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived");
            Cli.Result r = capsa.run("run", "--bundle", b.dir().toString(), newId());
            assertEquals(137, r.exit(), r.toString());
            assertTrue(r.err().contains("killed by the OOM killer"), r.toString());
        }
    }

    @Test
    void kernelMemoryLimitsAreAWarningWhereTheKernelDropped() {
        Bundle b = limited("b", Map.of("memory", Map.of("kernel", 64 << 20, "kernelTCP", 16 << 20)), "true");
        Cli.Result r = capsa.run("run", "--bundle", b.dir().toString(), newId());
        assertEquals(0, r.exit(), r.toString());
        boolean kmem = Files.exists(Path.of("/sys/fs/cgroup/memory/memory.kmem.limit_in_bytes"));
        assertEquals(!kmem, r.err().contains("warning: linux.resources.memory.kernel: ignored"), r.toString());
    }

    @Test
    void eventsStreamsAnOomEvent() throws IOException {
        String id = runDetached(limited("b", Map.of("memory", Map.of("limit", 32 << 20)), "sh", "-c",
                "sleep 2; x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived"));
        Process events = capsa.start("events", "--interval", "500ms", id);
        Cli.Result r = Cli.await(events);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("{\"type\":\"oom\",\"id\":\"" + id + "\"}")), r.toString());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("{\"type\":\"stats\"")), r.toString());
    }

    @Test
    void cpuQuotaGivesHalfACpu() throws IOException {
        String id = runDetached(limited("b", Map.of("cpu", Map.of("quota", 50000, "period", 100000)), "sh", "-c", BUSY));
        sleep(500);
        long before = cpuUsageNanos(id), start = System.nanoTime();
        sleep(3000);
        double share = (double) (cpuUsageNanos(id) - before) / (System.nanoTime() - start);
        assertTrue(share > 0.425 && share < 0.575, "cpu share " + share + ", expected 0.5 within 15%");
    }

    @Test
    void sharesSplitOneCpuInTheirRatio() throws IOException {
        String high = runDetached(limited("h", Map.of("cpu", Map.of("shares", 1024, "cpus", "0")), "sh", "-c", BUSY));
        String low = runDetached(limited("l", Map.of("cpu", Map.of("shares", 512, "cpus", "0")), "sh", "-c", BUSY));
        sleep(500);
        long h0 = cpuUsageNanos(high), l0 = cpuUsageNanos(low);
        sleep(3000);
        double ratio = (double) (cpuUsageNanos(high) - h0) / (cpuUsageNanos(low) - l0);
        assertTrue(ratio > 1.6 && ratio < 2.4, "ratio " + ratio + ", expected 2 within 20%");
    }

    @Test
    void cpusetRestrictsTheContainerToItsCpus() {
        Bundle b = limited("b", Map.of("cpu", Map.of("cpus", "0")), "grep", "Cpus_allowed_list", "/proc/self/status");
        assertEquals("Cpus_allowed_list:\t0", capsa.ok("run", "--bundle", b.dir().toString(), newId()).strip());
    }

    @Test
    void blockIoThrottlesHoldTheirRate() throws Exception {
        Path image = work.resolve("disk.img");
        try (var f = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16 << 20);
        }
        String loop = command("losetup", "--find", "--show", image.toString()).strip();
        try {
            String[] mm = Files.readString(Path.of("/sys/block/" + Path.of(loop).getFileName() + "/dev")).strip().split(":");
            long major = Long.parseLong(mm[0]), minor = Long.parseLong(mm[1]);
            Map<String, Object> device = Map.of("major", major, "minor", minor, "rate", 1 << 20);
            Bundle b = limited("b", Map.of("blockIO", Map.of("throttleWriteBpsDevice", List.of(device),
                    "throttleReadBpsDevice", List.of(device))), "sh", "-c",
                    "time -f %e dd if=/dev/zero of=/dev/testdisk bs=64k count=48 oflag=direct 2>&1"
                            + " && time -f %e dd if=/dev/testdisk of=/dev/null bs=64k count=48 iflag=direct 2>&1");
            b.linux().put("devices", List.of(Map.of("path", "/dev/testdisk", "type", "b", "major", major, "minor", minor)));
            Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
            assertEquals(0, r.exit(), r.toString());
            // 3 MiB each way; time(1) prints the seconds each dd took
            Matcher m = Pattern.compile("(?m)^([0-9]+\\.[0-9]+)$").matcher(r.out());
            for (String direction : List.of("write", "read")) {
                assertTrue(m.find(), direction + ": " + r);
                double rate = (3 << 20) / Double.parseDouble(m.group(1));
                assertTrue(rate > 0.8 * (1 << 20) && rate < 1.2 * (1 << 20), direction + " rate " + rate + " B/s, expected 1 MiB/s within 20%");
            }
        } finally {
            command("losetup", "--detach", loop);
        }
    }

    @Test
    void deviceRulesDenyANodeMadeInsideAndAllowDevNull() {
        String probe = "mknod /tmp/sda b 8 0 && echo made; echo ok > /dev/null && echo null";
        Bundle denied = withMknod(limited("d", Map.of(), "sh", "-c", probe));
        Cli.Result r = capsa.run("run", "--bundle", denied.dir().toString(), newId());
        assertEquals("null", r.out().strip(), r.toString());
        assertTrue(r.err().contains("Operation not permitted"), r.toString());
        Bundle allowed = withMknod(limited("a", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"),
                Map.of("allow", true, "type", "b", "major", 8, "minor", 0, "access", "m"))), "sh", "-c", probe));
        assertEquals("made\nnull", capsa.ok("run", "--bundle", allowed.dir().toString(), newId()).strip(), "the rule decides, not the capability");
    }

    /** The default config denies every device and lacks CAP_MKNOD; give the capability, keep the rule. */
    private static Bundle withMknod(Bundle b) {
        List<String> caps = List.of("CAP_MKNOD");
        b.process().put("capabilities", Map.of("bounding", caps, "effective", caps, "permitted", caps));
        if (!((Map<?, ?>) b.linux().get("resources")).containsKey("devices"))
            b.linux().put("resources", Map.of("devices", List.of(Map.of("allow", false, "access", "rwm"))));
        return b.addMount("/tmp", "tmpfs", "tmpfs").write();
    }

    @Test
    void updateChangesTheLimitsOfARunningContainerAndEventsReportThem() throws IOException {
        String id = runDetached(limited("b", Map.of("pids", Map.of("limit", 50)), "sh", "-c", "sleep 1000; true"));
        capsa.ok("update", "--pids-limit", "5", "--memory", "64m", "--cpu-quota", "20000", id);
        assertEquals("5", Files.readString(cgroupDir(id, "pids").resolve("pids.max")).strip());
        assertEquals(Long.toString(64 << 20), Files.readString(cgroupDir(id, "memory").resolve("memory.limit_in_bytes")).strip());
        assertEquals("20000", Files.readString(cgroupDir(id, "cpu").resolve("cpu.cfs_quota_us")).strip());
        Map<String, Object> event = JSON.std.mapFrom(capsa.ok("events", "--stats", id));
        assertEquals("stats", event.get("type"));
        Map<?, ?> data = (Map<?, ?>) event.get("data");
        assertEquals(5, ((Number) ((Map<?, ?>) data.get("pids")).get("limit")).intValue());
        assertEquals(2, ((Number) ((Map<?, ?>) data.get("pids")).get("current")).intValue(), "sh and sleep");
        Map<?, ?> memory = (Map<?, ?>) data.get("memory");
        assertEquals((long) 64 << 20, ((Number) ((Map<?, ?>) memory.get("usage")).get("limit")).longValue());
        assertTrue(((Number) ((Map<?, ?>) memory.get("usage")).get("usage")).longValue() > 0);
        assertTrue(((Number) ((Map<?, ?>) ((Map<?, ?>) data.get("cpu")).get("usage")).get("total")).longValue() > 0);
        String updated = "{\"cpu\": {\"shares\": 256}, \"pids\": {\"limit\": 7}}";
        Process p = capsa.start("update", "--resources", writeFile("r.json", updated).toString(), id);
        assertEquals(0, Cli.await(p).exit());
        assertEquals("7", Files.readString(cgroupDir(id, "pids").resolve("pids.max")).strip());
        assertEquals("256", Files.readString(cgroupDir(id, "cpu").resolve("cpu.shares")).strip());
    }

    @Test
    void zerosAsDockerdSendsThemLeaveTheLimitsAsTheyAre() throws IOException {
        Map<String, Object> zeros = Map.of("cpu", Map.of("shares", 0, "quota", 0, "period", 0, "cpus", "", "mems", ""),
                "blockIO", Map.of("weight", 0), "memory", Map.of("limit", 0, "reservation", 0, "swap", 0, "kernel", 0),
                "pids", Map.of("limit", 0));
        String id = runDetached(limited("b", zeros, "sleep", "1000"));
        Path memory = cgroupDir(id, "memory"), cpu = cgroupDir(id, "cpu");
        assertEquals(UNLIMITED, Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
        assertEquals("1024", Files.readString(cpu.resolve("cpu.shares")).strip(), "the kernel's default");
        assertEquals("max", Files.readString(cgroupDir(id, "pids").resolve("pids.max")).strip());
    }

    @Test
    void anUpdateWithZerosAppliesTheRestAndKeepsTheMemoryLimits() throws IOException {
        String id = runDetached(limited("b", Map.of("memory", Map.of("limit", 64 << 20, "reservation", 32 << 20)), "sleep", "1000"));
        Path memory = cgroupDir(id, "memory");
        // what `docker update --cpus 0.5 --pids-limit 50` sends
        String dockerUpdate = "{\"memory\": {\"limit\": 0, \"reservation\": 0, \"swap\": 0, \"kernel\": 0, \"kernelTCP\": 0},"
                + " \"cpu\": {\"shares\": 0, \"quota\": 50000, \"period\": 100000, \"realtimeRuntime\": 0, \"realtimePeriod\": 0,"
                + " \"cpus\": \"\", \"mems\": \"\"}, \"blockIO\": {\"weight\": 0}, \"pids\": {\"limit\": 50}}";
        capsa.ok("update", "--resources", writeFile("r.json", dockerUpdate).toString(), id);
        assertEquals("50000", Files.readString(cgroupDir(id, "cpu").resolve("cpu.cfs_quota_us")).strip());
        assertEquals("50", Files.readString(cgroupDir(id, "pids").resolve("pids.max")).strip());
        assertEquals(Long.toString(64 << 20), Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
        assertEquals(Long.toString(32 << 20), Files.readString(memory.resolve("memory.soft_limit_in_bytes")).strip());
        // what `docker update --memory 128m` sends: the soft limit stays
        capsa.ok("update", "--resources", writeFile("r.json", "{\"memory\": {\"limit\": 134217728, \"reservation\": 0, \"swap\": 0}}").toString(), id);
        assertEquals(Long.toString(128 << 20), Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
        assertEquals(Long.toString(32 << 20), Files.readString(memory.resolve("memory.soft_limit_in_bytes")).strip());
    }

    @Test
    void anUnlimitedMemoryLimitLiftsTheSwapLimitGivenBefore() throws IOException {
        String id = runDetached(limited("b", Map.of("memory", Map.of("limit", 64 << 20, "swap", 64 << 20)), "sleep", "1000"));
        Path memory = cgroupDir(id, "memory");
        capsa.ok("update", "--memory", "-1", id);
        assertEquals(UNLIMITED, Files.readString(memory.resolve("memory.limit_in_bytes")).strip());
        assertEquals(UNLIMITED, Files.readString(memory.resolve("memory.memsw.limit_in_bytes")).strip());
    }

    @Test
    void pauseFreezesAndResumeThaws() throws IOException {
        String id = runDetached(bundle("b", "sh", "-c", BUSY));
        capsa.ok("pause", id);
        assertEquals("paused", statusOf(id));
        long frozen = cpuUsageNanos(id);
        sleep(500);
        assertEquals(frozen, cpuUsageNanos(id), "a paused container used cpu");
        capsa.ok("resume", id);
        assertEquals("running", statusOf(id));
        sleep(500);
        assertTrue(cpuUsageNanos(id) > frozen, "a resumed container did not run");
        capsa.ok("pause", id);
        capsa.ok("delete", "--force", id); // a paused container is thawed to die
    }

    @Test
    void badLimitsAreRefusedAndLeaveTheLimitsAsTheyWere() throws IOException {
        String id = runDetached(limited("b", Map.of("pids", Map.of("limit", 50)), "sleep", "1000"));
        refusedUpdate(id, "{\"blockIO\": {\"weightDevice\": [{\"major\": 8, \"minor\": 99, \"weight\": 100}]}}", "no block device 8:99");
        refusedUpdate(id, "{\"memory\": {\"limit\": -5}}", "linux.resources.memory.limit: must be -1 (unlimited) or not negative");
        refusedUpdate(id, "{\"pids\": {\"limit\": 1180591620717411303424}}", "linux.resources.pids.limit: 1180591620717411303424 is out of range");
        refusedUpdate(id, "{\"pids\": {\"limit\": 10.5}}", "linux.resources.pids.limit: 10.5 is not an integer");
        refusedUpdate(id, "{\"pids\": {\"limit\": \"many\"}}", "linux.resources.pids.limit: expected an integer");
        refusedUpdate(id, "{\"cpu\": {\"cpus\": \"0-99\"}, \"pids\": {\"limit\": 3}}", "names 2-99, not online");
        refusedUpdate(id, "{\"unified\": {\"memory.high\": \"1000000\"}}", "linux.resources.unified.memory.high: the memory controller is not in");
        assertEquals("50", Files.readString(cgroupDir(id, "pids").resolve("pids.max")).strip(), "a refused update changed a limit");
        String memoryLimit = Files.readString(cgroupDir(id, "memory").resolve("memory.limit_in_bytes"));
        refused(null, "--memory: \"16777216t\" is too large for a 64-bit count of bytes", "update", "--memory", "16777216t", id);
        assertEquals(memoryLimit, Files.readString(cgroupDir(id, "memory").resolve("memory.limit_in_bytes")), "2^64 bytes wrapped to 0");
        capsa.ok("kill", id, "KILL");
        awaitStatus(id, "stopped");
        Cli.Result r = capsa.run("update", "--pids-limit", "10", id);
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("container not running"), r.toString());
    }

    private void refusedUpdate(String id, String json, String expected) throws IOException {
        Cli.Result r = capsa.run("update", "--resources", writeFile("bad.json", json).toString(), id);
        assertNotEquals(0, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in " + r);
    }

    private Path writeFile(String name, String text) throws IOException {
        return Files.writeString(work.resolve(name), text);
    }

    private static String command(String... args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", args) + ": " + out);
        return out;
    }
}
