package io.capsa.runtime;

import io.capsa.linux.Libc;
import sun.misc.Signal;

/**
 * While capsa waits in the foreground, signals sent to it go on to the container's process, as runc does.
 * SIGINT and SIGQUIT come from the terminal, which already sends them to the container's process group.
 */
final class ForwardedSignals {
    private ForwardedSignals() {}

    private static final String[] FORWARDED = {"TERM", "HUP", "USR1", "USR2", "WINCH", "CONT"};
    private static final String[] FROM_TERMINAL = {"INT", "QUIT"};

    static void to(int pid) {
        for (String name : FORWARDED) handle(name, s -> Libc.kill(pid, s.getNumber()));
        for (String name : FROM_TERMINAL) handle(name, s -> { });
    }

    private static void handle(String name, sun.misc.SignalHandler handler) {
        try {
            Signal.handle(new Signal(name), handler);
        } catch (IllegalArgumentException e) {
            // a signal the JVM keeps for itself (SIGQUIT prints thread dumps, SIGUSR2 suspends threads)
        }
    }
}
