package io.capsa.runtime;

import io.capsa.plan.Op;
import io.capsa.plan.Plan;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * Attaches the caller's stdio to a container through its {@link Monitor}'s socket: a helper (ATTACH) does
 * the copying (raw mode and window size with a terminal; without one, stdin's end passed on and
 * signals forwarded to the container's init, as docker run's sig-proxy).
 */
public final class Attach {
    private Attach() {}

    /**
     * stdin: the caller's stdin goes to the container; tty: the container has a terminal; owner: once this
     * client received the exit, the monitor runs no exit command; detachKeys: Docker's syntax
     * ("ctrl-p,ctrl-q", the default when null or empty).
     */
    public record Options(boolean stdin, boolean tty, boolean owner, String detachKeys) {}

    /**
     * Runs an attach client on the caller's own stdio; returns when the container exited (its exit code)
     * or the user detached / the monitor went away (empty). onConnected runs once it is connected, before
     * any output can be missed.
     */
    public static OptionalInt attach(Path socket, Options options, Runnable onConnected) {
        String keys = HexFormat.of().formatHex(detachKeys(options.detachKeys()));
        Plan plan = new Plan().add(Op.ATTACH, "attach to " + socket, socket.toAbsolutePath(), flag(options.stdin()),
                flag(options.tty()), flag(options.owner()), keys);
        try (Helper client = Helper.start(plan, 0)) {
            int pid = client.awaitPid();
            // The terminal's ^C reaches the client too, which passes it on; other signals sent to capsa go to the client.
            SignalHandler interrupt = Signal.handle(new Signal("INT"), s -> { });
            Runnable restore = options.tty() ? () -> { } : ForwardedSignals.to(pid);
            try {
                String line = client.awaitLine();
                if ("connected".equals(line)) {
                    onConnected.run();
                    line = client.awaitLine();
                }
                if (line != null && line.startsWith("exit ")) return OptionalInt.of(Integer.parseInt(line.substring(5)));
                if (line == null) throw new CapsaException("attach: the client failed");
                return OptionalInt.empty(); // detached, or the monitor is gone
            } finally {
                restore.run();
                Signal.handle(new Signal("INT"), interrupt);
            }
        }
    }

    private static String flag(boolean b) {
        return b ? "1" : "0";
    }

    /** Docker's detach keys: a comma-separated list of single characters or ctrl-X, X a letter or one of @[\]^_. */
    static byte[] detachKeys(String keys) {
        String spec = keys == null || keys.isEmpty() ? "ctrl-p,ctrl-q" : keys;
        String[] parts = spec.split(",", -1);
        byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String key = parts[i];
            if (key.length() == 1 && key.charAt(0) < 0x80) {
                bytes[i] = (byte) key.charAt(0);
                continue;
            }
            char c = key.length() == 6 && key.startsWith("ctrl-") ? Character.toUpperCase(key.charAt(5)) : 0;
            if ((c < 'A' || c > 'Z') && "@[\\]^_".indexOf(c) < 0 || c == 0)
                throw new CapsaException("invalid detach keys \"" + spec + "\": unknown key \"" + key + "\"");
            bytes[i] = (byte) (c & 0x1f); // ASCII's control characters: ctrl-A is 1, ctrl-@ 0, ctrl-_ 31
        }
        return bytes;
    }
}
