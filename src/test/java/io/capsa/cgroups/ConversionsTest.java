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
        assertEquals("r.memory.limit: must be -1 (unlimited) or not negative",
                assertThrows(SpecException.class, () -> parse("{\"r\":{\"memory\":{\"limit\":-2}}}")).getMessage());
        assertEquals("r.cpu.cpus: \"a-b\" is not a list such as 0-3,5",
                assertThrows(SpecException.class, () -> parse("{\"r\":{\"cpu\":{\"cpus\":\"a-b\"}}}")).getMessage());
        assertEquals("r.cpu.shares: must be between 2 and 262144",
                assertThrows(SpecException.class, () -> parse("{\"r\":{\"cpu\":{\"shares\":1}}}")).getMessage());
        assertEquals("r.devices[0].access: must be made of r, w and m",
                assertThrows(SpecException.class, () -> parse("{\"r\":{\"devices\":[{\"access\":\"x\"}]}}")).getMessage());
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
