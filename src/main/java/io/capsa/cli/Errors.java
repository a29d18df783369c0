package io.capsa.cli;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** One line that says what failed, for any exception a command may end with. */
public final class Errors {
    private Errors() {}

    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            String what = u.getMessage();
            return what.equals(String.valueOf(u.getCause())) ? io(u.getCause()) : what + ": " + io(u.getCause());
        }
        String m = e.getMessage();
        if (e instanceof RuntimeException && m != null && !(e instanceof NullPointerException)) return m;
        return e.toString();
    }

    private static String io(Throwable cause) {
        if (cause instanceof NoSuchFileException f) return f.getFile() + ": no such file or directory";
        if (cause instanceof AccessDeniedException f) return f.getFile() + ": permission denied";
        if (cause instanceof FileSystemException f) return f.getFile() + ": " + f.getReason();
        return String.valueOf(cause.getMessage());
    }
}
