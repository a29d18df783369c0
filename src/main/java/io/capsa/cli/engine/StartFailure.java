package io.capsa.cli.engine;

import io.capsa.runtime.CapsaException;

/** Docker's exit codes for a container whose command could not be run: 127 when not found, 126 otherwise. */
final class StartFailure {
    private StartFailure() {}

    static int exitCode(CapsaException e) {
        String message = e.getMessage();
        if (message == null || !message.startsWith("exec: \"")) return io.capsa.cli.Exit.RUNTIME_ERROR;
        return message.contains("not found") || message.contains("No such file") ? 127 : 126;
    }
}
