package io.capsa.image.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DockerConfigTest {
    @Test
    void keysAsDockerWritesThemNameRegistries() {
        assertEquals("docker.io", DockerConfig.domainOf("https://index.docker.io/v1/"));
        assertEquals("docker.io", DockerConfig.domainOf("registry-1.docker.io"));
        assertEquals("localhost:5000", DockerConfig.domainOf("http://localhost:5000/v2/"));
        assertEquals("quay.io", DockerConfig.domainOf("quay.io"));
    }

    @Test
    void storesReadsAndRemovesCredentials(@TempDir Path dir) throws IOException {
        DockerConfig config = new DockerConfig(dir.resolve("new/config.json"));
        assertNull(config.credentials("docker.io"));
        assertFalse(config.remove("docker.io"));

        config.store("docker.io", new Credentials("me", "p:ss"));
        config.store("localhost:5000", new Credentials("other", "x"));
        assertEquals(new Credentials("me", "p:ss"), config.credentials("docker.io"));
        assertEquals(new Credentials("other", "x"), config.credentials("localhost:5000"));
        String text = Files.readString(config.file());
        assertTrue(text.contains("\"https://index.docker.io/v1/\""), text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(config.file().getParent())));

        assertTrue(config.remove("docker.io"));
        assertNull(config.credentials("docker.io"));
        assertEquals(new Credentials("other", "x"), config.credentials("localhost:5000"));
        try (var files = Files.list(config.file().getParent())) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void credentialsNeverPrintTheirPassword() {
        assertEquals("Credentials[me]", new Credentials("me", "secret").toString());
    }
}
