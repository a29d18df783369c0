package io.capsa.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's own monitor, as conmon is for Podman: the init's parent once create has returned. It holds
 * the container's stdio (the pty's master when terminal; stdin a pipe when openStdin, else /dev/null),
 * appends the output to logFile in the CRI log format, serves attach clients on attachSocket (see
 * {@link Attach}), writes the exit code to exitFile when the init exits and then runs exitCommand (with
 * PATH as capsa has it, stdio /dev/null; empty: none), unless an owner client received the exit or the
 * exit was claimed (see {@link #claimFile}). rootfs
 * (null: none) is the container's root as mounted where capsa is, which the monitor unmounts before it writes
 * the exit file: the engine's root is mounted only while the container runs.
 */
public record Monitor(Path logFile, Path exitFile, Path attachSocket, boolean terminal, boolean openStdin,
                      List<String> exitCommand, Path rootfs) {
    /**
     * The file that, there when the init has exited, tells the monitor to run no exit command: a caller that
     * waits for the exit and then does the exit command's work itself (the engine's stop and rm -f) makes it
     * before it signals the init, which spares a process (a JVM) per stop.
     */
    public static Path claimFile(Path exitFile) {
        return exitFile.resolveSibling(exitFile.getFileName() + ".claimed");
    }
}
