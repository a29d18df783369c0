package io.capsa.runtime;

import io.capsa.linux.Libc;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.util.ArrayList;
import java.util.List;

/**
 * While capsa waits in the foreground, signals sent to it go on to the container's process, as runc does.
 * SIGINT and SIGQUIT come from the terminal, which already sends them to the container's process group.
 */
final class ForwardedSignals {
    private ForwardedSignals() {}

    private static final String[] FORWARDED = {"TERM", "HUP", "USR1", "USR2", "WINCH", "CONT"};
    private static final String[] FROM_TERMINAL = {"INT", "QUIT"};

    /** Returns what puts the handlers back as they were, for a JVM that goes on after (an attach client's end). */
    static Runnable to(int pid) {
        List<Runnable> restore = new ArrayList<>();
        for (String name : FORWARDED) handle(name, s -> Libc.kill(pid, s.getNumber()), restore);
        for (String name : FROM_TERMINAL) handle(name, s -> { }, restore);
        return () -> restore.forEach(Runnable::run);
    }

    private static void handle(String name, SignalHandler handler, List<Runnable> restore) {
        try {
            Signal signal = new Signal(name);
            SignalHandler old = Signal.handle(signal, handler);
            restore.add(() -> Signal.handle(signal, old));
        } catch (IllegalArgumentException e) {
            // a signal the JVM keeps for itself (SIGQUIT prints thread dumps, SIGUSR2 suspends threads)
        }
    }
}
