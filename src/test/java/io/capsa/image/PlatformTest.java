package io.capsa.image;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformTest {
    @Test
    void parsesAndNormalizesSpellings() {
        assertEquals("linux/amd64", Platform.parse("linux/amd64").toString());
        assertEquals("linux/amd64", Platform.parse("x86_64").toString());
        assertEquals("linux/arm64/v8", Platform.parse("linux/arm64/v8").toString());
        assertEquals("linux/arm64/v8", Platform.parse("linux/aarch64/8").toString());
        assertEquals("linux/arm/v7", Platform.parse("linux/armhf").toString());
        assertEquals("linux/arm/v6", Platform.parse("armel").toString());
        assertEquals("linux/386", Platform.parse("linux/i386").toString());
        for (String bad : new String[] {"", "linux/", "/amd64", "linux/arm/v7/x", "linux//v7"})
            assertThrows(ImageException.class, () -> Platform.parse(bad), bad);
    }

    @Test
    void variantsMatterButTheBaselineMayBeLeftOut() {
        Platform arm64 = Platform.parse("linux/arm64");
        assertTrue(arm64.matches(new Platform("linux", "arm64", "v8")));
        assertTrue(arm64.matches(new Platform("linux", "arm64", "")));
        assertTrue(Platform.parse("linux/arm64/v8").matches(new Platform("linux", "arm64", null)));
        assertFalse(Platform.parse("linux/arm/v7").matches(new Platform("linux", "arm", "v6")));
        assertTrue(Platform.parse("linux/arm").matches(new Platform("linux", "arm", "v7")));
        assertFalse(Platform.parse("linux/arm").matches(new Platform("linux", "arm", "v6")));
        assertFalse(Platform.parse("linux/amd64").matches(new Platform("windows", "amd64", "")));
        assertFalse(Platform.parse("linux/amd64").matches(new Platform("linux", "arm64", "")));
    }

    @Test
    void theHostIsLinuxOnItsArchitecture() {
        Platform host = Platform.host();
        assertEquals("linux", host.os());
        assertTrue(host.architecture().equals("amd64") || host.architecture().equals("arm64"), host.toString());
    }
}
