package io.capsa.spec;

import io.capsa.linux.FileText;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

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

    public static Node read(Path file) {
        try {
            return parse(FileText.read(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such file");
        } catch (IOException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    /** One line. */
    public static String write(Object value) {
        return JsonWriter.write(value, false);
    }

    /** Indented by two spaces, as runc prints. */
    public static String pretty(Object value) {
        return JsonWriter.write(value, true);
    }
}
