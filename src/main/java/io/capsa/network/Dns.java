package io.capsa.network;

import io.capsa.linux.Libc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Name resolution on a user network by Debian's aardvark-dns (Podman's resolver), one per network, listening on
 * the network's gateway address, port 53. Its configuration directory holds one file named after the network:
 * the gateway on the first line, then a line per container ({@code ID IPV4S IPV6S NAMES [UPSTREAMS]}). aardvark answers a
 * query only with names from the networks of the container asking, so names do not cross networks. It
 * daemonizes itself, so no capsa process stays; a SIGHUP makes it read the file again, and it is ended when
 * the network's last container leaves. Callers hold the network lock.
 */
final class Dns {
    static final Path AARDVARK = Path.of("/usr/lib/podman/aardvark-dns");
    private static final int SIGHUP = 1;
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    private final Path root;

    Dns(Path root) {
        this.root = root;
    }

    /** upstream: where other names are asked (the container's --dns servers); empty for the host's resolvers. */
    void add(NetworkConfig network, String containerId, String address, List<String> names, List<String> upstream) {
        Path dir = root.resolve(network.name());
        Path file = dir.resolve(network.name());
        List<String> lines = read(file);
        if (lines.isEmpty()) lines.add(Subnet.format(network.gateway()));
        lines.add(containerId + " " + address + "  " + String.join(",", names) + (upstream.isEmpty() ? "" : " " + String.join(",", upstream)));
        write(file, lines);
        if (!reload(dir)) HostCommand.ok(AARDVARK.toString(), "--config", dir.toString(), "-p", "53", "run");
    }

    /** Takes the container's entry away; the last one takes the file, and aardvark-dns goes with it. */
    void remove(String networkName, String containerId) {
        Path dir = root.resolve(networkName);
        Path file = dir.resolve(networkName);
        List<String> lines = read(file);
        if (lines.isEmpty()) return;
        List<String> kept = new ArrayList<>();
        for (String line : lines) if (!line.startsWith(containerId + " ")) kept.add(line);
        if (kept.size() > 1) {
            write(file, kept);
            reload(dir);
            return;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file, e);
        }
        int pid = pid(dir);
        if (pid > 0) {
            Libc.kill(pid, SIGTERM); // a SIGHUP would end it too, but only once its servers notice, seconds later
            awaitExit(pid);
        }
        try {
            Files.deleteIfExists(dir.resolve("aardvark.pid"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Tells the running aardvark-dns to read its file again; false when none runs. */
    private static boolean reload(Path dir) {
        int pid = pid(dir);
        return pid > 0 && Libc.kill(pid, SIGHUP);
    }

    /** The pid in aardvark-dns's pid file, if that process is still aardvark-dns serving this directory. */
    private static int pid(Path dir) {
        try {
            int pid = Integer.parseInt(Files.readString(dir.resolve("aardvark.pid")).strip());
            String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
            return cmdline.contains("aardvark-dns") && cmdline.contains(" " + dir + " ") ? pid : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    /** Waits up to two seconds for it to end (a zombie has ended: pid 1 reaps it when it will), then kills it. */
    private static void awaitExit(int pid) {
        for (int i = 0; i < 200; i++) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                if (stat.charAt(stat.lastIndexOf(')') + 2) == 'Z') return;
                Thread.sleep(10);
            } catch (IOException e) {
                return; // gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Libc.kill(pid, SIGKILL);
    }

    private static List<String> read(Path file) {
        try {
            List<String> lines = new ArrayList<>();
            for (String l : Files.readAllLines(file)) if (!l.isBlank()) lines.add(l);
            return lines;
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private void write(Path file, List<String> lines) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = root.resolve("." + file.getFileName() + ".tmp"); // not in the directory, all of whose files aardvark-dns reads
            Files.writeString(tmp, String.join("\n", lines) + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
