package io.capsa.engine.config;

import io.capsa.image.ImageConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Docker's merge of what the user gave with the image's config. */
class ContainerConfigTest {
    private static final ImageConfig IMAGE = new ImageConfig("linux", "amd64", null, null, "nginx", List.of("PATH=/img/bin", "A=image", "B=image"),
            List.of("/entry.sh"), List.of("serve", "--port", "80"), "/srv", "SIGQUIT", Map.of("maintainer", "img", "tier", "web"),
            List.of("/var/cache"), List.of("80/tcp"), List.of());

    private static ContainerConfig user(List<String> env, List<String> cmd, List<String> entrypoint) {
        return new ContainerConfig("", "", "", false, true, true, false, false, false, env, cmd, "nginx", List.of("/data"), "",
                entrypoint, Map.of("tier", "db"), null, null, List.of());
    }

    @Test
    void whatTheUserDidNotGiveComesFromTheImage() {
        ContainerConfig c = ContainerConfig.merged(user(List.of("A=user", "C=user"), null, null), IMAGE);
        assertEquals(List.of("A=user", "C=user", "PATH=/img/bin", "B=image"), c.env());
        assertEquals(List.of("/entry.sh"), c.entrypoint());
        assertEquals(List.of("serve", "--port", "80"), c.cmd());
        assertEquals("/srv", c.workingDir());
        assertEquals("nginx", c.user());
        assertEquals("SIGQUIT", c.stopSignal());
        assertEquals(Map.of("maintainer", "img", "tier", "db"), c.labels());
        assertEquals(List.of("/var/cache", "/data"), c.volumes());
        assertEquals(List.of("80/tcp"), c.exposedPorts());
    }

    @Test
    void aCommandReplacesTheImagesCmdButKeepsItsEntrypoint() {
        ContainerConfig c = ContainerConfig.merged(user(List.of(), List.of("sh"), null), IMAGE);
        assertEquals(List.of("/entry.sh"), c.entrypoint());
        assertEquals(List.of("sh"), c.cmd());
    }

    @Test
    void anEntrypointDropsTheImagesCmd() {
        ContainerConfig c = ContainerConfig.merged(user(List.of(), null, List.of("/bin/sh")), IMAGE);
        assertEquals(List.of("/bin/sh"), c.entrypoint());
        assertNull(c.cmd());
    }

    @Test
    void anEmptyEntrypointResetsTheImagesAndKeepsItsCmd() {
        ContainerConfig c = ContainerConfig.merged(user(List.of(), null, List.of()), IMAGE);
        assertEquals(List.of(), c.entrypoint());
        assertEquals(List.of("serve", "--port", "80"), c.cmd());
    }

    @Test
    void theUsersOwnValuesWin() {
        ContainerConfig given = new ContainerConfig("h", "", "1000", false, true, true, false, false, false, List.of(), List.of("x"),
                "nginx", List.of(), "/work", null, Map.of(), "SIGTERM", 5, List.of());
        ContainerConfig c = ContainerConfig.merged(given, IMAGE);
        assertEquals(List.of("1000", "/work", "SIGTERM"), List.of(c.user(), c.workingDir(), c.stopSignal()));
        assertEquals(5, c.stopTimeout());
    }
}
