package io.capsa.it;

import io.capsa.runtime.Attach;
import io.capsa.runtime.Containers;
import io.capsa.runtime.Monitor;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * What MonitorIT runs in a JVM of its own, on stdio the test controls, as the engine's CLI would:
 * create ROOT ID BUNDLE DIR (a container with a monitor whose files are in DIR; prints the init's pid), or
 * attach ROOT ID SOCKET STDIN TTY OWNER KEYS START (prints "result exit N" or "result detached" on stderr;
 * START true: starts the container once connected).
 */
public final class MonitorProbe {
    public static void main(String[] args) {
        Containers containers = new Containers(Path.of(args[1]), null, warn -> { });
        if (args[0].equals("create")) {
            Path dir = Path.of(args[4]);
            Monitor monitor = new Monitor(dir.resolve("ctr.log"), dir.resolve("exit"), dir.resolve("attach.sock"), false, false, List.of(), null);
            System.out.println(containers.create(args[2], new Containers.CreateOptions(Path.of(args[3]), null, 0, false, true, null, monitor)));
            return;
        }
        Attach.Options options = new Attach.Options(Boolean.parseBoolean(args[4]), Boolean.parseBoolean(args[5]),
                Boolean.parseBoolean(args[6]), args[7]);
        boolean start = Boolean.parseBoolean(args[8]);
        OptionalInt exit = Attach.attach(Path.of(args[3]), options, () -> {
            if (start) containers.start(args[2]);
        });
        System.err.println("result " + (exit.isPresent() ? "exit " + exit.getAsInt() : "detached"));
    }
}
