package io.capsa.runtime;

import io.capsa.linux.ErrnoException;
import io.capsa.linux.Fds;
import io.capsa.linux.Pids;
import io.capsa.linux.Signals;
import io.capsa.linux.Spawn;
import io.capsa.spec.Hook;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
        byte[] state = stateJson.getBytes(StandardCharsets.UTF_8);
        for (Hook h : hooks) runOne(h, state);
    }

    /** Runs every hook, each failure a warning: poststart and poststop, whose failures the lifecycle goes past. */
    static void runEach(List<Hook> hooks, String stateJson, Consumer<String> warn) {
        byte[] state = stateJson.getBytes(StandardCharsets.UTF_8);
        for (Hook h : hooks) {
            try {
                runOne(h, state);
            } catch (CapsaException e) {
                warn.accept(e.getMessage());
            }
        }
    }

    private static void runOne(Hook hook, byte[] state) {
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
        int pidfd = Pids.open(pid); // our child, not yet waited for: it has one even once it has exited
        try {
            if (!feed(pidfd, stdin[1], state, hook.timeout())) {
                Pids.signal(pidfd, Signals.SIGKILL);
                Pids.waitFor(pid);
                throw new CapsaException(hook.field() + " " + hook.path() + ": timed out after " + hook.timeout() + " s");
            }
        } finally {
            Fds.close(pidfd);
        }
        int status = Pids.waitFor(pid);
        if (status != 0) throw new CapsaException(hook.field() + " " + hook.path() + ": exited with status " + status);
    }

    /**
     * Writes the state to the hook's stdin while waiting for it to exit, both within timeoutSeconds (0: no
     * limit): written without blocking, so that a hook that does not read cannot hold capsa past its
     * timeout. Returns false when the timeout passed first.
     */
    private static boolean feed(int pidfd, int stdin, byte[] state, int timeoutSeconds) {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        int written = 0;
        try {
            Fds.setNonBlocking(stdin);
            while (true) {
                int wait = timeoutSeconds == 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
                switch (Pids.awaitExitOrWritable(pidfd, stdin, wait)) {
                    case EXITED -> {
                        return true;
                    }
                    case TIMED_OUT -> {
                        return false;
                    }
                    case WRITABLE -> {
                        try {
                            written += Fds.writeSome(stdin, state, written);
                        } catch (ErrnoException e) {
                            written = state.length; // the hook closed its stdin: that is its business
                        }
                        if (written == state.length) {
                            Fds.close(stdin);
                            stdin = -1;
                        }
                    }
                }
            }
        } finally {
            Fds.close(stdin);
        }
    }
}
