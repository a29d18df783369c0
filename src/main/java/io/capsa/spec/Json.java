package io.capsa.spec;

import io.capsa.linux.FileText;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and writing JSON documents. */
public final class Json {
    private Json() {}

    /** Parses a document; the error names the file and the position, on one line. */
    public static Node parse(String text, String name) {
        try {
            return Node.root(JsonReader.read(text), "");
        } catch (IllegalArgumentException e) {
            throw new SpecException(name + ": malformed JSON: " + e.getMessage());
        }
    }

    /**
     * Documents larger than this are refused rather than filling the heap: a config.json with a large
     * seccomp profile is ~100 KB, and Kubernetes keeps all annotations of a pod under 256 KB.
     */
    public static final int MAX_BYTES = 16 << 20;

    public static Node read(Path file) {
        try {
            return parse(FileText.read(file, MAX_BYTES), file.toString());
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /** A document from a stream (stdin), refused beyond MAX_BYTES as a file is. */
    public static Node read(InputStream in, String name) {
        try {
            return parse(FileText.read(in, name, MAX_BYTES), name);
        } catch (IOException e) {
            throw unreadable(name, e);
        }
    }

    /** As runc says it ("open FILE: no such file or directory"), on one line. */
    private static SpecException unreadable(String name, IOException e) {
        if (e instanceof NoSuchFileException) return new SpecException("open " + name + ": no such file or directory");
        if (e instanceof AccessDeniedException) return new SpecException("open " + name + ": permission denied");
        if (e instanceof FileSystemException f) return new SpecException(name + ": " + f.getReason());
        return new SpecException(name + ": " + e.getMessage());
    }

    /**
     * A document made in Java (what write takes) as parse would have read it back: numbers as Long or Double,
     * arrays as lists, keys as strings. The engine hands the runtime the config it wrote this way, and saves
     * parsing it again (~2 ms of a run in the interpreter).
     */
    public static Node tree(Object value) {
        return Node.root(readable(value), "");
    }

    private static Object readable(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double || value instanceof BigInteger) return value;
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).longValue();
        if (value instanceof Float f) return f.doubleValue();
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) copy.put(String.valueOf(e.getKey()), readable(e.getValue()));
            return copy;
        }
        if (value instanceof Collection<?> items) {
            List<Object> copy = new ArrayList<>(items.size());
            for (Object item : items) copy.add(readable(item));
            return copy;
        }
        throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }

    /** One line. */
    public static String write(Object value) {
        return JsonWriter.write(value, null);
    }

    /** One line, with floats as Go writes them: what docker's {{json}} template function prints. */
    public static String writeAsGo(Object value) {
        return JsonWriter.writeGo(value);
    }

    /** Indented by two spaces, as runc prints. */
    public static String pretty(Object value) {
        return JsonWriter.write(value, "  ");
    }

    /** Indented by four spaces, as docker's inspect prints. */
    public static String prettyAsDocker(Object value) {
        return JsonWriter.write(value, "    ");
    }
}
