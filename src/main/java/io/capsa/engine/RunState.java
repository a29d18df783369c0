package io.capsa.engine;

import io.capsa.spec.Node;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A container's state as Docker's "State" shows it, plus what the engine needs to find its monitor (pid and
 * start time, so that a reused pid is not taken for it) and whether a user stopped it (no restart then).
 * Times are null where Docker prints "0001-01-01T00:00:00Z".
 */
public record RunState(Status status, int pid, int monitorPid, long monitorStart, int exitCode, boolean oomKilled,
                       String error, Instant startedAt, Instant finishedAt, int restartCount, boolean stoppedByUser) {
    public enum Status {
        CREATED, RUNNING, PAUSED, RESTARTING, EXITED;

        public String word() {
            return name().toLowerCase();
        }
    }

    static RunState created() {
        return new RunState(Status.CREATED, 0, 0, 0, 0, false, "", null, null, 0, false);
    }

    RunState running(int initPid, int monitor, long monitorStartTime, Instant at) {
        return new RunState(Status.RUNNING, initPid, monitor, monitorStartTime, 0, false, "", at, null, restartCount, false);
    }

    RunState exited(int code, boolean oom, String why, Instant at) {
        return new RunState(Status.EXITED, 0, 0, 0, code, oom, why, startedAt, at, restartCount, stoppedByUser);
    }

    RunState withStatus(Status newStatus) {
        return new RunState(newStatus, pid, monitorPid, monitorStart, exitCode, oomKilled, error, startedAt, finishedAt, restartCount, stoppedByUser);
    }

    RunState markedStopped() {
        return new RunState(status, pid, monitorPid, monitorStart, exitCode, oomKilled, error, startedAt, finishedAt, restartCount, true);
    }

    RunState restarting() {
        return new RunState(Status.RESTARTING, 0, 0, 0, exitCode, oomKilled, error, startedAt, finishedAt, restartCount + 1, false);
    }

    RunState failed(String why) {
        return new RunState(Status.CREATED.equals(status) ? Status.CREATED : Status.EXITED, 0, 0, 0, 128, false, why, startedAt, finishedAt, restartCount, stoppedByUser);
    }

    public boolean isUp() {
        return status == Status.RUNNING || status == Status.PAUSED;
    }

    /** Docker's State object. */
    public Map<String, Object> toDocker() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", status.word());
        m.put("Running", isUp());
        m.put("Paused", status == Status.PAUSED);
        m.put("Restarting", status == Status.RESTARTING);
        m.put("OOMKilled", oomKilled);
        m.put("Dead", false);
        m.put("Pid", pid);
        m.put("ExitCode", exitCode);
        m.put("Error", error);
        m.put("StartedAt", time(startedAt));
        m.put("FinishedAt", time(finishedAt));
        return m;
    }

    private static String time(Instant at) {
        return at == null ? "0001-01-01T00:00:00Z" : at.toString();
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = toDocker();
        m.put("MonitorPid", monitorPid);
        m.put("MonitorStart", monitorStart);
        m.put("RestartCount", restartCount);
        m.put("StoppedByUser", stoppedByUser);
        return m;
    }

    static RunState fromJson(Node n) {
        return new RunState(Status.valueOf(n.get("Status").requiredString().toUpperCase()), (int) n.get("Pid").integer(0),
                (int) n.get("MonitorPid").integer(0), n.get("MonitorStart").integer(0), (int) n.get("ExitCode").integer(0),
                n.get("OOMKilled").bool(false), n.get("Error").string(""), instant(n.get("StartedAt").string(null)),
                instant(n.get("FinishedAt").string(null)), (int) n.get("RestartCount").integer(0), n.get("StoppedByUser").bool(false));
    }

    private static Instant instant(String text) {
        return text == null || text.startsWith("0001-") ? null : Instant.parse(text);
    }
}
