package io.capsa.runtime;

import io.capsa.linux.Errno;
import io.capsa.linux.Fds;
import io.capsa.linux.Pids;
import io.capsa.linux.Spawn;
import io.capsa.plan.Plan;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One run of the native helper: the plan goes down one pipe, and "pid N", "ready" or "err STEP ERRNO
 * DETAIL" lines come back up another. The helper's own pid is our child; the container's is not.
 */
final class Helper implements AutoCloseable {
    private final Plan plan;
    private final int helperPid;
    private int control;
    private final int report;
    private boolean reaped;

    private Helper(Plan plan, int helperPid, int control, int report) {
        this.plan = plan;
        this.helperPid = helperPid;
        this.control = control;
        this.report = report;
    }

    /** Starts the helper with the plan; preserveFds descriptors from 3 up pass through to the container. */
    static Helper start(Plan plan, int preserveFds) {
        int[] down = Fds.pipe();
        int[] up = Fds.pipe();
        // Land the pipes above every source descriptor so that no dup2 overwrites one not yet copied.
        int planFd = Math.max(3 + preserveFds, Math.max(Math.max(down[0], down[1]), Math.max(up[0], up[1])) + 1);
        int reportFd = planFd + 1;
        int pid;
        try {
            pid = Spawn.spawn(binary().toString(),
                    List.of("capsa-helper", Integer.toString(planFd), Integer.toString(reportFd)), List.of(),
                    Map.of(planFd, down[0], reportFd, up[1]));
        } catch (RuntimeException e) {
            for (int fd : new int[] {down[0], down[1], up[0], up[1]}) Fds.close(fd);
            throw e;
        } finally {
            Fds.close(down[0]);
            Fds.close(up[1]);
        }
        Helper helper = new Helper(plan, pid, down[1], up[0]);
        Fds.writeFully(down[1], plan.encode());
        return helper;
    }

    static Path binary() {
        String configured = System.getProperty("capsa.helper");
        if (configured != null) return Path.of(configured);
        try {
            Path jar = Path.of(Helper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path beside = jar.getParent().resolve("capsa-helper"); // target/capsa.jar or target/classes
            if (Files.isExecutable(beside)) return beside;
            throw new CapsaException("the native helper is missing: " + beside + " (build with: bin/mvn package)");
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for the helper to have cloned the container's process and returns its pid. */
    int awaitPid() {
        String line = next("the helper exited before starting the container process");
        if (!line.startsWith("pid ")) throw new CapsaException("helper: unexpected report \"" + line + "\"");
        return Integer.parseInt(line.substring(4));
    }

    /** Lets the helper go on past SYNC (the cgroup has been joined). */
    void go() {
        Fds.writeFully(control, new byte[] {'g'});
    }

    /** Waits for HOOK_SYNC: the container's namespaces and mounts are there, its root not yet entered. */
    void awaitHooks() {
        String line = next("the container process exited before its hooks");
        if (!line.equals("hooks")) throw new CapsaException("helper: unexpected report \"" + line + "\"");
    }

    /** Lets the process go on past HOOK_SYNC, with the state its own hooks get on stdin. */
    void sendHookState(String stateJson) {
        byte[] json = stateJson.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Fds.writeFully(control, java.nio.ByteBuffer.allocate(4 + json.length).order(java.nio.ByteOrder.nativeOrder())
                .putInt(json.length).put(json).array());
    }

    /** Waits until the container's process has carried out its plan up to READY. */
    void awaitReady() {
        String line = next("the container process exited before it was ready");
        if (!line.equals("ready")) throw new CapsaException("helper: unexpected report \"" + line + "\"");
    }

    /** Waits until the process has exec'd: the report pipe closes on exec and carries an error otherwise. */
    void awaitExec() {
        String line = Fds.readLine(report);
        if (line != null) fail(line);
    }

    /** Waits for the helper; in monitor mode its exit code is the container process's. */
    int waitExit() {
        reaped = true;
        return Pids.waitFor(helperPid);
    }

    private String next(String ifEnded) {
        String line = Fds.readLine(report);
        if (line == null) throw new CapsaException(ifEnded);
        if (line.startsWith("err ")) fail(line);
        return line;
    }

    private void fail(String line) {
        String[] f = line.split(" ", 4);
        int step = Integer.parseInt(f[1]);
        int errno = Integer.parseInt(f[2]);
        String detail = f.length > 3 ? f[3] : "";
        String what = step >= 0 && step < plan.steps().size() ? plan.step(step).description() : "helper: " + detail;
        throw new CapsaException(what + ": " + (errno == 0 ? detail : Errno.describe(errno)));
    }

    @Override
    public void close() {
        Fds.close(control);
        Fds.close(report);
        if (!reaped) waitExit();
    }
}
