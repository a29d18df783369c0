package io.capsa.runtime;

import io.capsa.linux.Errno;
import io.capsa.linux.Fds;
import io.capsa.linux.Pids;
import io.capsa.linux.Spawn;
import io.capsa.plan.Plan;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One run of the native helper: the plan goes down one pipe, and "pid N", "ready", "exit N" or
 * "err STEP ERRNO DETAIL" lines come back up another. bin/capsa-runtime forks one before the JVM starts
 * (capsa-helper --launch; bin/capsa two), since starting it from Java costs native calls, whose first one
 * alone costs ~35 ms of a CLI call. The helper's own pid is our child; the container's is not. A plan of
 * host steps that ends in NEXT_PLAN leaves its helper waiting for the next plan, which it takes.
 */
final class Helper implements AutoCloseable {
    /** A helper that waits for a plan: one forked by the launcher, or one a NEXT_PLAN left. */
    private record Pipes(OutputStream control, InputStream report, Runnable reap) {}

    private static final ArrayDeque<Pipes> waiting = new ArrayDeque<>();
    private static String[] launched; // the launcher's pipes not taken yet, pair by pair

    private final Plan plan;
    private final Pipes pipes;
    private boolean handedBack;

    private Helper(Plan plan, Pipes pipes) {
        this.plan = plan;
        this.pipes = pipes;
    }

    /**
     * Hands the plan to a helper: one that waits (bin/capsa-runtime forked one for this call) or, in a JVM
     * that runs more than one container (a Java program using {@link Containers}, the VM tests), one started
     * here.
     */
    static synchronized Helper start(Plan plan, int preserveFds) {
        if (launched == null) {
            String property = System.getProperty("capsa.helper"); // set by capsa-helper --launch
            launched = property == null ? new String[0] : property.split(" ");
        }
        Pipes pipes = waiting.pollFirst();
        if (pipes == null && launched.length >= 2) {
            pipes = open(Integer.parseInt(launched[0]), Integer.parseInt(launched[1]), () -> { });
            launched = Arrays.copyOfRange(launched, 2, launched.length);
        }
        if (pipes == null) pipes = spawn(preserveFds);
        Helper helper = new Helper(plan, pipes);
        helper.send(plan.encode());
        return helper;
    }

    /** Starts a helper; its pipes land above the preserved descriptors, so that no dup2 overwrites one. */
    private static Pipes spawn(int preserveFds) {
        int[] down = Fds.pipe();
        int[] up = Fds.pipe();
        int planFd = Math.max(3 + preserveFds, Math.max(Math.max(down[0], down[1]), Math.max(up[0], up[1])) + 1);
        int reportFd = planFd + 1;
        try {
            int pid = Spawn.spawn(binary().toString(),
                    List.of("capsa-helper", Integer.toString(planFd), Integer.toString(reportFd)), List.of(),
                    Map.of(planFd, down[0], reportFd, up[1]));
            return open(down[1], up[0], () -> Pids.waitFor(pid));
        } finally {
            for (int fd : new int[] {down[0], down[1], up[0], up[1]}) Fds.close(fd); // the streams have their own
        }
    }

    private static Pipes open(int planFd, int reportFd, Runnable reap) {
        try {
            // Java cannot wrap a descriptor number, but it can open the pipe again by its /proc name.
            return new Pipes(new FileOutputStream("/proc/self/fd/" + planFd),
                    new BufferedInputStream(new FileInputStream("/proc/self/fd/" + reportFd)), reap);
        } catch (IOException e) {
            throw new UncheckedIOException("native helper", e);
        }
    }

    static Path binary() {
        Path beside = BuildOutput.file("capsa-helper");
        if (Files.isExecutable(beside)) return beside;
        throw new CapsaException("the native helper is missing: " + beside + " (build with: bin/mvn package)");
    }

    /** Waits for the helper to have cloned the container's process (or to be the attach client) and returns its pid. */
    int awaitPid() {
        String line = next("the helper exited before starting the container process");
        if (!line.startsWith("pid ")) throw unexpected(line);
        return Integer.parseInt(line.substring(4));
    }

    /** Waits for a plan's NEXT_PLAN, and leaves the helper to the next plan started. */
    void awaitNext() {
        String line = next("the helper exited before its last step");
        if (!line.equals("next")) throw unexpected(line);
        handedBack = true;
        synchronized (Helper.class) {
            waiting.addFirst(pipes);
        }
    }

    /** The next line the helper reports (an attach client's: "connected", "exit N", "detached", "gone"), null at its end. */
    String awaitLine() {
        String line = readLine();
        if (line != null && line.startsWith("err ")) throw failure(line);
        return line;
    }

    /** Lets the helper go on past SYNC (the cgroup has been joined). */
    void go() {
        send(new byte[] {'g'});
    }

    /** Has the helper kill the process it cloned, instead of letting it go on past SYNC. */
    void abort() {
        try {
            pipes.control.write('x');
        } catch (IOException e) {
            // the helper has ended already, and its process with it
        }
    }

    /** Waits for HOOK_SYNC: the container's namespaces and mounts are there, its root not yet entered. */
    void awaitHooks() {
        String line = next("the container process exited before its hooks");
        if (!line.equals("hooks")) throw unexpected(line);
    }

    /**
     * Lets the process go on past HOOK_SYNC, with the states on the stdin of the hooks its runner runs where
     * capsa is (HOOK_RUNNER) and of those it runs itself.
     */
    void sendHookStates(String forRuntimeHooks, String forContainerHooks) {
        byte[] runtime = forRuntimeHooks.getBytes(StandardCharsets.UTF_8), container = forContainerHooks.getBytes(StandardCharsets.UTF_8);
        send(ByteBuffer.allocate(8 + runtime.length + container.length).order(ByteOrder.nativeOrder())
                .putInt(runtime.length).put(runtime).putInt(container.length).put(container).array());
    }

    /** Waits until the container's process has carried out its plan up to READY. */
    void awaitReady() {
        String line = next("the container process exited before it was ready");
        if (!line.equals("ready")) throw unexpected(line);
    }

    /** A SIGNAL step's outcome: true if the signal was sent, false if the process had exited. */
    boolean awaitSignal() {
        String line = next("the helper exited before signalling");
        if (!line.equals("sent") && !line.equals("gone")) throw unexpected(line);
        return line.equals("sent");
    }

    /**
     * Waits until the helper's part is over: without a monitor, until the process has exec'd (the pipe
     * closes on exec); for a plan without a process, until its last step is done. Throws the failure the
     * helper reports instead.
     */
    void awaitEnd() {
        String line = readLine();
        if (line != null) throw failure(line);
    }

    /** With a monitor: the process's exit code, once it has exec'd and ended (128 + N when killed by signal N). */
    int awaitExit() {
        String line = next("the helper exited without the process's exit status");
        if (!line.startsWith("exit ")) throw unexpected(line);
        return Integer.parseInt(line.substring(5));
    }

    private String next(String ifEnded) {
        String line = readLine();
        if (line == null) throw new CapsaException(ifEnded);
        if (line.startsWith("err ")) throw failure(line);
        return line;
    }

    private String readLine() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = pipes.report.read(); b != '\n'; b = pipes.report.read()) {
                if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("read from the native helper", e);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private void send(byte[] bytes) {
        try {
            pipes.control.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("write to the native helper", e);
        }
    }

    private CapsaException failure(String line) {
        return failure(line, plan.steps(), "helper");
    }

    /** A report "err STEP ERRNO DETAIL" as one line: what the failed step does, or who failed outside the steps. */
    static CapsaException failure(String line, List<Plan.Step> steps, String who) {
        if (!line.startsWith("err ")) return unexpected(line);
        String[] f = line.split(" ", 4);
        int step = Integer.parseInt(f[1]);
        int errno = Integer.parseInt(f[2]);
        String detail = f.length > 3 ? f[3] : "";
        String what = step >= 0 && step < steps.size() ? steps.get(step).description() : who + ": " + detail;
        return new CapsaException(what + ": " + (errno == 0 ? detail : Errno.describe(errno)));
    }

    private static CapsaException unexpected(String line) {
        return new CapsaException("helper: unexpected report \"" + line + "\"");
    }

    @Override
    public void close() {
        if (handedBack) return;
        try {
            pipes.control.close();
            pipes.report.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close the native helper's pipes", e);
        }
        pipes.reap.run();
    }
}
