package io.capsa.cli.engine;

import io.capsa.cli.Exit;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Quoted;

import java.util.function.IntSupplier;

/** Docker's exit codes for a container whose command could not be run: 127 when not found, 126 otherwise. */
final class StartFailure {
    private StartFailure() {}

    static int exitCode(CapsaException e) {
        String message = e.getMessage();
        if (message == null || !message.startsWith("exec: \"")) return Exit.RUNTIME_ERROR;
        return message.contains("not found") || message.contains("No such file") ? 127 : 126;
    }

    /**
     * The exit code of a process run in a running container (exec, ns enter); when its command could not be
     * run, the error printed and 126 or 127. capsa's own failures are thrown on.
     */
    static int exitOf(IntSupplier process) {
        try {
            return process.getAsInt();
        } catch (CapsaException e) {
            int code = exitCode(e);
            if (code == Exit.RUNTIME_ERROR) throw e;
            System.err.println("Error: " + Quoted.line(e.getMessage()));
            return code;
        }
    }
}
