package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A container engine living entirely in a private directory under the temp dir: its own roots, sockets,
 * configuration and cgroup parent, so that the tests never touch the host's engines or their defaults.
 * stop() removes every container, ends the daemons it started (by pid), then fails if anything of the
 * engine outlived them: a process (a containerd shim, a conmon), a mount, a cgroup.
 */
abstract class Engine {
    /**
     * The runtime every case runs with first. -Dcapsa.it.engineRuntime=runc runs the cases with runc only,
     * to check the tests themselves.
     */
    static final String RUNTIME = System.getProperty("capsa.it.engineRuntime", "capsa");
    /** A container's command that stays up, says "up", and on SIGTERM says "term" and exits 7. */
    static final List<String> SERVICE = List.of("sh", "-c", "echo up; trap 'echo term; exit 7' TERM; while true; do sleep 0.1; done");
    final Path dir;
    /** The cgroup every container of this engine is created under, named so that the suite's leak check sees it. */
    final String cgroupParent;
    final Map<String, String> env = new HashMap<>();
    private final List<Process> daemons = new ArrayList<>();

    Engine(String name) {
        try {
            // Short: podman refuses a run root longer than 50 characters. The run's prefix makes it unique.
            dir = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"), ContainerTestBase.WORK_PREFIX + name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cgroupParent = ContainerTestBase.ID_PREFIX + name;
    }

    /** Starts the daemons (if any) and loads the busybox image. */
    abstract void start();

    /** The client command, with the options that point it at this engine's private daemon or store. */
    abstract List<String> client();

    /** Removes every container of this engine, running or not. */
    abstract void removeAllContainers();

    Cli.Result cli(String... args) {
        List<String> command = new ArrayList<>(client());
        command.addAll(List.of(args));
        return Command.run(dir, env, command);
    }

    /** Runs the client and asserts success; returns stdout. */
    String ok(String... args) {
        Cli.Result r = cli(args);
        if (r.exit() != 0) throw new AssertionError(String.join(" ", args) + " failed:\n" + r);
        return r.out();
    }

    Path path(String name) {
        return dir.resolve(name);
    }

    void write(String name, String content) {
        try {
            Files.writeString(path(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a daemon and waits until the client's probe command succeeds against it. */
    void startDaemon(String name, List<String> command, String... probe) {
        Path log = path(name + ".log");
        Process daemon = Command.daemon(dir, log, env, command);
        daemons.add(daemon);
        for (int i = 0; i < 300; i++) {
            if (!daemon.isAlive()) throw new AssertionError(name + " exited " + daemon.exitValue() + ":\n" + read(log));
            if (cli(probe).exit() == 0) return;
            ContainerTestBase.sleep(100);
        }
        throw new AssertionError(name + " did not answer within 30 s:\n" + read(log));
    }

    void stop() {
        try {
            removeAllContainers();
        } finally {
            for (Process daemon : daemons.reversed()) end(daemon);
            List<String> outlived = killProcessesUnder();
            List<String> mounts = Leaks.mountsUnder(dir.toString());
            for (String m : mounts.reversed()) Command.run(dir, Map.of(), List.of("umount", "-l", m.split(" ")[4]));
            List<Path> cgroups = removeCgroups();
            deleteRecursively(dir);
            assertEquals(List.of(), outlived, "processes that outlived " + dir);
            assertEquals(List.of(), mounts, "mounts left under " + dir);
            assertEquals(List.of(), cgroups, "cgroups left");
        }
    }

    /** SIGTERM, as an init system stops a daemon; SIGKILL if it does not exit in time. */
    private static void end(Process daemon) {
        daemon.destroy();
        try {
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Processes whose command line names this engine's directory (shims and conmon carry its socket or
     * bundle paths) once the daemons are gone: killed by pid, and reported. They get a moment to exit first.
     */
    private List<String> killProcessesUnder() {
        List<String> found = List.of();
        for (int i = 0; i < 50; i++) {
            found = processesUnder();
            if (found.isEmpty()) return found;
            ContainerTestBase.sleep(100);
        }
        for (String p : found) ProcessHandle.of(Long.parseLong(p.split(":")[0])).ifPresent(ProcessHandle::destroyForcibly);
        return found;
    }

    private List<String> processesUnder() {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmdline = Files.readString(p.resolve("cmdline")).replace('\0', ' ');
                    if (cmdline.contains(dir.toString())) found.add(p.getFileName() + ": " + cmdline);
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Removes the engine's cgroup parent (empty once its containers are gone); returns what could not be removed. */
    private List<Path> removeCgroups() {
        List<Path> left = new ArrayList<>();
        for (Path parent : Leaks.cgroupDirs(cgroupParent)) {
            try (Stream<Path> tree = Files.walk(parent)) {
                for (Path d : tree.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList()) {
                    try {
                        Files.delete(d);
                    } catch (IOException e) {
                        left.add(d);
                    }
                }
            } catch (IOException e) {
                left.add(parent);
            }
        }
        return left;
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
