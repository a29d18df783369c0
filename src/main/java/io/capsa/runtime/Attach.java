package io.capsa.runtime;

import java.nio.file.Path;
import java.util.OptionalInt;

/** STUB until monitor lands. */
public final class Attach {
    private Attach() {}

    public record Options(boolean stdin, boolean tty, boolean owner, String detachKeys) {}

    public static OptionalInt attach(Path socket, Options options, Runnable onConnected) {
        throw new UnsupportedOperationException("attach");
    }
}
