package io.capsa.runtime;

import io.capsa.linux.ErrnoException;
import io.capsa.linux.Fds;
import io.capsa.linux.Libc;
import io.capsa.linux.Pids;
import io.capsa.linux.Signals;
import io.capsa.linux.Spawn;
import io.capsa.spec.Hook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs the hooks that belong in the runtime's namespaces: prestart, createRuntime, poststart, poststop. */
final class Hooks {
    private Hooks() {}

    /** A runtime-namespace hook that cannot run is refused before anything is made. */
    static void checkExecutable(List<Hook> hooks) {
        for (Hook h : hooks) {
            if (!Files.isExecutable(Path.of(h.path())))
                throw new CapsaException(h.field() + ".path: " + h.path() + " is not an executable file");
        }
    }

    /** Runs each hook with the state on its stdin; the first that fails or outlives its timeout fails them all. */
    static void run(List<Hook> hooks, String stateJson) {
        for (Hook h : hooks) runOne(h, stateJson);
    }

    private static void runOne(Hook hook, String stateJson) {
        int[] stdin = Fds.pipe();
        int pid;
        try {
            pid = Spawn.spawn(hook.path(), hook.args(), hook.env(), Map.of(0, stdin[0]), true);
        } catch (ErrnoException e) {
            Fds.close(stdin[1]);
            throw new CapsaException(hook.field() + ": " + e.getMessage());
        } finally {
            Fds.close(stdin[0]);
        }
        try {
            Fds.writeFully(stdin[1], stateJson.getBytes(StandardCharsets.UTF_8));
        } catch (ErrnoException e) {
            // the hook did not read its state: that is its business
        } finally {
            Fds.close(stdin[1]);
        }
        if (hook.timeout() > 0) {
            int pidfd = Pids.open(pid);
            try {
                if (pidfd >= 0 && !Pids.awaitExit(pidfd, hook.timeout() * 1000)) {
                    Libc.kill(pid, Signals.SIGKILL);
                    Pids.waitFor(pid);
                    throw new CapsaException(hook.field() + " " + hook.path() + ": timed out after " + hook.timeout() + " s");
                }
            } finally {
                Fds.close(pidfd);
            }
        }
        int status = Pids.waitFor(pid);
        if (status != 0) throw new CapsaException(hook.field() + " " + hook.path() + ": exited with status " + status);
    }
}
