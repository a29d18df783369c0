package io.capsa.cli.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class InfoCommandTest {
    @Test
    void cpuListsCountEachCpuOfEachRange() {
        assertEquals(1, InfoCommand.countList("0"));
        assertEquals(2, InfoCommand.countList("0-1"));
        assertEquals(7, InfoCommand.countList("0-3,8,10-11"));
    }

    @Test
    void sizesAsDockerShowsThem() {
        assertEquals("512B", InfoCommand.bytes(512));
        assertEquals("1KiB", InfoCommand.bytes(1024));
        assertEquals("7.674GiB", InfoCommand.bytes(8_046_804L * 1024));
        assertEquals("15.5GiB", InfoCommand.bytes(15L * 1024 * 1024 * 1024 + 512L * 1024 * 1024));
        assertEquals("1000MiB", InfoCommand.bytes(1000L * 1024 * 1024));
    }
}
