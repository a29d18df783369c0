package io.capsa.linux;

import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Small whole files (/proc, cgroup files, state.json, config.json) read and written through java.io
 * streams. Files.readString and writeString go through file channels, whose layers cost the interpreter
 * ~0.2 ms a call and whose first use ~2 ms more; a CLI call never runs long enough to compile them.
 * Failures to open come as Files reports them, so callers catch NoSuchFileException and the like.
 */
public final class FileText {
    private FileText() {}

    public static String read(Path file) throws IOException {
        return read(file, Integer.MAX_VALUE - 8); // the largest array a JVM makes
    }

    /** As read, but a file longer than maxBytes (a config.json linked to /dev/zero) fails rather than fill the heap. */
    public static String read(Path file, int maxBytes) throws IOException {
        try (FileInputStream in = new FileInputStream(file.toString())) {
            return read(in, file.toString(), maxBytes);
        } catch (FileNotFoundException e) {
            throw openFailure(file, e);
        }
    }

    /** Reads the stream to its end, unless it is longer than maxBytes: then it fails and names it so. */
    public static String read(InputStream in, String name, int maxBytes) throws IOException {
        byte[] bytes = in.readNBytes(maxBytes + 1);
        if (bytes.length > maxBytes) throw new FileSystemException(name, null, "larger than " + (maxBytes >> 20) + " MiB, the most capsa reads");
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Creates or truncates the file, as Files.writeString does. */
    public static void write(Path file, String text) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toString())) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (FileNotFoundException e) {
            throw openFailure(file, e);
        }
    }

    /** java.io reports every failed open as FileNotFoundException("PATH (reason)"). */
    private static IOException openFailure(Path file, FileNotFoundException e) {
        String message = e.getMessage();
        int open = message.lastIndexOf(" (");
        String reason = open >= 0 && message.endsWith(")") ? message.substring(open + 2, message.length() - 1) : message;
        return switch (reason) {
            case "No such file or directory" -> new NoSuchFileException(file.toString());
            case "Permission denied" -> new AccessDeniedException(file.toString());
            default -> new FileSystemException(file.toString(), null, reason);
        };
    }
}
