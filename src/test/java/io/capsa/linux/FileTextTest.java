package io.capsa.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileTextTest {
    @TempDir
    Path dir;

    @Test
    void writesCreatesOrTruncatesAndReadsBackUtf8() throws IOException {
        Path f = dir.resolve("f");
        FileText.write(f, "a longer first text");
        FileText.write(f, "grüße");
        assertEquals("grüße", FileText.read(f));
    }

    @Test
    void readsProcFilesWhoseSizeIsZero() throws IOException {
        assertTrue(FileText.read(Path.of("/proc/self/stat")).startsWith(ProcessHandle.current().pid() + " ("));
    }

    @Test
    void failuresToOpenComeAsFilesReportsThem() {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> FileText.read(dir.resolve("none")));
        assertEquals(dir.resolve("none").toString(), missing.getFile());
        assertThrows(NoSuchFileException.class, () -> FileText.write(dir.resolve("no/such/dir"), "x"));
        FileSystemException isDir = assertThrows(FileSystemException.class, () -> FileText.write(dir, "x"));
        assertInstanceOf(FileSystemException.class, isDir);
        assertEquals("Is a directory", isDir.getReason());
    }
}
