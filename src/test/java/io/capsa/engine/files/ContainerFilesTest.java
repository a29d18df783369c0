package io.capsa.engine.files;

import io.capsa.runtime.CapsaException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** How docker cp's paths are read: container paths from the root, ".." above it refused, last names and parents. */
class ContainerFilesTest {
    @Test
    void containerPathsAreFromTheRootAndNeverAboveIt() {
        assertEquals("/etc/passwd", ContainerFiles.containerPath("etc/passwd"));
        assertEquals("/tmp/../etc", ContainerFiles.containerPath("/tmp/../etc"), "inside the root: resolved there");
        assertEquals("/a/./b/..", ContainerFiles.containerPath("/a/./b/.."));
        assertThrows(CapsaException.class, () -> ContainerFiles.containerPath("../etc/passwd"));
        assertThrows(CapsaException.class, () -> ContainerFiles.containerPath("/tmp/../../etc"));
        assertThrows(CapsaException.class, () -> ContainerFiles.containerPath(""));
    }

    @Test
    void baseNamesAndParentsAsDockerCpTakesThem() {
        assertEquals("f", ContainerFiles.baseName("/a/f"));
        assertEquals("d", ContainerFiles.baseName("/a/d/"));
        assertEquals("d", ContainerFiles.baseName("/a/d/."));
        assertEquals(".", ContainerFiles.baseName("/"));
        assertEquals(".", ContainerFiles.baseName("."));
        assertEquals("/a", ContainerFiles.parent("/a/f"));
        assertEquals("/", ContainerFiles.parent("/f"));
        assertEquals("/a", ContainerFiles.parent("/a/d/"));
        assertEquals(".", ContainerFiles.parent("f"));
    }
}
