package io.capsa.spec;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading and writing JSON documents with jackson-jr, which starts far faster than jackson-databind. */
public final class Json {
    private Json() {}

    private static final JSON PRETTY = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT);

    /** Parses a document; the error names the file and the position, on one line. */
    public static Node parse(String text, String name) {
        try {
            return Node.root(JSON.std.anyFrom(text), "");
        } catch (IOException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new SpecException(name + ": malformed JSON: " + first);
        }
    }

    public static Node read(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such file");
        } catch (IOException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    public static String write(Object value) {
        try {
            return JSON.std.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pretty(Object value) {
        try {
            return PRETTY.asString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
