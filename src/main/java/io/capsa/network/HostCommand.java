package io.capsa.network;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs one of the host's network tools (ip, iptables) and says what it printed when it fails. */
final class HostCommand {
    private HostCommand() {}

    /** True when it exited 0; its output is dropped. */
    static boolean succeeds(String... command) {
        return run(null, command).exit == 0;
    }

    /** Throws with the tool's own words when it fails; returns its output. */
    static String ok(String... command) {
        return okWithInput(null, command);
    }

    /** As ok, with this text on its stdin (null: none). */
    static String okWithInput(String input, String... command) {
        Result r = run(input, command);
        if (r.exit != 0) throw new NetworkException(String.join(" ", command) + ": " + (r.out.isBlank() ? "exit status " + r.exit : r.out.strip().replace('\n', ' ')));
        return r.out;
    }

    private record Result(int exit, String out) {}

    private static Result run(String input, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                    .redirectInput(input == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) : ProcessBuilder.Redirect.PIPE).start();
            if (input != null) {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new NetworkException(command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException("interrupted while " + command[0] + " ran");
        }
    }
}
