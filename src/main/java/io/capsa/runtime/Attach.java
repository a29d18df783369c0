package io.capsa.runtime;

import io.capsa.linux.Fds;
import io.capsa.linux.Pids;
import io.capsa.linux.Spawn;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Attaches the caller's stdio to a container through its {@link Monitor}'s socket: capsa-helper --attach
 * does the copying (raw mode and window size with a terminal; without one, stdin's end passed on and
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

    private static final int REPORT_FD = 3;

    /**
     * Runs an attach client on the caller's own stdio; returns when the container exited (its exit code)
     * or the user detached / the monitor went away (empty). onConnected runs once it is connected, before
     * any output can be missed.
     */
    public static OptionalInt attach(Path socket, Options options, Runnable onConnected) {
        String keys = HexFormat.of().formatHex(detachKeys(options.detachKeys()));
        int[] up = Fds.pipe();
        int pid;
        try {
            pid = Spawn.spawn(Helper.binary().toString(), List.of("capsa-helper", "--attach", socket.toAbsolutePath().toString(),
                    Integer.toString(REPORT_FD), flag(options.stdin()), flag(options.tty()), flag(options.owner()), keys),
                    List.of(), Map.of(REPORT_FD, up[1]));
        } catch (RuntimeException e) {
            Fds.close(up[0]);
            throw e;
        } finally {
            Fds.close(up[1]);
        }
        // The terminal's ^C reaches the client too, so capsa ignores it; signals sent to capsa go to the
        // client, which passes them on, or with a terminal detaches on SIGTERM and SIGHUP.
        Runnable restore = ForwardedSignals.to(pid);
        try (BufferedReader report = new BufferedReader(new InputStreamReader(
                new FileInputStream("/proc/self/fd/" + up[0]), StandardCharsets.UTF_8))) {
            Fds.close(up[0]);
            String line = report.readLine();
            if ("connected".equals(line)) {
                try {
                    onConnected.run();
                } catch (RuntimeException e) {
                    report.close(); // the client sees its report pipe end, and ends
                    throw e;
                }
                line = report.readLine();
            }
            if (line == null) throw new CapsaException("attach: the client failed");
            if (line.startsWith("err ")) throw Helper.failure(line, List.of(), "attach");
            if (line.startsWith("exit ")) return OptionalInt.of(Integer.parseInt(line.substring(5)));
            return OptionalInt.empty(); // detached, or the monitor is gone
        } catch (IOException e) {
            throw new UncheckedIOException("attach", e);
        } finally {
            Pids.waitFor(pid);
            restore.run();
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
