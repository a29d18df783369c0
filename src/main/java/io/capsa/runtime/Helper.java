package io.capsa.runtime;

import io.capsa.linux.Errno;
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

/**
 * The native helper that bin/capsa forked before this JVM started (capsa-helper --launch): the plan goes
 * down one pipe, and "pid N", "ready", "exit N" or "err STEP ERRNO DETAIL" lines come back up another.
 * Starting it here would cost the JVM a native call, whose first one alone costs ~35 ms, so each CLI call
 * gets one helper, ready and waiting.
 */
final class Helper implements AutoCloseable {
    private static boolean taken;

    private final Plan plan;
    private final OutputStream control;
    private final InputStream report;

    private Helper(Plan plan, OutputStream control, InputStream report) {
        this.plan = plan;
        this.control = control;
        this.report = report;
    }

    /** Hands the plan to this call's helper. */
    static synchronized Helper start(Plan plan) {
        String fds = System.getenv("CAPSA_HELPER");
        if (fds == null) throw new CapsaException("no native helper: start capsa with bin/capsa, which forks one");
        if (taken) throw new IllegalStateException("one capsa call carries out one plan");
        taken = true;
        String[] planAndReport = fds.split(" ");
        try {
            // The pipes are inherited descriptors; opening them again by their /proc name is the one way in Java.
            Helper helper = new Helper(plan, new FileOutputStream("/proc/self/fd/" + planAndReport[0]),
                    new BufferedInputStream(new FileInputStream("/proc/self/fd/" + planAndReport[1])));
            helper.send(plan.encode());
            return helper;
        } catch (IOException e) {
            throw new UncheckedIOException("native helper", e);
        }
    }

    /** Waits for the helper to have cloned the container's process and returns its pid. */
    int awaitPid() {
        String line = next("the helper exited before starting the container process");
        if (!line.startsWith("pid ")) throw unexpected(line);
        return Integer.parseInt(line.substring(4));
    }

    /** Lets the helper go on past SYNC (the cgroup has been joined). */
    void go() {
        send(new byte[] {'g'});
    }

    /** Waits for HOOK_SYNC: the container's namespaces and mounts are there, its root not yet entered. */
    void awaitHooks() {
        String line = next("the container process exited before its hooks");
        if (!line.equals("hooks")) throw unexpected(line);
    }

    /** Lets the process go on past HOOK_SYNC, with the state its own hooks get on stdin. */
    void sendHookState(String stateJson) {
        byte[] json = stateJson.getBytes(StandardCharsets.UTF_8);
        send(ByteBuffer.allocate(4 + json.length).order(ByteOrder.nativeOrder()).putInt(json.length).put(json).array());
    }

    /** Waits until the container's process has carried out its plan up to READY. */
    void awaitReady() {
        String line = next("the container process exited before it was ready");
        if (!line.equals("ready")) throw unexpected(line);
    }

    /** Without a monitor: waits until the process has exec'd; the pipe closes on exec and carries an error otherwise. */
    void awaitExec() {
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
            for (int b = report.read(); b != '\n'; b = report.read()) {
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
            control.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("write to the native helper", e);
        }
    }

    private CapsaException failure(String line) {
        if (!line.startsWith("err ")) return unexpected(line);
        String[] f = line.split(" ", 4);
        int step = Integer.parseInt(f[1]);
        int errno = Integer.parseInt(f[2]);
        String detail = f.length > 3 ? f[3] : "";
        String what = step >= 0 && step < plan.steps().size() ? plan.step(step).description() : "helper: " + detail;
        return new CapsaException(what + ": " + (errno == 0 ? detail : Errno.describe(errno)));
    }

    private static CapsaException unexpected(String line) {
        return new CapsaException("helper: unexpected report \"" + line + "\"");
    }

    @Override
    public void close() {
        try {
            control.close();
            report.close();
        } catch (IOException e) {
            throw new UncheckedIOException("close the native helper's pipes", e);
        }
    }
}
