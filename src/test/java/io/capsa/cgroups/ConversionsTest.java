package io.capsa.cgroups;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Resources;
import io.capsa.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The v1 -> v2 conversions (runc's), device rules, and resource validation; pure logic. */
class ConversionsTest {
    private static Resources parse(String json) {
        return Resources.parse(Json.parse(json, "resources").get("r"));
    }

    private static String error(String json) {
        return assertThrows(SpecException.class, () -> parse(json)).getMessage();
    }

    @Test
    void sharesAndBlkioWeightsMapOntoV2Weights() {
        assertEquals(1, io.capsa.cgroups.v2.Cpu.weight(2));
        assertEquals(39, io.capsa.cgroups.v2.Cpu.weight(1024));
        assertEquals(10000, io.capsa.cgroups.v2.Cpu.weight(262144));
        assertEquals(1, io.capsa.cgroups.v2.Io.weight(10));
        assertEquals(10000, io.capsa.cgroups.v2.Io.weight(1000));
    }

    @Test
    void specSwapCountsMemoryPlusSwapWhereV2CountsSwapAlone() {
        assertEquals("16777216", io.capsa.cgroups.v2.Memory.swapMax(parse("{\"r\":{\"memory\":{\"limit\":16777216,\"swap\":33554432}}}").memory()));
        assertEquals("max", io.capsa.cgroups.v2.Memory.swapMax(parse("{\"r\":{\"memory\":{\"swap\":-1}}}").memory()));
        assertThrows(CapsaException.class, () -> io.capsa.cgroups.v2.Memory.swapMax(parse("{\"r\":{\"memory\":{\"limit\":10,\"swap\":5}}}").memory()));
    }

    @Test
    void deviceRulesReadAsTheV1FilesTakeThem() {
        List<Resources.DeviceRule> rules = parse("{\"r\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
                + "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rw\"},{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"m\"}]}}").devices();
        assertEquals(List.of("a", "c 136:* rw", "b 8:0 m"), rules.stream().map(io.capsa.cgroups.v1.Devices::rule).toList());
    }

    @Test
    void badValuesNameTheField() {
        assertEquals("r.memory.limit: must be -1 (unlimited) or not negative", error("{\"r\":{\"memory\":{\"limit\":-2}}}"));
        assertEquals("r.cpu.cpus: \"a-b\" is not a list such as 0-3,5", error("{\"r\":{\"cpu\":{\"cpus\":\"a-b\"}}}"));
        assertEquals("r.cpu.shares: 1 is out of range 2..262144", error("{\"r\":{\"cpu\":{\"shares\":1}}}"));
        assertEquals("r.devices[0].access: must be made of r, w and m", error("{\"r\":{\"devices\":[{\"access\":\"x\"}]}}"));
    }

    @Test
    void zeroLeavesALimitAsItIsAsInRunc() {
        // what dockerd sends on create, and on `docker update --cpus 0.5 --pids-limit 50`
        Resources create = parse("{\"r\":{\"cpu\":{\"shares\":0},\"blockIO\":{\"weight\":0},\"memory\":{\"limit\":0,"
                + "\"reservation\":0,\"swap\":0,\"kernel\":0,\"kernelTCP\":0,\"disableOOMKiller\":false},\"pids\":{\"limit\":0}}}");
        assertEquals(null, create.cpu());
        assertEquals(null, create.blockIo());
        assertEquals(null, create.memory());
        assertEquals(null, create.pidsLimit());
        Resources update = parse("{\"r\":{\"memory\":{\"limit\":0,\"reservation\":0},\"cpu\":{\"shares\":0,\"quota\":50000,"
                + "\"period\":100000,\"realtimeRuntime\":0,\"realtimePeriod\":0,\"cpus\":\"\",\"mems\":\"\"},\"pids\":{\"limit\":50}}}");
        assertEquals(new Resources.Cpu(null, 50000L, null, 100000L, null, null, null, null, null), update.cpu());
        assertEquals(50L, update.pidsLimit());
        assertEquals(null, update.memory());
        Resources.Memory limitOnly = parse("{\"r\":{\"memory\":{\"limit\":67108864,\"reservation\":0,\"swap\":0}}}").memory();
        assertEquals(67108864L, limitOnly.limit());
        assertEquals(null, limitOnly.reservation(), "docker update --memory must not set the soft limit to 0");
        assertEquals(null, limitOnly.swap());
        assertEquals(-1L, parse("{\"r\":{\"memory\":{\"limit\":-1}}}").memory().limit());
    }

    @Test
    void limitsBeyondTheirTypeAreRefusedNotWrapped() {
        assertEquals("r.memory.limit: 1180591620717411303424 is out of range -9223372036854775808..9223372036854775807", error("{\"r\":{\"memory\":{\"limit\":1180591620717411303424}}}"));
        assertEquals("r.pids.limit: 18446744073709551616 is out of range -9223372036854775808..9223372036854775807", error("{\"r\":{\"pids\":{\"limit\":18446744073709551616}}}"));
        assertEquals("r.pids.limit: 1.5 is not an integer", error("{\"r\":{\"pids\":{\"limit\":1.5}}}"));
        assertEquals("r.pids.limit: must be -1 (unlimited) or not negative", error("{\"r\":{\"pids\":{\"limit\":-2}}}"));
        assertEquals("r.blockIO.weight: 5 is out of range 10..1000", error("{\"r\":{\"blockIO\":{\"weight\":5}}}"));
        assertEquals("r.devices[0].major: 4294967304 is out of range -1..4095", error("{\"r\":{\"devices\":[{\"type\":\"c\",\"major\":4294967304}]}}"));
    }

    @Test
    void cpusBeyondTheHostAreRefusedBeforeAnyWrite() throws Exception {
        String online = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
        int last = ResourceCheck.parse(online).length();
        CgroupLayout layout = new CgroupLayout(List.of());
        ResourceCheck.check(parse("{\"r\":{\"cpu\":{\"cpus\":\"" + online + "\"}}}"), layout);
        String message = assertThrows(CapsaException.class,
                () -> ResourceCheck.check(parse("{\"r\":{\"cpu\":{\"cpus\":\"0-" + (last + 5) + "\"}}}"), layout)).getMessage();
        assertEquals("linux.resources.cpu.cpus: \"0-" + (last + 5) + "\" names " + last + "-" + (last + 5)
                + ", not online on this host (online: " + online + ")", message);
        assertThrows(CapsaException.class, () -> ResourceCheck.check(parse("{\"r\":{\"unified\":{\"memory.max\":\"1\"}}}"), layout));
    }
}
