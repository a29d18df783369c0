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
        assertEquals("512B", Units.bytesSize(512));
        assertEquals("1KiB", Units.bytesSize(1024));
        assertEquals("7.674GiB", Units.bytesSize(8_046_804L * 1024));
        assertEquals("15.5GiB", Units.bytesSize(15L * 1024 * 1024 * 1024 + 512L * 1024 * 1024));
        assertEquals("1000MiB", Units.bytesSize(1000L * 1024 * 1024));
    }
}
